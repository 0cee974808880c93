package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some sysctl in object.get(pod, ["spec", "securityContext", "sysctls"], [])
	not policy_allows(sysctl.name)
	not exception_allows(sysctl)
	msg := sprintf("The sysctl is not allowed, pod: %v. | sysctl: %v | policy allows: %v, forbidden: %v%v", [
		pod.metadata.name, sysctl.name,
		object.get(input.parameters, "allowedSysctls", ["*"]), object.get(input.parameters, "forbiddenSysctls", []),
		deckhouse.note(pod, "", ["securityContext", "sysctls"]),
	])
}

# Forbidden globs win over allowed ones; without an allowed list every other sysctl is allowed.
policy_allows(name) if {
	not matches_any(object.get(input.parameters, "forbiddenSysctls", []), name)
	matches_any(object.get(input.parameters, "allowedSysctls", ["*"]), name)
}

exception_allows(sysctl) if {
	some allowed in deckhouse.entry(pod, "", ["securityContext", "sysctls"]).allowedValues
	allowed.name == sysctl.name
	object.get(allowed, "value", sysctl.value) == sysctl.value
}

# A glob ends in `*` (a prefix); anything else is a name.
matches_any(globs, name) if {
	some pattern in globs
	pattern == name
}

matches_any(globs, name) if {
	some pattern in globs
	endswith(pattern, "*")
	startswith(name, trim_suffix(pattern, "*"))
}
