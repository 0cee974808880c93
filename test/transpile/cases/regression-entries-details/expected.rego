package tregressionentriesdetails

import future.keywords.in

# regression-entries-details/input.ts:16
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not mode_is_lax_and_labels_empty(labels)
	not mode_is_not_lax_and_skip_is_true(labels)
	some k, _ in labels
	not input.parameters.allowed[k]
	input.parameters.mode == "strict"
	msg := sprintf("label %v is not allowed", [k])
}

# regression-entries-details/input.ts:19
violation[{"msg": msg, "details": details}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not mode_is_lax_and_labels_empty(labels)
	not mode_is_not_lax_and_skip_is_true(labels)
	some k, v in labels
	input.parameters.allowed[k]
	not input.parameters.allowed[k] == v
	msg := sprintf("label %v=%v should be %v", [k, v, input.parameters.allowed[k]])
	details := {"key": k, "want": input.parameters.allowed[k]}
}

# regression-entries-details/input.ts:22
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not mode_is_lax_and_labels_empty(labels)
	not mode_is_not_lax_and_skip_is_true(labels)
	names := [c.name | some c in input.review.object.spec.containers]
	count(names) > input.parameters.max
	msg := sprintf("containers %v exceed %v", [concat("+", names), input.parameters.max])
}

# regression-entries-details/input.ts:24
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not mode_is_lax_and_labels_empty(labels)
	not mode_is_not_lax_and_skip_is_true(labels)
	weight := number(object.get(input.review.object, ["metadata", "annotations", "weight"], "0"))
	weight > input.parameters.max
	msg := sprintf("weight %v", [weight])
}

# regression-entries-details/input.ts:9
mode_is_lax_and_labels_empty(labels) {
	input.parameters.mode == "lax"
	count([k | some k, _ in labels]) == 0
}

# regression-entries-details/input.ts:11
mode_is_not_lax_and_skip_is_true(labels) {
	not input.parameters.mode == "lax"
	labels.skip == "true"
}

# policyc library
number(s) := 0 {
	trim_space(s) == ""
} else := to_number(trim_space(s))
