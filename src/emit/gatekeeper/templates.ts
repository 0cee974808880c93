/**
 * ConstraintTemplates, one file per check: `manifests/constrainttemplate-<name>.yaml`. Rego goes in
 * the legacy `rego:` field for v0 or in `code[]` with `source.version: "v1"` for v1 (never both:
 * a non-empty legacy field would override the code entry), by each check's own `regoVersion`. A
 * check with CEL lists a `K8sNativeValidation` entry first in `code[]`, as the Gatekeeper library's
 * templates do: Gatekeeper runs it where its CEL driver is enabled (and can generate a
 * ValidatingAdmissionPolicy from it), and the Rego elsewhere.
 */
import type { CheckIR, ConfigIR, ProjectIR } from "../../ir/ir.js";
import type { EmitResult, Emitter, GeneratedFile } from "../emitter.js";
import { toYaml } from "../yaml.js";

export const TARGET = "admission.k8s.gatekeeper.sh";

export function templateObject(check: CheckIR, config: ConfigIR): Record<string, unknown> {
  const annotations: Record<string, string> = { ...(check.annotations ?? {}) };
  if (check.title) annotations["metadata.gatekeeper.sh/title"] = check.title;
  if (check.description) annotations.description = check.description;
  if (check.severity) annotations["policyc.dev/severity"] = check.severity;
  if (check.remediation) annotations["policyc.dev/remediation"] = check.remediation;
  if (check.docsUrl) annotations["policyc.dev/docs-url"] = check.docsUrl;
  if (config.argocd.enabled) annotations["argocd.argoproj.io/sync-wave"] = String(config.argocd.templatesWave);
  const metadata: Record<string, unknown> = { name: check.name };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;

  const names: Record<string, unknown> = { kind: check.kind };
  if (check.shortNames.length > 0) names.shortNames = [...check.shortNames];
  const crdSpec: Record<string, unknown> = { names };
  if (check.parameters.properties || check.parameters.additionalProperties) {
    crdSpec.validation = { openAPIV3Schema: check.parameters };
  }
  const body = check.body;
  const libs = body.libs.map((l) => l.text);
  const target: Record<string, unknown> = { target: TARGET };
  const code: Record<string, unknown>[] = [];
  if (check.cel) code.push({ engine: "K8sNativeValidation", source: check.cel.source });
  if (check.regoVersion === "v1") {
    const source: Record<string, unknown> = { version: "v1", rego: body.main.text };
    if (libs.length > 0) source.libs = libs;
    code.push({ engine: "Rego", source });
  } else {
    target.rego = body.main.text;
    if (libs.length > 0) target.libs = libs;
  }
  if (code.length > 0) target.code = code;
  return {
    apiVersion: "templates.gatekeeper.sh/v1",
    kind: "ConstraintTemplate",
    metadata,
    spec: { crd: { spec: crdSpec }, targets: [target] },
  };
}

export const templatesEmitter: Emitter = {
  id: "gatekeeper-templates",
  emit(project: ProjectIR, config: ConfigIR): EmitResult {
    const files: GeneratedFile[] = project.checks.map((check) => {
      const object = templateObject(check, config);
      return {
        path: `manifests/constrainttemplate-${check.name}.yaml`,
        content: toYaml(object),
        object,
        schema: "gatekeeper/constrainttemplate.json",
        origin: check.origin,
      };
    });
    return { files, diagnostics: [] };
  },
};
