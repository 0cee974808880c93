package d8.pod_security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	policy := object.get(input.parameters, "allowPrivilegeEscalation", false) == true
	some c in deckhouse.containers(pod)
	escalates(c)
	path := ["securityContext", "allowPrivilegeEscalation"]
	not deckhouse.permitted(pod, c.name, path, true, policy)
	note := deckhouse.note(pod, c.name, path)
	value := object.get(c, path, null)
	msg := sprintf("Privilege escalation container is not allowed, container: %v | allowPrivilegeEscalation: %v | policy allows: %v%v", [c.name, value, policy, note])
}

# An explicit true escalates. Under an explicit `allowPrivilegeEscalation: false` parameter (the
# restricted standard) a container must also set false itself, since Kubernetes defaults the field
# to true; a SecurityPolicy's Constraint carries no parameter and denies only an explicit true.
escalates(c) if c.securityContext.allowPrivilegeEscalation == true

escalates(c) if {
	input.parameters.allowPrivilegeEscalation == false
	not c.securityContext.allowPrivilegeEscalation == false
}
