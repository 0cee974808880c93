package tregressionfinddefault

import future.keywords.every

# regression-find-default/input.ts:19
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	mains := [c | some c in containers; not is_sidecar(c)]
	not has_length(mains)
	msg := sprintf("no main container among %v", [count(containers)])
}

# regression-find-default/input.ts:22
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	mains := [c | some c in containers; not is_sidecar(c)]
	name := name_of(containers)
	input.parameters.verbose
	msg := sprintf("first tagged: %v, verbose=%v, count=%v", [name, input.parameters.verbose, count(mains)])
}

# regression-find-default/input.ts:25
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	mains := [c | some c in containers; not is_sidecar(c)]
	some c in mains
	tag := tag_of(object.get(c, "image", ""))
	tag in input.parameters.tags
	msg := sprintf("%v: tag %v %v", [c.name, tag, value1(tag)])
}

# regression-find-default/input.ts:26
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	mains := [c | some c in containers; not is_sidecar(c)]
	some c in mains
	every m in object.get(c, "volumeMounts", []) {
		m.readOnly == true
	}
	count(object.get(c, "volumeMounts", [])) > 0
	msg := sprintf("%v: all mounts read-only", [c.name])
}

# regression-find-default/input.ts:28
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	mains := [c | some c in containers; not is_sidecar(c)]
	some c in mains
	ports := [n | some n in [p.containerPort | some p in c.ports]; n < 1024]
	count(ports) > 0
	msg := sprintf("%v: privileged ports %v", [c.name, concat(" ", [sprintf("%v", [n]) | some n in ports])])
}

# regression-find-default/input.ts:10
name_starts_with_sidecar_or_any_env(c) {
	startswith(c.name, "sidecar")
}

name_starts_with_sidecar_or_any_env(c) {
	some e in c.env
	e.name == "SIDECAR"
}

# regression-find-default/input.ts:9
is_sidecar(c) {
	name_starts_with_sidecar_or_any_env(c)
}

# regression-find-default/input.ts:19
has_length(mains) {
	count(mains) != 0
}

# regression-find-default/input.ts:21
name_of(containers) := value {
	value := [c | some c in containers; contains(c.image, ":")][0].name
} else := "none"

# regression-find-default/input.ts:6
value_or_default(image) := value {
	value := split(image, ":")[count(split(image, ":")) - 1]
} else := ""

# regression-find-default/input.ts:3
tag_of(image) := "latest" {
	count(split(image, ":")) < 2
} else := value_or_default(image)

# regression-find-default/input.ts:25
value1(tag) := "(implicit or explicit)" {
	tag == "latest"
} else := "is disallowed"
