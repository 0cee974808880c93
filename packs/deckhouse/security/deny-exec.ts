/**
 * D8DenyExec: a template the module installs without rendering a Constraint for it; a cluster's own
 * Constraints of this kind limit `kubectl exec` to non-interactive runs of the allowed programs.
 */
import { defineCheck, regoFile } from "policyc";
import { pod, podReview } from "../support/objects.js";

/** The AdmissionReview of `kubectl exec` into container `main` of Pod `web-1`. */
const exec = (options: { command?: string[]; stdin?: boolean; tty?: boolean }) =>
  podReview({
    subResource: "exec",
    name: "web-1",
    namespace: "app",
    operation: "CONNECT",
    userInfo: { username: "alice@example.com", groups: ["system:authenticated"] },
    object: { apiVersion: "v1", kind: "PodExecOptions", container: "main", ...options },
  });

const allowed = { allowedCommands: ["ls", "cat"] };

export const denyExec = defineCheck<{
  /** Programs (the command's first word) that exec may run. */
  allowedCommands?: string[];
}>({
  kind: "D8DenyExec",
  title: "Exec commands",
  description: "`kubectl exec` may only run the allowed programs, without stdin or a tty.",
  rego: regoFile("./deny-exec.rego"),
  tests: [
    { name: "allowed-command", parameters: allowed, object: exec({ command: ["ls", "-la", "/tmp"] }), violations: "no" },
    { name: "other-command", parameters: allowed, object: exec({ command: ["sh", "-c", "ls"] }), violations: 1, messages: ['Exec command ["sh", "-c", "ls"] is not allowed, container: main | policy allows: ["ls", "cat"]'] },
    { name: "no-command", parameters: allowed, object: exec({}), violations: 1 },
    { name: "stdin", parameters: allowed, object: exec({ command: ["ls"], stdin: true }), violations: 1, messages: ["Interactive exec is not allowed, container: main | stdin: true"] },
    { name: "tty", parameters: allowed, object: exec({ command: ["cat", "/etc/hostname"], tty: true }), violations: 1, messages: ["tty: true"] },
    { name: "interactive-shell", parameters: allowed, object: exec({ command: ["sh"], stdin: true, tty: true }), violations: 3 },
    { name: "no-parameters", object: exec({ command: ["ls"] }), violations: 1 },
    { name: "pod-containers", parameters: allowed, object: pod({ containers: [{ name: "app", image: "a:1", command: ["ls"] }, { name: "side", image: "b:1", command: ["top"], tty: true }] }), violations: 2 },
    { name: "pod-init-container-without-command", parameters: allowed, object: pod({ containers: [{ name: "app", image: "a:1", command: ["cat"], stdin: false }], initContainers: [{ name: "init", image: "b:1" }] }), violations: 1, messages: ["Exec command [] is not allowed, container: init"] },
    { name: "pod-allowed", parameters: allowed, object: pod({ containers: [{ name: "app", image: "a:1", command: ["ls"], tty: false }] }), violations: "no" },
  ],
});
