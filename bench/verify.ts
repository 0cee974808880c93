/**
 * Bench hook: wall time of `policyc verify` over the whole Gatekeeper library (49 suites, 270
 * cases), cold (first run in the process: engine load, compiling every template) and warm (templates
 * cached). Target: cold ≤ 5 s on the reference machine. Run alone with `tsx bench/verify.ts`.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { verify } from "../src/testing/verify.js";
import { countResults } from "../src/testing/run/results.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const library = path.resolve(root, "..", "shared", "corpora", "gatekeeper-library", "library");

export interface BenchResult {
  name: string;
  metrics: Record<string, number>;
  targets: Record<string, number>;
  ok: boolean;
  note?: string;
}

export async function benchVerify(): Promise<BenchResult> {
  const t0 = performance.now();
  const cold = await verify([library], { cwd: root });
  const coldMs = performance.now() - t0;
  const t1 = performance.now();
  await verify([library], { cwd: root });
  const warmMs = performance.now() - t1;
  const c = countResults(cold);
  return {
    name: "policyc verify: Gatekeeper library",
    metrics: { coldMs: Math.round(coldMs), warmMs: Math.round(warmMs), passed: c.passed, failed: c.failed, suites: cold.suites.length },
    targets: { coldMs: 5000 },
    ok: coldMs <= 5000,
    note: `${c.passed} passed, ${c.failed} failed`,
  };
}

export const benches = [benchVerify];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await benchVerify();
  console.log(`${r.name}: cold ${r.metrics.coldMs} ms (target ≤ ${r.targets.coldMs} ms), warm ${r.metrics.warmMs} ms; ${r.note}`);
  process.exitCode = r.ok ? 0 : 1;
}
