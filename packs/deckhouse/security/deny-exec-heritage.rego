# Exec and attach into Deckhouse's own Pods (labelled heritage: deckhouse) are for the platform:
# only system:sudouser and service accounts of the d8-* and kube-* namespaces may open them. The
# request's object is PodExecOptions or PodAttachOptions; the Pod comes from Gatekeeper's inventory
# (the module syncs Pods).
package d8.security_policies

violation contains {"msg": msg} if {
	input.review.operation == "CONNECT"
	exec_or_attach
	pod := data.inventory.namespace[input.review.namespace].v1.Pod[input.review.name]
	pod.metadata.labels.heritage == "deckhouse"
	user := object.get(input.review, ["userInfo", "username"], "")
	not platform_user(user)
	msg := sprintf("Exec/attach to Pod %q in namespace %q with label 'heritage: deckhouse' is forbidden for user %q", [input.review.name, input.review.namespace, user])
}

exec_or_attach if input.review.kind.kind in {"PodExecOptions", "PodAttachOptions"}

exec_or_attach if input.review.subResource in {"exec", "attach"}

platform_user("system:sudouser")

platform_user(user) if startswith(user, "system:serviceaccount:d8-")

platform_user(user) if startswith(user, "system:serviceaccount:kube-")
