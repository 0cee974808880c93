/**
 * `policyc explain --namespace-labels k=v,... [--pod-labels k=v,...]`: which checks, Constraints,
 * SecurityPolicies and OperationPolicies apply to such a Pod, and the merged requirements.
 */
import path from "node:path";
import { diag, hasErrors } from "../../diagnostics/index.js";
import { PC6 } from "../../api/deckhouse/diagnostics.js";
import { explain } from "../../explain/explain.js";
import { parseLabels } from "../../explain/labels.js";
import { renderExplanation } from "../../explain/render.js";
import { objectsFromDir, objectsFromProject } from "../../explain/sources.js";
import { parseCommandArgs, usageError } from "../args.js";
import type { Command } from "../command.js";
import { printDiagnostics } from "../report.js";

const usage = `policyc explain --namespace-labels K=V,... [--pod-labels K=V,...] [options]

Shows which checks (ConstraintTemplates), Constraints, Deckhouse SecurityPolicies and
OperationPolicies apply to a Pod in a namespace with these labels, which do not and why, the
Deckhouse Pod Security Standard in force, and the merged requirements the Pod must meet (for
example every capability some policy requires to be dropped).

  --namespace-labels K=V,...  labels of the Pod's namespace (may be empty: ""; required without --namespace)
  --pod-labels K=V,...        labels of the Pod
  --namespace NAME            the namespace's name (default: its kubernetes.io/metadata.name label); a
                              Namespace of that name in the project brings its labels (given ones win)
  --from DIR                  read manifests from DIR (e.g. generated/manifests) instead of
                              compiling the project
  --config FILE               use this config file instead of searching for policyc.config.ts
  --output text|json          output format (default text)
  -h, --help                  show this help`;

export const command: Command = {
  name: "explain",
  summary: "show which policies apply to a Pod in a namespace, and their merged requirements",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs({ name: "explain", usage }, argv, io, {
      "namespace-labels": { type: "string", placeholder: "K=V,..." },
      "pod-labels": { type: "string", placeholder: "K=V,..." },
      namespace: { type: "string", placeholder: "NAME" },
      from: { type: "string", placeholder: "DIR" },
      config: { type: "string", placeholder: "FILE" },
      output: { type: "string", short: "o", choices: ["text", "json"] },
    });
    if (typeof args === "number") return args;
    const { values } = args;
    const output = values.output ?? "text";
    if (values["namespace-labels"] === undefined && values.namespace === undefined) {
      return usageError(io, "explain", "give --namespace-labels, or --namespace NAME of a Namespace the project defines");
    }
    const ns = parseLabels(values["namespace-labels"] ?? "");
    const podLabels = parseLabels(values["pod-labels"] ?? "");
    for (const [flag, r, text] of [
      ["--namespace-labels", ns, values["namespace-labels"]],
      ["--pod-labels", podLabels, values["pod-labels"] ?? ""],
    ] as const) {
      if ("error" in r) {
        printDiagnostics(io, [diag(PC6.explainLabels, [flag, text], undefined, [r.error])], io.cwd);
        return 1;
      }
    }
    const sources = values.from ? objectsFromDir(path.resolve(io.cwd, values.from), io.cwd) : await objectsFromProject(io.cwd, values.config);
    printDiagnostics(io, sources.diagnostics, sources.root);
    if (hasErrors(sources.diagnostics)) return 1;
    const result = explain(sources.objects, {
      namespaceLabels: (ns as { labels: Record<string, string> }).labels,
      podLabels: (podLabels as { labels: Record<string, string> }).labels,
      ...(values.namespace ? { namespace: values.namespace } : {}),
      ...(sources.podSecurityDefault ? { podSecurityDefault: sources.podSecurityDefault } : {}),
      ...(sources.cluster ? { cluster: sources.cluster } : {}),
    });
    io.stdout(output === "json" ? `${JSON.stringify(result, null, 2)}\n` : `${renderExplanation(result)}\n`);
    return 0;
  },
};
