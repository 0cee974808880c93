package tmissingequality

import future.keywords.in

# missing-equality/input.ts:9
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	same(c)
	msg := sprintf("%v: same user as the pod", [c.name])
}

# missing-equality/input.ts:10
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	not same1(c)
	msg := sprintf("%v: another group than the pod", [c.name])
}

# missing-equality/input.ts:9
same(c) {
	c.securityContext.runAsUser == input.review.object.spec.securityContext.runAsUser
}

same(c) {
	not c.securityContext.runAsUser
	not input.review.object.spec.securityContext.runAsUser
}

# missing-equality/input.ts:10
same1(c) {
	c.securityContext.runAsGroup == input.review.object.spec.securityContext.runAsGroup
}

same1(c) {
	not c.securityContext.runAsGroup
	not input.review.object.spec.securityContext.runAsGroup
}
