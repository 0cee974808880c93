package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	options := pod.spec.securityContext.seLinuxOptions
	not allowed(input.parameters.allowedSELinuxOptions, options)
	not exception_allows("", options)
	msg := sprintf("SELinux options are not allowed, pod: %v. | seLinuxOptions: %v | policy allows: %v%v", [
		pod.metadata.name, options, input.parameters.allowedSELinuxOptions, deckhouse.note(pod, "", ["securityContext", "seLinuxOptions"]),
	])
}

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	options := c.securityContext.seLinuxOptions
	not allowed(input.parameters.allowedSELinuxOptions, options)
	not exception_allows(c.name, options)
	msg := sprintf("SELinux options are not allowed, pod: %v, container %v. | seLinuxOptions: %v | policy allows: %v%v", [
		pod.metadata.name, c.name, options, input.parameters.allowedSELinuxOptions, deckhouse.note(pod, c.name, ["securityContext", "seLinuxOptions"]),
	])
}

exception_allows(container, options) if allowed(deckhouse.entry(pod, container, ["securityContext", "seLinuxOptions"]).allowedValues, options)

# Options match an allowed tuple when every field they set equals the tuple's value for it.
allowed(list, options) if {
	some tuple in list
	every field in ["level", "role", "type", "user"] {
		field_ok(field, options, tuple)
	}
}

field_ok(field, options, _) if not options[field]

field_ok(field, options, _) if options[field] == ""

field_ok(field, options, tuple) if options[field] == tuple[field]
