/**
 * The pack against templates exported from a cluster (`kubectl get constrainttemplates -o yaml`):
 * for every kind both define, the parameter schemas (property names and types) and the decisions of
 * the pack's own test cases (violation or not) when the cluster's template judges them. Messages are
 * not compared: their wording differs between Deckhouse releases (research §6).
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { verify } from "../testing/verify.js";
import { readOwnYaml } from "../testing/yaml-files.js";
import { PACK_DIR, packTemplates } from "./pack.js";

type Obj = Record<string, any>;

export interface KindComparison {
  kind: string;
  /** Differences of the parameter schema (`+x` only in the cluster's, `-x` only in the pack's, `x: a → b` type). */
  schema: string[];
  /** Pack cases whose decision differs under the cluster's template. */
  decisions: { test: string; case: string; reasons: string[] }[];
  cases: number;
}

function properties(t: Obj): Record<string, string> {
  const props = (t.spec?.crd?.spec?.validation?.openAPIV3Schema?.properties ?? {}) as Record<string, Obj>;
  return Object.fromEntries(Object.entries(props).map(([k, s]) => [k, String(s?.type ?? "(untyped)")]));
}

export function schemaDifferences(pack: Obj, cluster: Obj): string[] {
  const a = properties(pack);
  const b = properties(cluster);
  const out: string[] = [];
  for (const k of Object.keys(b).sort()) if (!(k in a)) out.push(`+${k}`);
  for (const k of Object.keys(a).sort()) {
    if (!(k in b)) out.push(`-${k}`);
    else if (a[k] !== b[k]) out.push(`${k}: ${a[k]} → ${b[k]}`);
  }
  return out;
}

/** Rewrites a pack suite to use `template` and to assert decisions only (`yes`/`no`). */
function decisionSuite(suite: Obj, template: string): Obj {
  for (const t of suite.tests ?? []) {
    t.template = template;
    for (const c of t.cases ?? []) {
      const wantsViolation = (c.assertions ?? []).some((a: Obj) => a.violations === "yes" || (typeof a.violations === "number" && a.violations > 0));
      c.assertions = [{ violations: wantsViolation ? "yes" : "no" }];
    }
  }
  return suite;
}

export async function comparePack(cluster: Map<string, Obj>): Promise<KindComparison[]> {
  const pack = packTemplates();
  const out: KindComparison[] = [];
  const work = mkdtempSync(path.join(os.tmpdir(), "policyc-deckhouse-compare-"));
  try {
    for (const [kind, theirs] of [...cluster].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const ours = pack.get(kind);
      if (!ours) continue;
      const dir = path.join(work, kind.toLowerCase());
      cpSync(path.join(PACK_DIR, "generated/tests", kind.toLowerCase()), dir, { recursive: true });
      for (const f of readdirSync(dir)) if (f === "golden.json") rmSync(path.join(dir, f));
      writeFileSync(path.join(dir, "template.yaml"), YAML.stringify(theirs));
      const suiteFile = path.join(dir, "suite.yaml");
      const suite = decisionSuite(readOwnYaml(suiteFile, "suite")[0] as Parameters<typeof decisionSuite>[0], "template.yaml");
      writeFileSync(suiteFile, YAML.stringify(suite));
      const result = await verify([dir], { cwd: work });
      const decisions: KindComparison["decisions"] = [];
      let cases = 0;
      for (const s of result.suites) {
        for (const t of s.tests) {
          if (t.invalid || t.cases.length === 0) decisions.push({ test: t.name, case: "(all)", reasons: [...t.reasons, ...t.diagnostics.map((d) => d.message)] });
          for (const c of t.cases) {
            cases++;
            if (c.status === "fail") decisions.push({ test: t.name, case: c.name, reasons: [...c.reasons, ...c.diagnostics.map((d) => d.message)] });
          }
        }
        for (const d of s.diagnostics) decisions.push({ test: s.display, case: "(suite)", reasons: [d.message] });
      }
      out.push({ kind, schema: schemaDifferences(ours, theirs), decisions, cases });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
