package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some c in deckhouse.containers(pod)
	profile := profile_of(c)
	not allowed(input.parameters.allowedProfiles, object.get(input.parameters, "allowedLocalhostFiles", []), profile)
	not exception_allows(c.name, profile)
	msg := sprintf("AppArmor profile is not allowed, pod: %v, container: %v | appArmorProfile: %v | policy allows: %v%v", [
		pod.metadata.name, c.name, profile, input.parameters.allowedProfiles,
		deckhouse.note(pod, c.name, ["securityContext", "appArmorProfile"]),
	])
}

# The container's profile in annotation form: its securityContext, the beta annotation, the Pod's
# securityContext, else the runtime's default.
profile_of(c) := as_string(c.securityContext.appArmorProfile)
else := pod.metadata.annotations[concat("", ["container.apparmor.security.beta.kubernetes.io/", c.name])]
else := as_string(pod.spec.securityContext.appArmorProfile)
else := "runtime/default"

as_string(p) := "runtime/default" if p.type == "RuntimeDefault"
else := "unconfined" if p.type == "Unconfined"
else := concat("", ["localhost/", object.get(p, "localhostProfile", "")]) if p.type == "Localhost"

exception_allows(container, profile) if allowed(deckhouse.entry(pod, container, ["securityContext", "appArmorProfile"]).allowedValues, [], profile)

# An entry names a profile in annotation form (`*` allows any profile, `localhost/*` any localhost
# profile) or in securityContext form: `RuntimeDefault` and `Unconfined` are synonyms of
# `runtime/default` and `unconfined`, and `Localhost` allows the localhost profiles whose name is in
# allowedLocalhostFiles (`*`: any).
allowed(list, _, profile) if {
	some entry in list
	matches(entry, profile)
}

allowed(list, _, profile) if {
	some entry in list
	synonym[entry] == profile
}

allowed(list, files, profile) if {
	"Localhost" in list
	startswith(profile, "localhost/")
	some f in files
	f in {"*", substring(profile, count("localhost/"), -1)}
}

synonym := {"RuntimeDefault": "runtime/default", "Unconfined": "unconfined"}

matches(entry, profile) if entry == profile

matches(entry, profile) if {
	endswith(entry, "*")
	startswith(profile, trim_suffix(entry, "*"))
}
