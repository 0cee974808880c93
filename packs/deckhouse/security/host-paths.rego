package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	some volume in object.get(pod, ["spec", "volumes"], [])
	path := trim_slash(volume.hostPath.path)
	not policy_allows(volume, path)
	not exception_allows(volume, path)
	msg := sprintf("HostPath volume is not allowed, pod: %v. | hostPath: %v, readOnly: %v | policy allows: %v%v", [
		pod.metadata.name, volume.hostPath.path, all_read_only(volume),
		input.parameters.allowedHostPaths, deckhouse.note(pod, "", ["volumes", "hostPath"]),
	])
}

# Prefixes match whole path segments: /foo allows /foo and /foo/bar, not /foobar.
policy_allows(volume, path) if {
	some allowed in input.parameters.allowedHostPaths
	prefix_of(trim_slash(allowed.pathPrefix), path)
	read_only_satisfied(volume, object.get(allowed, "readOnly", false))
}

exception_allows(volume, path) if {
	some allowed in deckhouse.entry(pod, "", ["volumes", "hostPath"]).allowedValues
	trim_slash(allowed.path) == path
	read_only_satisfied(volume, object.get(allowed, "readOnly", false))
}

read_only_satisfied(_, false)

read_only_satisfied(volume, true) if read_only(volume)

# Every mount of the volume is read-only.
read_only(volume) if {
	every m in deckhouse.mounts(pod, volume.name) {
		m.readOnly == true
	}
}

all_read_only(volume) := true if read_only(volume)
else := false

trim_slash(p) := "/" if trim_right(p, "/") == ""
else := trim_right(p, "/")

prefix_of("/", _)

prefix_of(prefix, path) if prefix == path

prefix_of(prefix, path) if startswith(path, concat("", [prefix, "/"]))
