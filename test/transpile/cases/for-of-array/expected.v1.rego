package tforofarray

# for-of-array/input.ts:8
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	c.image == input.parameters.image
	msg := sprintf("container %v uses %v", [c.name, input.parameters.image])
}
