package tlogicaloperators

# logical-operators/input.ts:8
violation[{"msg": msg}] {
	either
	msg := "host namespaces are shared"
}

# logical-operators/input.ts:9
violation[{"msg": msg}] {
	input.parameters.strict
	not input.review.object.spec.automountServiceAccountToken
	msg := "token automount is not set"
}

# logical-operators/input.ts:11
violation[{"msg": msg}] {
	condition
	msg := "host network in strict mode"
}

# logical-operators/input.ts:8
either {
	input.review.object.spec.hostPID
}

either {
	input.review.object.spec.hostIPC
}

# logical-operators/input.ts:10
condition {
	input.review.object.spec.hostNetwork
	input.parameters.strict
}
