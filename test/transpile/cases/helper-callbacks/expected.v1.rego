package thelpercallbacks

# helper-callbacks/input.ts:25
violation contains {"msg": msg} if {
	cs := object.get(input.review.object, ["spec", "containers"], [])
	names := [name_of(x) | some x in cs]
	some x in cs
	privileged(x)
	msg := sprintf("privileged among %v", [concat(",", names)])
}

# helper-callbacks/input.ts:28
violation contains {"msg": msg} if {
	cs := object.get(input.review.object, ["spec", "containers"], [])
	some c in cs
	privileged(c)
	not in_allow_privileged(c)
	msg := sprintf("%v is privileged", [c.name])
}

# helper-callbacks/input.ts:30
violation contains {"msg": msg} if {
	cs := object.get(input.review.object, ["spec", "containers"], [])
	some c in cs
	c.securityContext.runAsUser
	msg := sprintf("%v runs as %v", [c.name, describe_user(c.securityContext.runAsUser)])
}

# helper-callbacks/input.ts:3
name_of(c) := lower(c.name)

# helper-callbacks/input.ts:7
privileged(c) := true if {
	c.securityContext.privileged == true
} else := false if {
	c.securityContext.allowPrivilegeEscalation == false
} else := true if {
	"SYS_ADMIN" in c.securityContext.capabilities.add
} else := false

# helper-callbacks/input.ts:28
in_allow_privileged(c) if {
	c.name in input.parameters.allowPrivileged
}

# helper-callbacks/input.ts:13
describe_user(uid) := "root" if {
	uid == 0
} else := sprintf("system user %v", [uid]) if {
	uid < 1000
} else := sprintf("user %v", [uid])
