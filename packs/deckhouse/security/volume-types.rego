package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some volume in object.get(pod, ["spec", "volumes"], [])
	some type, _ in volume
	type != "name"
	not type in input.parameters.volumes
	not "*" in input.parameters.volumes
	not exception_allows(type)
	msg := sprintf("The volume type %v is not allowed, pod: %v. | policy allows: %v%v", [
		type, pod.metadata.name, input.parameters.volumes, deckhouse.note(pod, "", ["volumes", "types"]),
	])
}

exception_allows(type) if type in deckhouse.entry(pod, "", ["volumes", "types"]).allowedValues
