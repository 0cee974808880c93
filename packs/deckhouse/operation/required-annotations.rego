package d8.operation_policies

violation contains {"msg": msg, "details": {"missing_annotations": missing}} if {
	provided := {key | some key, _ in object.get(input.review.object, ["metadata", "annotations"], {})}
	required := {label.key | some label in input.parameters.annotations}
	missing := required - provided
	count(missing) > 0
	msg := sprintf("you must provide annotations: %v", [missing])
}

violation contains {"msg": msg} if {
	some label in input.parameters.annotations
	expected := object.get(label, "allowedRegex", "")
	expected != ""
	value := input.review.object.metadata.annotations[label.key]
	not regex.match(expected, value)
	msg := sprintf("Annotation <%v: %v> does not satisfy allowed regex: %v", [label.key, value, expected])
}
