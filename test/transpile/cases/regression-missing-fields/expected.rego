package tregressionmissingfields

import future.keywords.every

# regression-missing-fields/input.ts:14
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	run_as_user_equals_run_as_user(c)
	msg := sprintf("%v: same user as pod", [c.name])
}

# regression-missing-fields/input.ts:15
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	not has_working_dir(c)
	msg := sprintf("%v: no workingDir", [c.name])
}

# regression-missing-fields/input.ts:16
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	contains(c.terminationMessagePath, input.parameters.prefix)
	msg := sprintf("%v: prefix in path", [c.name])
}

# regression-missing-fields/input.ts:18
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	is_root(c.securityContext.runAsUser)
	msg := sprintf("%v: root", [c.name])
}

# regression-missing-fields/input.ts:19
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	c.args
	count([a | some a in c.args; startswith(a, "--")]) == 0
	msg := sprintf("%v: no flags", [c.name])
}

# regression-missing-fields/input.ts:20
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	every p in object.get(c, "ports", []) {
		object.get(p, "hostPort", 0) < object.get(input.parameters, "min", 1024)
	}
	msg := sprintf("%v: low ports only", [c.name])
}

# regression-missing-fields/input.ts:22
violation[{"msg": msg}] {
	count([k | some k, _ in object.get(input.review.object, ["metadata", "annotations"], {})]) == 0
	msg := "no annotations"
}

# regression-missing-fields/input.ts:14
run_as_user_equals_run_as_user(c) {
	c.securityContext.runAsUser == input.review.object.spec.securityContext.runAsUser
}

run_as_user_equals_run_as_user(c) {
	not c.securityContext.runAsUser
	not input.review.object.spec.securityContext.runAsUser
}

# regression-missing-fields/input.ts:15
has_working_dir(c) {
	c.workingDir != ""
}

# regression-missing-fields/input.ts:3
is_root(uid) {
	uid == 0
}
