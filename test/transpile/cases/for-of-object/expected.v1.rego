package tforofobject

# for-of-object/input.ts:9
violation contains {"msg": msg} if {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	some key, value in labels
	key in input.parameters.forbidden
	msg := sprintf("label %v=%v is forbidden", [key, value])
}

# for-of-object/input.ts:12
violation contains {"msg": msg} if {
	some key, _ in object.get(input.review.object, ["metadata", "annotations"], {})
	startswith(key, "forbidden/")
	msg := sprintf("annotation %v is forbidden", [key])
}

# for-of-object/input.ts:15
violation contains {"msg": msg} if {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	some value in labels
	value == ""
	msg := "labels must not be empty"
}
