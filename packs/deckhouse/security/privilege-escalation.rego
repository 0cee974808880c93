package d8.pod_security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	not input.parameters.allowPrivilegeEscalation == true
	some c in deckhouse.containers(pod)
	c.securityContext.allowPrivilegeEscalation == true
	path := ["securityContext", "allowPrivilegeEscalation"]
	not deckhouse.allows(pod, c.name, path, true)
	note := deckhouse.note(pod, c.name, path)
	msg := sprintf("Privilege escalation container is not allowed, container: %v | allowPrivilegeEscalation: true | policy allows: false%v", [c.name, note])
}
