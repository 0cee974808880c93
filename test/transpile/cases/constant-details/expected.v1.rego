package constantdetails

# constant-details/input.ts:8
violation contains {"msg": msg, "details": {}} if {
	input.review.object.spec.hostNetwork == true
	msg := sprintf("pod %v uses the host network", [object.get(input.review.object, ["metadata", "name"], "")])
}

# constant-details/input.ts:10
violation contains {"msg": msg, "details": details} if {
	some c in input.review.object.spec.containers
	c.securityContext.privileged == true
	msg := sprintf("container %v is privileged", [c.name])
	details := {"container": c.name, "fixed": ["a", 1]}
}
