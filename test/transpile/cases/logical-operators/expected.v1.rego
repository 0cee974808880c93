package tlogicaloperators

# logical-operators/input.ts:8
violation contains {"msg": msg} if {
	either
	msg := "host namespaces are shared"
}

# logical-operators/input.ts:9
violation contains {"msg": msg} if {
	input.parameters.strict
	not input.review.object.spec.automountServiceAccountToken
	msg := "token automount is not set"
}

# logical-operators/input.ts:11
violation contains {"msg": msg} if {
	condition
	msg := "host network in strict mode"
}

# logical-operators/input.ts:8
either if {
	input.review.object.spec.hostPID
}

either if {
	input.review.object.spec.hostIPC
}

# logical-operators/input.ts:10
condition if {
	input.review.object.spec.hostNetwork
	input.parameters.strict
}
