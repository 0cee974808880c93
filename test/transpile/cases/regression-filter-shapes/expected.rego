package tregressionfiltershapes

import future.keywords.in

# regression-filter-shapes/input.ts:12
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	withoutEnv := [c | some c in containers; not any_item(c)]
	some c in withoutEnv
	input.parameters.level == "warn"
	not condition
	msg := sprintf("%v: missing env (warn)", [c.name])
}

# regression-filter-shapes/input.ts:16
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	withoutEnv := [c | some c in containers; not any_item(c)]
	some c in withoutEnv
	not input.parameters.level == "warn"
	not ends_with(c)
	msg := sprintf("%v: missing env %v", [c.name, value])
}

# regression-filter-shapes/input.ts:20
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	envNames := [concat("|", [e.name | some e in c.env]) | some c in containers]
	some n in envNames
	n == ""
	msg := sprintf("some container has no env: %v", [concat(";", envNames)])
}

# regression-filter-shapes/input.ts:8
any_item(c) {
	some e in c.env
	e.name in input.parameters.required
}

# regression-filter-shapes/input.ts:11
condition {
	count(object.get(input.parameters, "optional", [])) > 0
}

# regression-filter-shapes/input.ts:13
ends_with(c) {
	endswith(c.name, "-job")
}

# regression-filter-shapes/input.ts:16
value := "vars" {
	count(input.parameters.required) > 1
} else := "var"

# regression-filter-shapes/input.ts:11
condition1 {
	input.parameters.level == "warn"
	count(object.get(input.parameters, "optional", [])) > 0
}

# regression-filter-shapes/input.ts:14
condition2(c) {
	not input.parameters.level == "warn"
	endswith(c.name, "-job")
}
