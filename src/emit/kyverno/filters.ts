/**
 * Emits `kyverno/resource-filters.yaml` when `kyverno.resourceFilters` is on: the `resourceFilters`
 * entries for Kyverno's ConfigMap that exclude the exempt namespaces engine-wide, as a Helm-values
 * and ConfigMap snippet. It is not a manifest (the ConfigMap belongs to Kyverno's chart), so it
 * stays out of `manifests/` and the kustomization.
 */
import type { ConfigIR, ProjectIR } from "../../ir/ir.js";
import type { EmitResult, Emitter } from "../emitter.js";
import { toYaml } from "../yaml.js";
import { resourceFilterEntries } from "./exceptions.js";
import { exemptNamespacesOf, kyvernoConfigOf } from "./lower.js";

export const kyvernoFiltersEmitter: Emitter = {
  id: "kyverno-resource-filters",
  emit(_project: ProjectIR, config: ConfigIR): EmitResult {
    if (!kyvernoConfigOf(config).resourceFilters) return { files: [], diagnostics: [] };
    const entries = resourceFilterEntries(exemptNamespacesOf(config));
    const header =
      "# Kyverno ConfigMap `resourceFilters` entries that skip the exempt namespaces engine-wide.\n" +
      "# Append `resourceFilters` to the value in Kyverno's ConfigMap (Helm: config.resourceFilters).\n" +
      "# Background report scans ignore them unless the reports controller runs with --skipResourceFilters=false.\n";
    return { files: [{ path: "kyverno/resource-filters.yaml", content: header + toYaml({ resourceFilters: entries }) }], diagnostics: [] };
  },
};
