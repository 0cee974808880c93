package tforofarray

import future.keywords.in

# for-of-array/input.ts:8
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	c.image == input.parameters.image
	msg := sprintf("container %v uses %v", [c.name, input.parameters.image])
}
