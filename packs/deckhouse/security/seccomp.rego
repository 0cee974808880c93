package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg} if {
	some c in deckhouse.containers(pod)
	profile := profile_of(c)
	profile.type != "undefined"
	not allowed(object.get(input.parameters, "allowedProfiles", []), object.get(input.parameters, "allowedLocalhostFiles", []), profile)
	not exception_allows(c.name, profile)
	msg := sprintf("Seccomp profile is not allowed, container: %v | seccompProfile: %v | policy allows: %v, localhost files: %v%v", [
		c.name, profile.shown, object.get(input.parameters, "allowedProfiles", []), object.get(input.parameters, "allowedLocalhostFiles", []),
		deckhouse.note(pod, c.name, ["securityContext", "seccompProfile"]),
	])
}

# The container's profile: its securityContext, its annotation, the Pod's securityContext, the Pod's
# annotation; `{"type": "undefined"}` when none is set, which is allowed (a container with no profile
# in any source is allowed on a Pod and on a controller alike).
profile_of(c) := from_field(c.securityContext.seccompProfile)
else := from_annotation(pod.metadata.annotations[concat("", ["container.seccomp.security.alpha.kubernetes.io/", c.name])])
else := from_field(pod.spec.securityContext.seccompProfile)
else := from_annotation(pod.metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"])
else := {"type": "undefined", "file": "", "shown": "undefined"}

from_field(p) := {"type": p.type, "file": object.get(p, "localhostProfile", ""), "shown": shown_field(p)}

shown_field(p) := concat("", ["Localhost/", p.localhostProfile]) if p.type == "Localhost"
else := p.type

from_annotation(a) := {"type": "RuntimeDefault", "file": "", "shown": a} if a in {"runtime/default", "docker/default"}
else := {"type": "Unconfined", "file": "", "shown": a} if a == "unconfined"
else := {"type": "Localhost", "file": substring(a, 10, -1), "shown": a} if startswith(a, "localhost/")
else := {"type": a, "file": "", "shown": a}

exception_allows(container, profile) if allowed(deckhouse.entry(pod, container, ["securityContext", "seccompProfile"]).allowedValues, ["*"], profile)

# The names a profile goes by in either form; `*` allows every profile.
synonyms(p) := {"RuntimeDefault", "runtime/default", "docker/default"} if p.type == "RuntimeDefault"
else := {"Unconfined", "unconfined"} if p.type == "Unconfined"
else := {"undefined", ""} if p.type in {"undefined", ""}
else := {p.type}

allowed(list, _, _) if "*" in list

allowed(list, _, p) if {
	p.type != "Localhost"
	some name in list
	name in synonyms(p)
}

# Localhost: the file must be allowed, by allowedLocalhostFiles or in annotation form.
allowed(list, files, p) if {
	p.type == "Localhost"
	"Localhost" in list
	some f in files
	f in {"*", p.file}
}

allowed(list, _, p) if {
	p.type == "Localhost"
	some name in list
	name in {"localhost/*", concat("", ["localhost/", p.file])}
}
