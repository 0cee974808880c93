package toptionalchaining

import future.keywords.in

# optional-chaining/input.ts:9
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	user := user_of(c)
	user == 0
	msg := sprintf("%v runs as root", [c.name])
}

# optional-chaining/input.ts:10
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	c.securityContext.privileged
	msg := sprintf("%v is privileged", [c.name])
}

# optional-chaining/input.ts:8
value_or_default(c) := value {
	value := c.securityContext.runAsUser
} else := input.parameters.defaultUser

# optional-chaining/input.ts:8
user_of(c) := value {
	value := value_or_default(c)
} else := 0
