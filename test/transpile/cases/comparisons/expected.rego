package tcomparisons

import future.keywords.in

# comparisons/input.ts:8
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	not c.imagePullPolicy == "Always"
	msg := sprintf("%v: imagePullPolicy must be Always", [c.name])
}

# comparisons/input.ts:9
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	c.terminationMessagePolicy == "File"
	msg := sprintf("%v: terminationMessagePolicy File", [c.name])
}

# comparisons/input.ts:11
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	some p in c.ports
	p.containerPort > input.parameters.maxPort
	msg := sprintf("%v: port %v > %v", [c.name, p.containerPort, input.parameters.maxPort])
}

# comparisons/input.ts:12
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	some p in c.ports
	container_port_at_most_0_or_container_port_below_1(p)
	msg := sprintf("%v: bad port", [c.name])
}

# comparisons/input.ts:13
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	some p in c.ports
	p.hostPort >= 1
	msg := sprintf("%v: host port %v", [c.name, p.hostPort])
}

# comparisons/input.ts:12
container_port_at_most_0_or_container_port_below_1(p) {
	p.containerPort <= 0
}

container_port_at_most_0_or_container_port_below_1(p) {
	p.containerPort < 1
}
