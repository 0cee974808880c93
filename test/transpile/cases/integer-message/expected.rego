package cintegermessage

import future.keywords.in

# integer-message/input.ts:8
violation[{"msg": msg}] {
	n > input.parameters.maxContainers
	msg := sprintf(
		"%v containers, at most %v allowed (limits %v)",
		[n, input.parameters.maxContainers, concat(",", [sprintf("%v", [x]) | some x in input.parameters.limits])],
	)
}

# integer-message/input.ts:7
n := value {
	value := count(input.review.object.spec.containers)
} else := 0
