/**
 * `-o policy-report`: the results as `wgpolicyk8s.io/v1alpha2` objects, the format policy engines
 * share (Kyverno, Policy Reporter UIs): one PolicyReport per namespace and one ClusterPolicyReport
 * for cluster-scoped objects, named `policyc-check`. Each constraint that matched an object gives
 * one result per violation (deny → fail, warn and dryrun → warn) or one `pass`; an object with
 * errors gives `error`. No timestamps, so the report is deterministic. Validated against
 * `schemas/reports/` before it is printed.
 */
import { toYaml } from "../../../emit/yaml.js";
import type { ObjectResult } from "../evaluate.js";
import type { CheckRun } from "../run.js";

const RESULT = { deny: "fail", warn: "warn", dryrun: "warn" } as const;
type Outcome = "pass" | "fail" | "warn" | "error" | "skip";

export function policyReports(run: CheckRun): Record<string, unknown>[] {
  const byNs = new Map<string, ObjectResult[]>();
  for (const r of run.results) byNs.set(r.namespace, [...(byNs.get(r.namespace) ?? []), r]);
  const reports: Record<string, unknown>[] = [];
  for (const ns of [...byNs.keys()].sort()) {
    const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    const results: Record<string, unknown>[] = [];
    for (const r of byNs.get(ns)!) {
      const resource = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
      const properties = { file: r.origin.file, line: String(r.origin.line), ...(r.origin.source ? { source: r.origin.source } : {}), ...(r.origin.document ? { document: String(r.origin.document) } : {}) };
      const add = (policy: string, rule: string, result: Outcome, message: string, extra: Record<string, string> = {}) => {
        summary[result]++;
        results.push({ source: "policyc", policy, rule, result, scored: true, message, resources: [resource], properties: { ...properties, ...extra } });
      };
      for (const d of r.diagnostics.filter((x) => x.severity === "error")) add(d.code, d.code, "error", d.message);
      const violated = new Set<string>();
      for (const v of r.violations) {
        const id = `${v.constraint.kind}/${v.constraint.name}`;
        violated.add(id);
        add(v.constraint.kind, v.constraint.name, RESULT[v.action], v.msg, { enforcementAction: v.enforcementAction });
      }
      for (const id of r.matchedConstraints) {
        if (violated.has(id)) continue;
        const [kind, name] = id.split("/") as [string, string];
        add(kind, name, "pass", `${r.kind} ${r.name} satisfies ${kind}/${name}`);
      }
    }
    reports.push({
      apiVersion: "wgpolicyk8s.io/v1alpha2",
      kind: ns === "" ? "ClusterPolicyReport" : "PolicyReport",
      metadata: { name: "policyc-check", ...(ns === "" ? {} : { namespace: ns }), labels: { "app.kubernetes.io/managed-by": "policyc" } },
      summary,
      results,
    });
  }
  return reports;
}

export function renderPolicyReports(reports: readonly Record<string, unknown>[]): string {
  return reports.map((r) => `---\n${toYaml(r)}`).join("");
}
