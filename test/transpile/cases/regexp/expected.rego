package tregexp

import future.keywords.in

# regexp/input.ts:11
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	tag := tag_of(c)
	not regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+$`, tag)
	msg := sprintf("%v: tag %v is not a version", [c.name, tag])
}

# regexp/input.ts:12
violation[{"msg": msg}] {
	some c in input.review.object.spec.containers
	regex.match(`(?i)^DEBUG`, c.name)
	msg := sprintf("%v: debug containers are not allowed", [c.name])
}

# regexp/input.ts:10
tag_of(c) := value {
	value := split(object.get(c, "image", ""), ":")[1]
} else := ""
