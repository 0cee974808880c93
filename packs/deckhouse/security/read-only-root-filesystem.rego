package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	value := object.get(c, ["securityContext", "readOnlyRootFilesystem"], false)
	value != true
	path := ["securityContext", "readOnlyRootFilesystem"]
	not deckhouse.allows(pod, c.name, path, value)
	note := deckhouse.note(pod, c.name, path)
	msg := sprintf("only read-only root filesystem container is allowed, container: %v | readOnlyRootFilesystem: %v | policy allows: true%v", [c.name, value, note])
}
