package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	rule := input.parameters.runAsUser
	some c in deckhouse.containers(pod)
	not user_allowed(c, rule)
	not lenient(uid(c))
	not exception_allows(c)
	msg := sprintf("Container %v is attempting to run as disallowed user. | runAsUser: %v | policy allows: %v%v", [
		c.name, shown(uid(c)), rule, user_note(c),
	])
}

violation contains {"msg": msg, "details": {}} if {
	rule := input.parameters.runAsGroup
	some c in deckhouse.containers(pod)
	not id_allowed(gid(c), rule)
	not lenient(gid(c))
	msg := sprintf("Container %v is attempting to run as disallowed group. | runAsGroup: %v | policy allows: %v", [c.name, shown(gid(c)), rule])
}

violation contains {"msg": msg, "details": {}} if {
	rule := input.parameters.fsGroup
	not id_allowed(object.get(pod, ["spec", "securityContext", "fsGroup"], null), rule)
	not lenient(object.get(pod, ["spec", "securityContext", "fsGroup"], null))
	msg := sprintf("Pod %v is attempting to run as disallowed fsGroup. | fsGroup: %v | policy allows: %v", [
		pod.metadata.name, shown(object.get(pod, ["spec", "securityContext", "fsGroup"], null)), rule,
	])
}

violation contains {"msg": msg, "details": {}} if {
	rule := input.parameters.supplementalGroups
	groups := object.get(pod, ["spec", "securityContext", "supplementalGroups"], [])
	not groups_allowed(groups, rule)
	not lenient(object.get(pod, ["spec", "securityContext", "supplementalGroups"], null))
	msg := sprintf("Pod %v is attempting to run as disallowed supplementalGroups. | supplementalGroups: %v | policy allows: %v", [pod.metadata.name, groups, rule])
}

# A controller's pod template has not been through mutation: a mutating webhook (a Gatekeeper
# Assign, say) may still set the IDs its Pods run as. So on a controller an ID that is absent (from
# the container and the Pod alike) is left to the Pod's review; one set to a disallowed value is not.
lenient(null) if input.review.object.kind != "Pod"

# A container's setting wins over the Pod's.
uid(c) := c.securityContext.runAsUser
else := pod.spec.securityContext.runAsUser
else := null

gid(c) := c.securityContext.runAsGroup
else := pod.spec.securityContext.runAsGroup
else := null

non_root(c) := c.securityContext.runAsNonRoot
else := pod.spec.securityContext.runAsNonRoot
else := false

shown(null) := "<unset>"

shown(v) := v if v != null

user_allowed(_, rule) if rule.rule == "RunAsAny"

# Non-root: a non-zero UID, or no UID and runAsNonRoot: true (the kubelet then refuses root images).
user_allowed(c, rule) if {
	rule.rule == "MustRunAsNonRoot"
	uid(c) != null
	uid(c) != 0
}

user_allowed(c, rule) if {
	rule.rule == "MustRunAsNonRoot"
	uid(c) == null
	non_root(c) == true
}

user_allowed(c, rule) if {
	rule.rule == "MustRunAs"
	id_allowed(uid(c), rule)
}

# MustRunAs: set and inside a range (any value without ranges); MayRunAs: unset or inside a range.
id_allowed(_, rule) if rule.rule == "RunAsAny"

id_allowed(v, rule) if {
	rule.rule in {"MustRunAs", "MayRunAs"}
	v != null
	in_ranges(v, rule)
}

id_allowed(null, rule) if rule.rule == "MayRunAs"

in_ranges(_, rule) if count(object.get(rule, "ranges", [])) == 0

in_ranges(v, rule) if {
	some r in rule.ranges
	r.min <= v
	v <= r.max
}

groups_allowed(_, rule) if rule.rule == "RunAsAny"

groups_allowed(groups, rule) if {
	rule.rule == "MustRunAs"
	count(groups) > 0
	every g in groups {
		in_ranges(g, rule)
	}
}

groups_allowed(groups, rule) if {
	rule.rule == "MayRunAs"
	every g in groups {
		in_ranges(g, rule)
	}
}

# An exception lists UIDs a container may run as, or allows the runAsNonRoot value it has. An
# exception that also names runAsNonRoot lifts a UID only for a container whose runAsNonRoot (when
# set) is the value it allows: `runAsUser: 0` with `runAsNonRoot: true` is not what an exception for
# root with `runAsNonRoot: false` describes.
exception_allows(c) if {
	uid(c) in deckhouse.entry(pod, c.name, ["securityContext", "runAsUser"]).allowedValues
	not non_root_contradicts(c)
}

non_root_contradicts(c) if {
	e := deckhouse.entry(pod, c.name, ["securityContext", "runAsNonRoot"])
	explicit_non_root(c) != e.allowedValue
}

explicit_non_root(c) := c.securityContext.runAsNonRoot
else := pod.spec.securityContext.runAsNonRoot

exception_allows(c) if {
	uid(c) == null
	deckhouse.allows(pod, c.name, ["securityContext", "runAsNonRoot"], non_root(c))
}

user_note(c) := concat("", [
	deckhouse.note(pod, c.name, ["securityContext", "runAsUser"]),
	deckhouse.note(pod, c.name, ["securityContext", "runAsNonRoot"]),
])
