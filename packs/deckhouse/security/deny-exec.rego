# Exec into a Pod is limited to non-interactive runs of the allowed programs. The request's object
# is PodExecOptions (a CONNECT review of pods/exec): its command's program (argv[0]) must be one of
# allowedCommands, and neither stdin nor a tty may be requested. A Constraint that matches Pods
# themselves (as Deckhouse's own suites do) judges each container's command, stdin and tty the same
# way.
package d8.security_policies

violation contains {"msg": msg} if {
	some run in runs
	not command_allowed(run.command)
	msg := sprintf("Exec command %v is not allowed, container: %v | policy allows: %v", [run.command, run.container, object.get(input.parameters, "allowedCommands", [])])
}

violation contains {"msg": msg} if {
	some run in runs
	some field in ["stdin", "tty"]
	run[field] == true
	msg := sprintf("Interactive exec is not allowed, container: %v | %v: true", [run.container, field])
}

# What each exec runs: the one exec request, or every container of a reviewed Pod.
runs contains run_of(object.get(input.review.object, "container", ""), input.review.object) if {
	input.review.object.kind == "PodExecOptions"
}

runs contains run_of(c.name, c) if {
	input.review.object.kind == "Pod"
	some c in array.concat(object.get(input.review.object, ["spec", "containers"], []), object.get(input.review.object, ["spec", "initContainers"], []))
}

run_of(container, o) := {
	"container": container,
	"command": object.get(o, "command", []),
	"stdin": object.get(o, "stdin", false),
	"tty": object.get(o, "tty", false),
}

command_allowed(command) if command[0] in object.get(input.parameters, "allowedCommands", [])
