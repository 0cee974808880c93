package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some field in ["hostPID", "hostIPC"]
	pod.spec[field] == true
	not input.parameters[concat("", ["allow", upper(substring(field, 0, 1)), substring(field, 1, -1)])] == true
	path := ["network", field]
	not deckhouse.allows(pod, "", path, true)
	note := deckhouse.note(pod, "", path)
	msg := sprintf("Sharing the %v namespace is not allowed, pod: %v | %v: true | policy allows: false%v", [field, pod.metadata.name, field, note])
}
