package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	added := object.get(c, ["securityContext", "capabilities", "add"], [])
	disallowed := [cap | some cap in added; not add_allowed(c.name, cap)]
	count(disallowed) > 0
	msg := sprintf("container has a disallowed capability, container: %v | capabilities.add: %v | policy allows: %v%v", [
		c.name, added, object.get(input.parameters, "allowedCapabilities", []), deckhouse.note(pod, c.name, ["securityContext", "capabilities"]),
	])
}

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	dropped := {upper(cap) | some cap in object.get(c, ["securityContext", "capabilities", "drop"], [])}
	not "ALL" in dropped
	required := {upper(cap) | some cap in required_drop(c.name)}
	count(required - dropped) > 0
	msg := sprintf("container is not dropping all required capabilities, container: %v | capabilities.drop: %v | policy allows: %v%v", [
		c.name, object.get(c, ["securityContext", "capabilities", "drop"], []), required_drop(c.name), deckhouse.note(pod, c.name, ["securityContext", "capabilities"]),
	])
}

# An exception's list replaces the policy's for its container.
add_allowed(container, cap) if {
	not deckhouse.entry(pod, container, ["securityContext", "capabilities"])
	some allowed in object.get(input.parameters, "allowedCapabilities", [])
	upper(allowed) in {"ALL", upper(cap)}
}

add_allowed(container, cap) if {
	some allowed in object.get(deckhouse.entry(pod, container, ["securityContext", "capabilities"]), ["allowedValues", "add"], [])
	upper(allowed) in {"ALL", upper(cap)}
}

required_drop(container) := drop if {
	drop := deckhouse.entry(pod, container, ["securityContext", "capabilities"]).allowedValues.drop
} else := object.get(input.parameters, "requiredDropCapabilities", [])
