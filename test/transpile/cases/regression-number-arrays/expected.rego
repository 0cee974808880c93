package tregressionnumberarrays

import future.keywords.every

# regression-number-arrays/input.ts:12
violation[{"msg": msg}] {
	input.review.object.spec
	some c in input.review.object.spec.containers
	ports := [p.containerPort | some p in c.ports]
	extra := array.concat(array.concat(ports, [count(input.parameters.ports)]), [8080])
	input.parameters.factor in extra
	msg := sprintf(
		"%v: %v in %v",
		[c.name, input.parameters.factor, concat(",", [sprintf("%v", [x]) | some x in extra])],
	)
}

# regression-number-arrays/input.ts:14
violation[{"msg": msg}] {
	input.review.object.spec
	some c in input.review.object.spec.containers
	ports := [p.containerPort | some p in c.ports]
	some p in ports
	p in input.parameters.ports
	msg := sprintf(
		"%v: port %v (+1 = %v, *2 = %v, -f = %v, %%7 = %v)",
		[c.name, p, p + 1, p * 2, p - input.parameters.factor, p % 7],
	)
}

# regression-number-arrays/input.ts:16
violation[{"msg": msg}] {
	input.review.object.spec
	some c in input.review.object.spec.containers
	c.ports
	every p in c.ports {
		p.protocol == "UDP"
	}
	msg := sprintf("%v: udp only", [c.name])
}
