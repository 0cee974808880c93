package tmissingequality

import future.keywords.in

# missing-equality/input.ts:9
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	run_as_user_equals_run_as_user(c)
	msg := sprintf("%v: same user as the pod", [c.name])
}

# missing-equality/input.ts:10
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	not run_as_group_equals_run_as_group(c)
	msg := sprintf("%v: another group than the pod", [c.name])
}

# missing-equality/input.ts:9
run_as_user_equals_run_as_user(c) {
	c.securityContext.runAsUser == input.review.object.spec.securityContext.runAsUser
}

run_as_user_equals_run_as_user(c) {
	not c.securityContext.runAsUser
	not input.review.object.spec.securityContext.runAsUser
}

# missing-equality/input.ts:10
run_as_group_equals_run_as_group(c) {
	c.securityContext.runAsGroup == input.review.object.spec.securityContext.runAsGroup
}

run_as_group_equals_run_as_group(c) {
	not c.securityContext.runAsGroup
	not input.review.object.spec.securityContext.runAsGroup
}
