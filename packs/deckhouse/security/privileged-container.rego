package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	c.securityContext.privileged == true
	not deckhouse.allows(pod, c.name, ["securityContext", "privileged"], true)
	note := deckhouse.note(pod, c.name, ["securityContext", "privileged"])
	msg := sprintf("Privileged container is not allowed, container: %v | privileged: true | policy allows: false%v", [c.name, note])
}
