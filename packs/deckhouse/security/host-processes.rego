package d8.security_policies

import data.lib.deckhouse

violation contains {"msg": msg, "details": {}} if {
	some field in ["hostPID", "hostIPC"]
	input.review.object.spec[field] == true
	not input.parameters[concat("", ["allow", upper(substring(field, 0, 1)), substring(field, 1, -1)])] == true
	path := ["network", field]
	not deckhouse.allows(input.review.object, "", path, true)
	note := deckhouse.note(input.review.object, "", path)
	msg := sprintf("Sharing the %v namespace is not allowed, pod: %v | %v: true | policy allows: false%v", [field, input.review.object.metadata.name, field, note])
}
