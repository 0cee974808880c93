package d8.operation_policies

violation contains {"msg": msg, "details": {"missing_labels": missing}} if {
	provided := {key | some key, _ in object.get(input.review.object, ["metadata", "labels"], {})}
	required := {label.key | some label in input.parameters.labels}
	missing := required - provided
	count(missing) > 0
	msg := sprintf("you must provide labels: %v", [missing])
}

violation contains {"msg": msg} if {
	some label in input.parameters.labels
	expected := object.get(label, "allowedRegex", "")
	expected != ""
	value := input.review.object.metadata.labels[label.key]
	not regex.match(expected, value)
	msg := sprintf("Label <%v: %v> does not satisfy allowed regex: %v", [label.key, value, expected])
}
