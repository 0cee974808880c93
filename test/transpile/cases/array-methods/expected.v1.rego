package tarraymethods

# array-methods/input.ts:10
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	names := [c.name | some c in containers]
	missing := [r | some r in input.parameters.required; not r in names]
	count(missing) > 0
	msg := sprintf("missing containers: %v", [concat(", ", missing)])
}

# array-methods/input.ts:11
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	not all_containers(containers)
	msg := "every container needs an image"
}

# array-methods/input.ts:12
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	some c in containers
	c.stdin == true
	msg := "stdin is not allowed"
}

# array-methods/input.ts:14
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	[c1 | some c1 in containers; startswith(c1.name, "sidecar-")][0]
	msg := sprintf(
		"sidecar %v must not come first",
		[[c1 | some c1 in containers; startswith(c1.name, "sidecar-")][0].name],
	)
}

# array-methods/input.ts:16
violation contains {"msg": msg} if {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	all_ := array.concat(containers, object.get(input.review.object, ["spec", "initContainers"], []))
	count(all_) > 3
	msg := sprintf("too many containers: %v", [count(all_)])
}

# array-methods/input.ts:11
all_containers(containers) if {
	every c in containers {
		c.image
	}
}
