package tlogicaloperators

# logical-operators/input.ts:8
violation[{"msg": msg}] {
	host_pid_or_host_ipc
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
	host_network_and_strict
	msg := "host network in strict mode"
}

# logical-operators/input.ts:8
host_pid_or_host_ipc {
	input.review.object.spec.hostPID
}

host_pid_or_host_ipc {
	input.review.object.spec.hostIPC
}

# logical-operators/input.ts:10
host_network_and_strict {
	input.review.object.spec.hostNetwork
	input.parameters.strict
}
