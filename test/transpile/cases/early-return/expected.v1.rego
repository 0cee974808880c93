package tearlyreturn

# early-return/input.ts:10
violation contains {"msg": msg} if {
	input.review.object.metadata
	not in_exempt_names
	input.review.object.spec.hostNetwork
	msg := sprintf("pod %v uses the host network", [object.get(input.review.object, ["metadata", "name"], "?")])
}

# early-return/input.ts:9
in_exempt_names if {
	object.get(input.review.object, ["metadata", "name"], "") in input.parameters.exemptNames
}
