package tregressionfiltershapes

# regression-filter-shapes/input.ts:12
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	without_env := [c | some c in containers; not any_env(c)]
	some c in without_env
	input.parameters.level == "warn"
	not level_is_warn_and_optional_count_above_0
	msg := sprintf("%v: missing env (warn)", [c.name])
}

# regression-filter-shapes/input.ts:16
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	without_env := [c | some c in containers; not any_env(c)]
	some c in without_env
	not input.parameters.level == "warn"
	not name_ends_with_job(c)
	msg := sprintf("%v: missing env %v", [c.name, value])
}

# regression-filter-shapes/input.ts:20
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	env_names := [concat("|", [e.name | some e in c.env]) | some c in containers]
	some n in env_names
	n == ""
	msg := sprintf("some container has no env: %v", [concat(";", env_names)])
}

# regression-filter-shapes/input.ts:8
any_env(c) if {
	some e in c.env
	e.name in input.parameters.required
}

# regression-filter-shapes/input.ts:11
level_is_warn_and_optional_count_above_0 if {
	count(object.get(input.parameters, "optional", [])) > 0
}

# regression-filter-shapes/input.ts:13
name_ends_with_job(c) if {
	endswith(c.name, "-job")
}

# regression-filter-shapes/input.ts:16
value := "vars" if {
	count(input.parameters.required) > 1
} else := "var"

# regression-filter-shapes/input.ts:11
level_is_warn_and_optional_count_above_01 if {
	input.parameters.level == "warn"
	count(object.get(input.parameters, "optional", [])) > 0
}

# regression-filter-shapes/input.ts:14
level_is_not_warn_and_name_ends_with_job(c) if {
	not input.parameters.level == "warn"
	endswith(c.name, "-job")
}
