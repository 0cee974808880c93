package tarrayspread

import future.keywords.in

# array-spread/input.ts:10
violation[{"msg": msg}] {
	banned := array.concat(
		array.concat(input.parameters.banned, object.get(input.parameters, "alsoBanned", [])),
		["busybox"],
	)
	some c in array.concat(
		object.get(input.review.object, ["spec", "initContainers"], []),
		object.get(input.review.object, ["spec", "containers"], []),
	)
	object.get(c, "image", "") in banned
	msg := sprintf("%v uses a banned image", [c.name])
}
