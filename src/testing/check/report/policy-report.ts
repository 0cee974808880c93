/**
 * `-o policy-report`: the results as `wgpolicyk8s.io/v1alpha2` objects, the format policy engines
 * share (Kyverno, Policy Reporter UIs): one PolicyReport per namespace and one ClusterPolicyReport
 * for cluster-scoped objects, named `policyc-check`. Each constraint that matched an object gives
 * one result per violation (deny → fail, warn and dryrun → warn) or one `pass`; an object with
 * errors gives `error`. No timestamps, so the report is deterministic. Validated against
 * `schemas/reports/` before it is printed.
 *
 * Reports are grouped by namespace and each carries its summary before its results, so results are
 * rendered as they come and set aside by namespace (`GroupSpool`, in memory up to a budget, then
 * in a spool file); each report is assembled from its envelope and its results once all are known.
 */
import { schemaValidator } from "../../../emit/schema-validators.js";
import { toYaml, yamlSequenceItem } from "../../../emit/yaml.js";
import type { ObjectResult } from "../evaluate.js";
import { GroupSpool } from "./spool.js";

const RESULT = { deny: "fail", warn: "warn", dryrun: "warn" } as const;
type Outcome = "pass" | "fail" | "warn" | "error" | "skip";
type Summary = Record<Outcome, number>;

/** A PolicyReport result as policyc fills it in (fields in the order the report lists them). */
interface ReportResult {
  source: "policyc";
  policy: string;
  rule: string;
  result: Outcome;
  scored: true;
  message: string;
  resources: [{ apiVersion: string; kind: string; name: string; namespace?: string }];
  properties: Record<string, string>;
}

/** An object's PolicyReport results, in the order the report lists them. */
function resultsOf(r: ObjectResult): ReportResult[] {
  const results: ReportResult[] = [];
  const resource = { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
  const properties = { file: r.origin.file, line: String(r.origin.line), ...(r.origin.source ? { source: r.origin.source } : {}), ...(r.origin.document ? { document: String(r.origin.document) } : {}) };
  const add = (policy: string, rule: string, result: Outcome, message: string, extra: Record<string, string> = {}) => {
    results.push({ source: "policyc", policy, rule, result, scored: true, message, resources: [resource], properties: { ...properties, ...extra } });
  };
  for (const d of r.diagnostics.filter((x) => x.severity === "error")) add(d.code, d.code, "error", d.message);
  const violated = new Set<string>();
  for (const v of r.violations) {
    violated.add(`${v.constraint.kind}/${v.constraint.name}`);
    add(v.constraint.kind, v.constraint.name, RESULT[v.action], v.msg, { enforcementAction: v.enforcementAction });
  }
  for (const id of r.matchedConstraints) {
    if (violated.has(id)) continue;
    const [kind, name] = id.split("/") as [string, string];
    add(kind, name, "pass", `${r.kind} ${r.name} satisfies ${kind}/${name}`);
  }
  return results;
}

/** A namespace's report without its results (`results: []`). */
function envelope(ns: string, summary: Summary): Record<string, unknown> {
  return {
    apiVersion: "wgpolicyk8s.io/v1alpha2",
    kind: ns === "" ? "ClusterPolicyReport" : "PolicyReport",
    metadata: { name: "policyc-check", ...(ns === "" ? {} : { namespace: ns }), labels: { "app.kubernetes.io/managed-by": "policyc" } },
    summary,
    results: [],
  };
}

/** The reports as objects, whole (by namespace, sorted; the cluster's report first). */
export function policyReports(run: { results: readonly ObjectResult[] }): Record<string, unknown>[] {
  const byNs = new Map<string, ReportResult[]>();
  for (const r of run.results) byNs.set(r.namespace, [...(byNs.get(r.namespace) ?? []), ...resultsOf(r)]);
  return [...byNs.keys()].sort().map((ns) => {
    const results = byNs.get(ns)!;
    const summary: Summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const x of results) summary[x.result as Outcome]++;
    return { ...envelope(ns, summary), results };
  });
}

export function renderPolicyReports(reports: readonly Record<string, unknown>[]): string {
  return reports.map((r) => `---\n${toYaml(r)}`).join("");
}

/**
 * Writes the reports as `renderPolicyReports(policyReports(run))` would, keeping only each
 * namespace's summary. Everything is validated before the first byte is written: each result as
 * it comes, each envelope with its summary at the end. The schema constrains `results` item by
 * item (`items: {$ref: result}`, no bounds on the list, nothing else refers to it), so a report
 * is valid exactly when its envelope is and each result is as the only item of a valid report:
 * each result is checked in one reused report of its own, the whole report never built.
 */
export class PolicyReportWriter {
  private readonly spool: GroupSpool;
  private readonly summaries = new Map<string, Summary>();
  private readonly validate = schemaValidator("reports/policyreport-v1alpha2.json");
  private readonly probe = { ...envelope("", { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }), results: [] as ReportResult[] };

  constructor(
    private readonly write: (s: string) => void,
    spoolBudget?: number,
  ) {
    this.spool = new GroupSpool(spoolBudget);
  }

  result(r: ObjectResult): void {
    const ns = r.namespace;
    let summary = this.summaries.get(ns);
    if (!summary) this.summaries.set(ns, (summary = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 }));
    for (const x of resultsOf(r)) {
      summary[x.result]++;
      this.probe.results[0] = x;
      this.check(this.probe);
      // As it sits in its report's `results:` list (`toYaml`'s bytes, by the block writer).
      this.spool.add(ns, yamlSequenceItem(x, "  "));
    }
    this.probe.results.length = 0;
  }

  end(): void {
    try {
      const namespaces = [...this.summaries.keys()].sort();
      const envelopes = namespaces.map((ns) => {
        const e = envelope(ns, this.summaries.get(ns)!);
        this.check(e);
        return toYaml(e);
      });
      namespaces.forEach((ns, i) => {
        const text = envelopes[i]!;
        const empty = Object.values(this.summaries.get(ns)!).every((n) => n === 0);
        if (empty) return this.write(`---\n${text}`);
        // `results` is the envelope's last field.
        if (!text.endsWith("results: []\n")) throw new Error("a PolicyReport's envelope does not end with its results");
        this.write(`---\n${text.slice(0, -"results: []\n".length)}results:\n`);
        this.spool.copy(ns, this.write);
      });
    } finally {
      this.spool.close();
    }
  }

  abort(): void {
    this.spool.close();
  }

  /** An emitted manifest is validated before it is written: a failure here is policyc's bug. */
  private check(report: Record<string, unknown>): void {
    if (!this.validate(report)) throw new Error(`PolicyReport does not match its schema: ${JSON.stringify(this.validate.errors?.[0])}`);
  }
}
