package ttemplateliterals

# template-literals/input.ts:9
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	args := object.get(c, "args", [])
	count(args) > input.parameters.limit
	msg := sprintf(
		"%v has %v args (%v), limit %v; 100%% sure",
		[c.name, count(args), concat(",", args), input.parameters.limit],
	)
}

# template-literals/input.ts:10
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	not in_allowed(c)
	msg := sprintf("container %v is not in %v", [c.name, input.parameters.allowed])
}

# template-literals/input.ts:10
in_allowed(c) if {
	c.name in input.parameters.allowed
}
