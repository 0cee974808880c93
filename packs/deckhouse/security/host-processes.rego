package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some field in ["hostPID", "hostIPC"]
	pod.spec[field] == true
	policy := object.get(input.parameters, concat("", ["allow", upper(substring(field, 0, 1)), substring(field, 1, -1)]), false) == true
	path := ["network", field]
	not deckhouse.permitted(pod, "", path, true, policy)
	note := deckhouse.note(pod, "", path)
	msg := sprintf("Sharing the %v namespace is not allowed, pod: %v | %v: true | policy allows: %v%v", [field, pod.metadata.name, field, policy, note])
}
