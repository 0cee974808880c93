package tregostyle

# rego-style/input.ts:19
violation contains {"msg": msg} if {
	all_containers := array.concat(
		input.review.object.spec.containers,
		object.get(input.review.object, ["spec", "initContainers"], []),
	)
	not mode_is_audit_and_count_is_0(all_containers)
	not mode_is_not_audit_and_host_network_is_true
	count(all_containers) > input.parameters.maxCount
	msg := sprintf("%v containers, at most %v", [count(all_containers), input.parameters.maxCount])
}

# rego-style/input.ts:22
violation contains {"msg": msg} if {
	all_containers := array.concat(
		input.review.object.spec.containers,
		object.get(input.review.object, ["spec", "initContainers"], []),
	)
	not mode_is_audit_and_count_is_0(all_containers)
	not mode_is_not_audit_and_host_network_is_true
	some object_ in all_containers
	split_ := split(object_.name, "-")
	not any_allowed_users(split_)
	msg := sprintf("container %v: user %v is not allowed", [object_.name, split_[0]])
}

# rego-style/input.ts:23
violation contains {"msg": msg} if {
	all_containers := array.concat(
		input.review.object.spec.containers,
		object.get(input.review.object, ["spec", "initContainers"], []),
	)
	not mode_is_audit_and_count_is_0(all_containers)
	not mode_is_not_audit_and_host_network_is_true
	some object_ in all_containers
	regex.match(`^\d+\.\d+$`, object_.name)
	msg := sprintf("container %v is named like a version", [object_.name])
}

# rego-style/input.ts:25
violation contains {"msg": msg} if {
	all_containers := array.concat(
		input.review.object.spec.containers,
		object.get(input.review.object, ["spec", "initContainers"], []),
	)
	not mode_is_audit_and_count_is_0(all_containers)
	not mode_is_not_audit_and_host_network_is_true
	"automountServiceAccountToken" in object.keys(input.review.object.spec)
	msg := "automountServiceAccountToken is set"
}

# rego-style/input.ts:15
mode_is_audit_and_count_is_0(all_containers) if {
	input.parameters.mode == "audit"
	count(all_containers) == 0
}

# rego-style/input.ts:17
mode_is_not_audit_and_host_network_is_true if {
	not input.parameters.mode == "audit"
	input.review.object.spec.hostNetwork == true
}

# rego-style/input.ts:22
any_allowed_users(split_) if {
	some u in input.parameters.allowedUsers
	u == split_[0]
}
