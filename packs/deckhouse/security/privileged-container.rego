package d8.security_policies

import data.lib.deckhouse

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(input.review.object)
	c.securityContext.privileged == true
	not deckhouse.allows(input.review.object, c.name, ["securityContext", "privileged"], true)
	note := deckhouse.note(input.review.object, c.name, ["securityContext", "privileged"])
	msg := sprintf("Privileged container is not allowed, container: %v | privileged: true | policy allows: false%v", [c.name, note])
}
