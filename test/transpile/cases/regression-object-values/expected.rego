package tregressionobjectvalues

import future.keywords.in

# regression-object-values/input.ts:10
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not labels.team == input.parameters.team
	not labels.owner == input.parameters.team
	msg := sprintf(
		"team %v does not own %v",
		[input.parameters.team, object.get(input.review.object, ["metadata", "name"], "?")],
	)
}

# regression-object-values/input.ts:13
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not team_differs_from_team_and_owner_differs_from_team(labels)
	object.get(input.review.object, ["spec", "replicas"], 1) > input.parameters.limit
	msg := sprintf(
		"replicas %v > %v",
		[object.get(input.review.object, ["spec", "replicas"], 1), input.parameters.limit],
	)
}

# regression-object-values/input.ts:21
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not team_differs_from_team_and_owner_differs_from_team(labels)
	not replicas_at_most_limit_and_replicas_is_0
	input.review.object.spec.template.spec
	some c in input.review.object.spec.template.spec.containers
	some a in c.args
	startswith(a, "--")
	flag := upper(replace(a, "-", ""))
	flag in input.parameters.banned
	msg := sprintf("%v: flag %v", [c.name, flag])
}

# regression-object-values/input.ts:23
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not team_differs_from_team_and_owner_differs_from_team(labels)
	not replicas_at_most_limit_and_replicas_is_0
	input.review.object.spec.template.spec
	some c in input.review.object.spec.template.spec.containers
	some q in [v | some v in object.get(c, ["resources", "limits"], {})]
	regex.match(`(?m)^[0-9]+$`, q)
	msg := sprintf("%v: unitless limit", [c.name])
}

# regression-object-values/input.ts:25
violation[{"msg": msg}] {
	labels := object.get(input.review.object, ["metadata", "labels"], {})
	not team_differs_from_team_and_owner_differs_from_team(labels)
	not replicas_at_most_limit_and_replicas_is_0
	input.review.object.spec.template.spec
	some v in [v | some v in labels]
	count(v) > 10
	msg := "long label"
}

# regression-object-values/input.ts:11
team_differs_from_team_and_owner_differs_from_team(labels) {
	not labels.team == input.parameters.team
	not labels.owner == input.parameters.team
}

# regression-object-values/input.ts:13
replicas_above_limit {
	object.get(input.review.object, ["spec", "replicas"], 1) > input.parameters.limit
}

# regression-object-values/input.ts:14
replicas_at_most_limit_and_replicas_is_0 {
	not replicas_above_limit
	object.get(input.review.object, ["spec", "replicas"], 1) == 0
}
