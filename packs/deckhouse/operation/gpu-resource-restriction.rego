package d8.operation_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

# A container that asks for a GPU resource (a name in its limits or requests matching one of the
# patterns) needs its namespace to carry the label. The namespace is read from Gatekeeper's synced
# inventory; a namespace that is not there cannot be checked, and the request is denied.
violation contains {"msg": msg} if {
	some c in deckhouse.containers(pod)
	resources := gpu_resources(c)
	count(resources) > 0
	namespace := deckhouse.namespace_of(pod)
	some problem in namespace_problems(namespace)
	msg := sprintf("container <%v> requests GPU resources <%v>, but namespace <%v> %v", [c.name, concat(", ", sort(resources)), namespace, problem])
}

gpu_resources(c) := {name |
	some field in ["limits", "requests"]
	some name, _ in object.get(c, ["resources", field], {})
	some pattern in object.get(input.parameters, "gpuResourcePatterns", [])
	regex.match(pattern, name)
}

label := input.parameters.namespaceLabel

namespace_problems(namespace) := {sprintf("is not present in the Gatekeeper cache, so the label <%v> cannot be checked", [label.key])} if {
	not data.inventory.cluster.v1.Namespace[namespace]
} else := {sprintf("does not have label <%v: %v>", [label.key, label.value])} if {
	labels := object.get(data.inventory.cluster.v1.Namespace[namespace], ["metadata", "labels"], {})
	object.get(labels, label.key, null) != label.value
} else := set()
