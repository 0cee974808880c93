# Exec and attach into Deckhouse's own Pods (labelled heritage: deckhouse) are for the platform:
# only system:sudouser and service accounts of the d8-* and kube-* namespaces may open them. The
# request's object is PodExecOptions or PodAttachOptions; the Pod comes from Gatekeeper's inventory
# (the module syncs Pods).
package d8.security_policies

violation contains {"msg": msg} if {
	pod := judged_pod
	pod.metadata.labels.heritage == "deckhouse"
	user := object.get(input.review, ["userInfo", "username"], "")
	not platform_user(user)
	msg := sprintf("Exec/attach to Pod %q in namespace %q with label 'heritage: deckhouse' is forbidden for user %q", [pod.metadata.name, namespace, user])
}

# The Pod an exec or attach opens, from the inventory; a Constraint that matches Pods themselves
# (as Deckhouse's own suites do) judges the reviewed Pod.
judged_pod := data.inventory.namespace[input.review.namespace].v1.Pod[input.review.name] if {
	input.review.operation == "CONNECT"
	exec_or_attach
} else := input.review.object if input.review.object.kind == "Pod"

namespace := object.get(judged_pod, ["metadata", "namespace"], input.review.namespace)

exec_or_attach if input.review.kind.kind in {"PodExecOptions", "PodAttachOptions"}

exec_or_attach if input.review.subResource in {"exec", "attach"}

platform_user("system:sudouser")

platform_user(user) if startswith(user, "system:serviceaccount:d8-")

platform_user(user) if startswith(user, "system:serviceaccount:kube-")
