package d8.security_policies

import data.lib.deckhouse

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(input.review.object)
	value := object.get(c, ["securityContext", "readOnlyRootFilesystem"], false)
	value != true
	path := ["securityContext", "readOnlyRootFilesystem"]
	not deckhouse.allows(input.review.object, c.name, path, value)
	note := deckhouse.note(input.review.object, c.name, path)
	msg := sprintf("only read-only root filesystem container is allowed, container: %v | readOnlyRootFilesystem: %v | policy allows: true%v", [c.name, value, note])
}
