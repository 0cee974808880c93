package tcelcallbacks

import future.keywords.every

# cel-callbacks/input.ts:25
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	not all_containers(containers)
	msg := sprintf("not pinned: %v", [concat(", ", [label(x) | some x in [c | some c in containers; not pinned(c)]])])
}

# cel-callbacks/input.ts:26
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	some x in containers
	read_only(x)
	not all_containers1(containers)
	msg := "read-only root filesystems are mixed"
}

# cel-callbacks/input.ts:28
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	[c | some c in containers; regex.match(`(?i)^(debug|tmp)-`, c.name)][0]
	msg := sprintf(
		"debug container %v (image %v)",
		[[c | some c in containers; regex.match(`(?i)^(debug|tmp)-`, c.name)][0].name, value_or_default(containers)],
	)
}

# cel-callbacks/input.ts:31
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	names := array.concat([c.name | some c in containers], [input.parameters.sidecar])
	some r in input.parameters.required
	not r in names
	msg := sprintf("missing %v among %v", [r, concat("/", names)])
}

# cel-callbacks/input.ts:35
violation[{"msg": msg}] {
	containers := object.get(input.review.object, ["spec", "containers"], [])
	some c in containers
	[p | some p in c.ports; p.containerPort < 1024; not p.name == c.name][0]
	msg := sprintf(
		"%v: privileged port %v",
		[label(c), [p | some p in c.ports; p.containerPort < 1024; not p.name == c.name][0].containerPort],
	)
}

# cel-callbacks/input.ts:6
pinned(c) := false {
	not c.image
} else := true {
	regex.match(`@sha256:[0-9a-f]{8,}$`, c.image)
} else := false

# cel-callbacks/input.ts:25
all_containers(containers) {
	every x in containers {
		pinned(x)
	}
}

# cel-callbacks/input.ts:11
label(c) := sprintf("%v (privileged)", [c.name]) {
	c.securityContext.privileged == true
} else := c.name

# cel-callbacks/input.ts:16
read_only(c) {
	c.securityContext.readOnlyRootFilesystem == true
}

# cel-callbacks/input.ts:26
all_containers1(containers) {
	every x1 in containers {
		read_only(x1)
	}
}

# cel-callbacks/input.ts:28
value_or_default(containers) := value {
	value := [c | some c in containers; regex.match(`(?i)^(debug|tmp)-`, c.name)][0].image
} else := "none"
