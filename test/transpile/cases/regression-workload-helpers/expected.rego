package tregressionworkloadhelpers

import future.keywords.every

# regression-workload-helpers/input.ts:17
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	count(spec.containers) > input.parameters.maxContainers
	msg := sprintf("too many containers (%v) for %v", [count(spec.containers), owner])
}

# regression-workload-helpers/input.ts:22
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	some c in spec.containers
	l := level(c)
	not l == "ok"
	not l_is_root_and_not_strict(l)
	msg := sprintf("%v: %v", [c.name, value1(l)])
}

# regression-workload-helpers/input.ts:25
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	some c in spec.containers
	l := level(c)
	not l == "ok"
	not l_is_root_and_not_strict(l)
	some e in c.env
	in_forbidden_env(e)
	count(e.value) > 3
	msg := sprintf("%v: env %v is set (%v...)", [c.name, e.name, substring(e.value, 0, 3)])
}

# regression-workload-helpers/input.ts:26
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	some c in spec.containers
	l := level(c)
	not l == "ok"
	not l_is_root_and_not_strict(l)
	some e in c.env
	in_forbidden_env(e)
	not has_value_and_value_count_above_3(e)
	msg := sprintf("%v: env %v is forbidden", [c.name, e.name])
}

# regression-workload-helpers/input.ts:30
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	vols := object.get(spec, "volumes", [])
	not all_vols(vols)
	msg := "hostPath volumes are not allowed"
}

# regression-workload-helpers/input.ts:32
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	[c | some c in spec.containers; contains(object.get(c, "image", ""), "latest")][0]
	msg := sprintf(
		"first latest container: %v",
		[[c | some c in spec.containers; contains(object.get(c, "image", ""), "latest")][0].name],
	)
}

# regression-workload-helpers/input.ts:34
violation[{"msg": msg}] {
	spec := pod_spec(input.review.object)
	not false
	img := img_of(spec)
	img != ""
	not startswith(img, "reg")
	msg := sprintf("bad registry for %v", [img])
}

# regression-workload-helpers/input.ts:16
value := input.review.object.metadata.labels.owner {
	input.review.object.metadata.labels.owner != ""
} else := input.parameters.owner

# regression-workload-helpers/input.ts:16
owner := value {
	value != ""
} else := "nobody"

# regression-workload-helpers/input.ts:3
level(c) := "privileged" {
	c.securityContext.privileged
} else := "caps" {
	count(object.get(c, ["securityContext", "capabilities", "add"], [])) > 0
} else := "root" {
	not c.securityContext.runAsNonRoot
} else := "ok"

# regression-workload-helpers/input.ts:21
l_is_root_and_not_strict(l) {
	l == "root"
	not input.parameters.strict
}

# regression-workload-helpers/input.ts:22
value1(l) := "adds capabilities" {
	l == "caps"
} else := l

# regression-workload-helpers/input.ts:24
in_forbidden_env(e) {
	e.name in input.parameters.forbiddenEnv
}

# regression-workload-helpers/input.ts:25
has_value_and_value_count_above_3(e) {
	count(e.value) > 3
}

# regression-workload-helpers/input.ts:30
all_vols(vols) {
	every v in vols {
		not v.hostPath
	}
}

# regression-workload-helpers/input.ts:33
img_of(spec) := value2 {
	value2 := [c | some c in spec.containers; contains(object.get(c, "image", ""), "latest")][0].image
} else := ""

# policyc library
pod_spec(obj) := obj.spec {
	obj.kind == "Pod"
}

pod_spec(obj) := obj.spec.template.spec {
	obj.kind in {"DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"}
}

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec {
	obj.kind == "CronJob"
}
