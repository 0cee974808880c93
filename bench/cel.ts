/**
 * Bench hook: CEL beside Rego-Wasm on the same checks. For each Gatekeeper library template that
 * carries both `K8sNativeValidation` and Rego code, the objects and constraint of its suite's cases
 * are evaluated again and again through the same seam `verify`, `test` and `check` use
 * (`PreparedPolicy.evaluate` with Gatekeeper's `{review, parameters}` input): once on policyc's CEL
 * engine, once on the template's Rego compiled to Wasm. Reports evals/s per engine, per template and
 * over all of them. Target: CEL at least as fast as Rego-Wasm over the whole set (CEL/Rego ≥ 1: a
 * template whose CEL runs in place of its Rego, as Gatekeeper's driver order picks, must not make
 * `check` slower). Measured in CPU time, so a shared machine's other work does not count.
 * Run alone with `tsx bench/cel.ts`.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import { loadSuites } from "../src/testing/verify.js";
import { RunFiles } from "../src/testing/run/files.js";
import { isDiagnostic } from "../src/testing/yaml-files.js";
import { readTemplate, isConstraintTemplate } from "../src/testing/gatekeeper/template.js";
import { readConstraint } from "../src/testing/gatekeeper/constraint.js";
import { reviewForObject } from "../src/testing/gatekeeper/review.js";
import { parametersWithDefaults } from "../src/testing/gatekeeper/parameters.js";
import { wasmBackend } from "../src/testing/gatekeeper/backend.js";
import { prepareCelTemplate, prepareTemplate, type PreparedTemplate } from "../src/testing/gatekeeper/client.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const library = path.resolve(root, "..", "shared", "corpora", "gatekeeper-library", "library");

export interface CelBenchRow {
  template: string;
  inputs: number;
  celPerSec: number;
  regoPerSec: number;
}

export interface CelBench {
  rows: CelBenchRow[];
  celPerSec: number;
  regoPerSec: number;
  /** CEL evals/s over Rego evals/s (over the whole set). */
  ratio: number;
}

function celDirs(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) celDirs(p, out);
    else if (e.name === "template.yaml" && /^\s*-?\s*engine:\s*K8sNativeValidation\s*$/m.test(readFileSync(p, "utf8"))) out.push(dir);
  }
  return out.sort();
}

export interface Workload {
  template: string;
  cel: PreparedTemplate;
  rego: PreparedTemplate;
  inputs: unknown[];
}

export async function workloads(): Promise<Workload[]> {
  const files = new RunFiles(root);
  const out = new Map<string, Workload>();
  for (const suite of loadSuites(celDirs(library), root).suites) {
    for (const t of suite.tests) {
      if (!t.template || !t.constraint) continue;
      const objs = files.objects(t.template, "template");
      const c = files.single(t.constraint, "constraint");
      if (isDiagnostic(objs) || isDiagnostic(c)) continue;
      const tobj = objs.find(isConstraintTemplate);
      if (!tobj) continue;
      const info = readTemplate(tobj);
      if (info.k8sNativeValidation === undefined || info.rego === undefined) continue;
      let w = out.get(info.name);
      if (!w) {
        w = { template: info.name, cel: prepareCelTemplate(info), rego: await prepareTemplate(info, wasmBackend, t.template.rel), inputs: [] };
        out.set(info.name, w);
      }
      const parameters = parametersWithDefaults(readConstraint(c).parameters, info.schema);
      for (const k of t.cases) {
        if (!k.object) continue;
        const o = files.single(k.object, "object");
        if (isDiagnostic(o) || o.kind === "AdmissionReview") continue;
        w.inputs.push({ review: reviewForObject(o), parameters });
      }
    }
  }
  return [...out.values()].filter((w) => w.inputs.length > 0);
}

/** This process's CPU time in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Evaluations per CPU second of `p` over `inputs`, repeated until `minMs` of CPU time have passed (after a warm-up of a third of that, so both engines are measured compiled by the JIT). */
export async function rate(p: PreparedTemplate, inputs: unknown[], minMs: number): Promise<{ evals: number; ms: number }> {
  const w0 = cpuMs();
  while (cpuMs() - w0 < minMs / 3) for (const i of inputs) await p.policy.evaluate(i, {});
  let evals = 0;
  const t0 = cpuMs();
  let ms = 0;
  do {
    for (const i of inputs) await p.policy.evaluate(i, {});
    evals += inputs.length;
    ms = cpuMs() - t0;
  } while (ms < minMs);
  return { evals, ms };
}

export async function benchCel(minMsPerTemplate = 300): Promise<CelBench> {
  const rows: CelBenchRow[] = [];
  for (const w of await workloads()) {
    const c = await rate(w.cel, w.inputs, minMsPerTemplate);
    const r = await rate(w.rego, w.inputs, minMsPerTemplate);
    rows.push({ template: w.template, inputs: w.inputs.length, celPerSec: (c.evals / c.ms) * 1000, regoPerSec: (r.evals / r.ms) * 1000 });
  }
  // Over the set: each template weighs as much as the time its evaluations take.
  const celPerSec = (rows.length / rows.reduce((s, r) => s + 1 / r.celPerSec, 0)) | 0;
  const regoPerSec = (rows.length / rows.reduce((s, r) => s + 1 / r.regoPerSec, 0)) | 0;
  return { rows, celPerSec, regoPerSec, ratio: celPerSec / regoPerSec };
}

export function formatCelBench(r: CelBench): string {
  const lines = [`CEL vs Rego-Wasm on the library's ${r.rows.length} templates with both engines (evals/s, same inputs):`];
  for (const row of r.rows) lines.push(`  ${row.template.padEnd(36)} ${String(row.inputs).padStart(3)} inputs  CEL ${row.celPerSec.toFixed(0).padStart(7)}  Rego-Wasm ${row.regoPerSec.toFixed(0).padStart(7)}  CEL/Rego ${(row.celPerSec / row.regoPerSec).toFixed(2)}`);
  lines.push(`  all (harmonic mean): CEL ${r.celPerSec} evals/s, Rego-Wasm ${r.regoPerSec} evals/s, CEL/Rego = ${r.ratio.toFixed(2)}×; target CEL at least as fast as Rego-Wasm: ${r.ratio >= 1 ? "met" : "NOT met"}`);
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(formatCelBench(await benchCel()));
}
