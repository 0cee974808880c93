# What the pack's Pod security checks share: the Pod a workload stands for, its containers of every kind, and the
# SecurityPolicyException that governs a container or the Pod. A Pod opts into an exception by label:
# `security.deckhouse.io/security-policy-exception.container.<container>` for one container (it wins
# over the Pod label, even when it names an exception that does not exist), otherwise
# `security.deckhouse.io/security-policy-exception` for the whole Pod. Gatekeeper syncs exceptions
# into data.inventory. A field the exception names replaces the policy's decision for that field:
# the value passes when it equals `allowedValue` or is one of `allowedValues`.
package lib.deckhouse

# The Pod an object stands for: a Pod itself, or the Pod a workload creates from its pod template
# (`spec.template`; a CronJob's `spec.jobTemplate.spec.template`) under the workload's name and
# namespace, so a Deployment is judged before its Pods exist. The template's labels bind exceptions,
# as they will be the Pods' labels. Undefined for any other kind.
pod(obj) := obj if obj.kind == "Pod"

pod(obj) := template_pod(obj, obj.spec.template) if obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

pod(obj) := template_pod(obj, obj.spec.jobTemplate.spec.template) if obj.kind == "CronJob"

template_pod(obj, template) := {
	"metadata": object.union(object.get(template, "metadata", {}), object.filter(obj.metadata, {"name", "namespace"})),
	"spec": object.get(template, "spec", {}),
}

# Containers, init containers and ephemeral containers: each is checked the same way.
containers(pod) := array.concat(
	array.concat(object.get(pod, ["spec", "containers"], []), object.get(pod, ["spec", "initContainers"], [])),
	object.get(pod, ["spec", "ephemeralContainers"], []),
)

# Every container that mounts volume `volume`'s name, with the mount.
mounts(pod, volume) := [m | some c in containers(pod); some m in object.get(c, "volumeMounts", []); m.name == volume]

exception_label := "security.deckhouse.io/security-policy-exception"

# The exception that governs container `container` ("" for Pod-level fields). The container label
# is `<exception_label>.container.<container>`; `<exception_label>/<container>`, an older form that
# Deckhouse's own test suites still bind with, is read after it (it is not a valid label key, so
# only objects that never passed an API server carry it).
exception_name(pod, container) := name if {
	container != ""
	name := pod.metadata.labels[concat("", [exception_label, ".container.", container])]
} else := name if {
	container != ""
	name := pod.metadata.labels[concat("", [exception_label, "/", container])]
} else := name if {
	name := pod.metadata.labels[exception_label]
}

namespace_of(pod) := ns if {
	ns := pod.metadata.namespace
} else := input.review.namespace

# The exception's spec, undefined when the label names none or it is not in the inventory.
exception(pod, container) := spec if {
	name := exception_name(pod, container)
	spec := data.inventory.namespace[namespace_of(pod)]["deckhouse.io/v1alpha1"].SecurityPolicyException[name].spec
}

# The exception's entry for a field (`["securityContext", "privileged"]`), undefined when absent.
entry(pod, container, path) := e if {
	e := object.get(exception(pod, container), path, null)
	e != null
}

# The field's value passes through the exception: equal to allowedValue or one of allowedValues.
allows(pod, container, path, value) if entry(pod, container, path).allowedValue == value

allows(pod, container, path, value) if value in entry(pod, container, path).allowedValues

# The decision for a value the policy alone would allow when `policy` is true: an exception that
# names the field replaces the policy's decision, so `allowedValue: false` forbids what the policy
# allows, and `allowedValue: true` allows what it forbids.
permitted(pod, container, path, value, policy) if {
	not entry(pod, container, path)
	policy == true
}

permitted(pod, container, path, value, _) if allows(pod, container, path, value)

# ` | SPE allows: <x>` when an exception was consulted for the field, else "".
note(pod, container, path) := sprintf(" | SPE allows: %v", [e.allowedValue]) if {
	e := entry(pod, container, path)
	object.get(e, "allowedValue", null) != null
} else := sprintf(" | SPE allows: %v", [e.allowedValues]) if {
	e := entry(pod, container, path)
	object.get(e, "allowedValues", null) != null
} else := ""
