package d8.pod_security_policies

import data.lib.deckhouse

violation contains {"msg": msg, "details": {}} if {
	not input.parameters.allowPrivilegeEscalation == true
	some c in deckhouse.containers(input.review.object)
	c.securityContext.allowPrivilegeEscalation == true
	path := ["securityContext", "allowPrivilegeEscalation"]
	not deckhouse.allows(input.review.object, c.name, path, true)
	note := deckhouse.note(input.review.object, c.name, path)
	msg := sprintf("Privilege escalation container is not allowed, container: %v | allowPrivilegeEscalation: true | policy allows: false%v", [c.name, note])
}
