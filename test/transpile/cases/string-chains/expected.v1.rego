package tstringchains

# string-chains/input.ts:14
violation contains {"msg": msg} if {
	ns := object.get(input.review.object, ["metadata", "namespace"], "")
	some c in input.review.object.spec.containers
	image := trim_space(object.get(c, "image", ""))
	host := host_of(image)
	tag := tag_of(image)
	not local(image)
	not to_lower_case_differs_from_to_lower_case(host)
	msg := sprintf(
		"%v: %v (%v) in %v, debug=%v, tagged=%v",
		[c.name, host, substring(image, 1, -1), value1(ns), input.parameters.debug, tag != ""],
	)
}

# string-chains/input.ts:16
violation contains {"msg": msg} if {
	some c in input.review.object.spec.containers
	image := trim_space(object.get(c, "image", ""))
	indexof(image, "/") < 0
	contains(lower(c.name), "test")
	msg := sprintf("%v: local test image %v", [c.name, value2(image)])
}

# string-chains/input.ts:10
host_of(image) := value if {
	value := split(image, "/")[0]
} else := ""

# string-chains/input.ts:11
tag_of(image) := value if {
	value := split(image, ":")[1]
} else := ""

# string-chains/input.ts:13
local(image) if {
	indexof(image, "/") < 0
}

# string-chains/input.ts:13
to_lower_case_differs_from_to_lower_case(host) if {
	lower(host) == lower(input.parameters.registry)
}

# string-chains/input.ts:14
value1(ns) := ns if {
	ns != ""
} else := "no namespace"

# string-chains/input.ts:16
value2(image) := image if {
	image != ""
} else := "<none>"
