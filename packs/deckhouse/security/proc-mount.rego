package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	mount := object.get(c, ["securityContext", "procMount"], "Default")
	not allowed(mount)
	not deckhouse.allows(pod, c.name, ["securityContext", "procMount"], mount)
	msg := sprintf("ProcMount type is not allowed, container: %v | procMount: %v | policy allows: %v%v", [
		c.name, mount, input.parameters.allowedProcMount, deckhouse.note(pod, c.name, ["securityContext", "procMount"]),
	])
}

# Unmasked allows every type; Default only the default one.
allowed(_) if input.parameters.allowedProcMount == "Unmasked"

allowed(mount) if mount == "Default"

allowed(_) if not input.parameters.allowedProcMount
