package tcontinue

# continue/input.ts:9
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	not in_skip(c)
	not c.resources.limits
	msg := sprintf("container %v has no limits", [c.name])
}

# continue/input.ts:8
in_skip(c) if {
	c.name in input.parameters.skip
}
