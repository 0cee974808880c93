package tstringmethods

# string-methods/input.ts:9
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	image := object.get(c, "image", "")
	not image_starts_with(image)
	msg := sprintf("%v: %v is not from %v", [c.name, image, input.parameters.registry])
}

# string-methods/input.ts:10
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	image := object.get(c, "image", "")
	image_ends_with_latest_or_not_in_image(image)
	msg := sprintf("%v: pin a tag", [c.name])
}

# string-methods/input.ts:12
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	image := object.get(c, "image", "")
	repo := repo_of(image)
	not lower(repo) == repo
	msg := sprintf("%v: registry %v must be lowercase", [c.name, upper(repo)])
}

# string-methods/input.ts:13
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	not trim_differs_from_name(c)
	msg := sprintf("%v: name has spaces", [c.name])
}

# string-methods/input.ts:14
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	count(c.name) > 10
	msg := sprintf("%v: name longer than 10", [substring(c.name, 0, 10)])
}

# string-methods/input.ts:15
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	image := object.get(c, "image", "")
	not replace_first(image, "docker.io/", "") == image
	msg := sprintf("%v: %v from docker.io", [c.name, replace_first(image, "docker.io/", "")])
}

# string-methods/input.ts:9
image_starts_with(image) if {
	startswith(image, input.parameters.registry)
}

# string-methods/input.ts:10
image_ends_with_latest_or_not_in_image(image) if {
	endswith(image, ":latest")
}

image_ends_with_latest_or_not_in_image(image) if {
	not contains(image, ":")
}

# string-methods/input.ts:11
repo_of(image) := value if {
	value := split(image, "/")[0]
} else := ""

# string-methods/input.ts:13
trim_differs_from_name(c) if {
	trim_space(c.name) == c.name
}

# policyc library
replace_first(s, old, new) := concat("", [substring(s, 0, i), new, substring(s, i + count(old), -1)]) if {
	i := indexof(s, old)
	i >= 0
} else := s
