package thelperfunctions

import future.keywords.in

# helper-functions/input.ts:19
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	level := severity(c)
	level == input.parameters.threshold
	msg := sprintf("%v: %v", [c.name, level])
}

# helper-functions/input.ts:20
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	runs_as_root(c)
	not c.securityContext.readOnlyRootFilesystem
	msg := sprintf("%v: writable root", [c.name])
}

# helper-functions/input.ts:3
runs_as_root(c) {
	not c.securityContext.runAsNonRoot == true
	object.get(c, ["securityContext", "runAsUser"], 0) == 0
}

# helper-functions/input.ts:7
severity(c) := "critical" {
	c.securityContext.privileged == true
} else := "high" {
	runs_as_root(c)
} else := "low"
