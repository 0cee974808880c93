package d8.security_policies

import data.lib.deckhouse

pod := deckhouse.pod(input.review.object)

violation contains {"msg": msg, "details": {}} if {
	pod.spec.hostNetwork == true
	policy := object.get(input.parameters, "allowHostNetwork", false) == true
	not deckhouse.permitted(pod, "", ["network", "hostNetwork"], true, policy)
	note := deckhouse.note(pod, "", ["network", "hostNetwork"])
	msg := sprintf("The hostNetwork or hostPort are not allowed, pod: %v | hostNetwork: true | policy allows: %v%v", [pod.metadata.name, policy, note])
}

# A hostPort outside the allowed ranges. With hostNetwork every containerPort is a host port too.
# Without `ranges` (a SecurityPolicy that leaves allowedHostPorts out) host ports are not checked;
# `ranges: []` allows none.
violation contains {"msg": msg, "details": {}} if {
	is_array(input.parameters.ranges)
	some c in deckhouse.containers(pod)
	some p in object.get(c, "ports", [])
	some port in host_ports(p)
	not in_ranges(port)
	not exception_port(port, object.get(p, "protocol", "TCP"))
	msg := sprintf("The hostNetwork or hostPort are not allowed, pod: %v | hostPort: %v | policy allows: %v%v", [pod.metadata.name, port, object.get(input.parameters, "ranges", []), ports_note])
}

host_ports(p) := {port | some port in [object.get(p, "hostPort", 0), network_port(p)]; port > 0}

network_port(p) := p.containerPort if pod.spec.hostNetwork == true
else := 0

in_ranges(port) if {
	some r in input.parameters.ranges
	r.min <= port
	port <= r.max
}

exception_port(port, protocol) if {
	some e in deckhouse.entry(pod, "", ["network", "hostPorts"])
	e.port == port
	object.get(e, "protocol", "TCP") == protocol
}

ports_note := sprintf(" | SPE allows: %v", [[{"port": e.port, "protocol": object.get(e, "protocol", "TCP")} | some e in deckhouse.entry(pod, "", ["network", "hostPorts"])]]) if {
	deckhouse.entry(pod, "", ["network", "hostPorts"])
} else := ""
