package tifelse

# if-else/input.ts:9
violation[{"msg": msg}] {
	replicas := object.get(input.review.object, ["spec", "replicas"], 1)
	replicas < input.parameters.min
	msg := sprintf("too few replicas: %v", [replicas])
}

# if-else/input.ts:11
violation[{"msg": msg}] {
	replicas := object.get(input.review.object, ["spec", "replicas"], 1)
	not replicas_below_min(replicas)
	replicas > input.parameters.max
	msg := sprintf("too many replicas: %v", [replicas])
}

# if-else/input.ts:13
violation[{"msg": msg}] {
	replicas := object.get(input.review.object, ["spec", "replicas"], 1)
	not replicas_below_min(replicas)
	not replicas_above_max(replicas)
	input.review.object.metadata.name == ""
	msg := "unnamed deployment"
}

# if-else/input.ts:8
replicas_below_min(replicas) {
	replicas < input.parameters.min
}

# if-else/input.ts:10
replicas_above_max(replicas) {
	replicas > input.parameters.max
}
