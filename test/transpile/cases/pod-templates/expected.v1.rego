package tpodtemplates

# pod-templates/input.ts:9
violation contains {"msg": msg} if {
	spec := pod_spec(input.review.object)
	not false
	spec.hostNetwork
	msg := sprintf("%v uses the host network", [object.get(input.review.object, "kind", "object")])
}

# policyc library
pod_spec(obj) := obj.spec if {
	obj.kind == "Pod"
}

pod_spec(obj) := obj.spec.template.spec if {
	obj.kind in {"DaemonSet", "Deployment", "Job", "ReplicaSet", "ReplicationController", "StatefulSet"}
}

pod_spec(obj) := obj.spec.jobTemplate.spec.template.spec if {
	obj.kind == "CronJob"
}
