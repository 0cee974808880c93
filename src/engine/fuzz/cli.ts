/**
 * `npm run fuzz [-- --count N] [--seed S] [--start I]`: a long fuzz run (fuzz.ts) over the corpora
 * in ../shared. Prints the outcome classes and every crash with what reproduces it (seed and
 * program index: `--seed S --start I --count 1`); exits 1 when there was a crash.
 */
import path from "node:path";
import { existsSync } from "node:fs";
import { packageRoot } from "../conformance/cases.js";
import { fuzz, loadSeeds } from "./fuzz.js";

function option(name: string, fallback: number): number {
  const argv = process.argv.slice(2);
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = argv[i]!.includes("=") ? argv[i]!.split("=")[1] : argv[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`npm run fuzz: --${name} takes a non-negative integer, got ${raw}`);
    process.exit(1);
  }
  return n;
}

const count = option("count", 20_000);
const seed = option("seed", 1);
const start = option("start", 0);
const shared = path.resolve(packageRoot(), "..", "shared", "corpora");
const conformance = path.join(shared, "opa-conformance", "v1");
const library = path.join(shared, "gatekeeper-library", "library");
if (!existsSync(conformance) && !existsSync(library)) {
  console.error(`npm run fuzz: no corpora at ${shared} (OPA conformance, Gatekeeper library)`);
  process.exit(1);
}
const seeds = loadSeeds(conformance, library);
console.log(`fuzzing ${count} programs (seed ${seed}, from #${start}) mutated from ${seeds.length} seed programs`);
let done = 0;
const summary = fuzz(seeds, {
  seed,
  count,
  start,
  onResult: (r) => {
    if (r.outcome.startsWith("crash")) console.log(`CRASH #${r.program.index} ${r.outcome} (${r.program.origin}; ${r.program.mutations.join("; ")}): ${r.detail ?? ""}`);
    if (++done % 1000 === 0) console.log(`  ${done} programs`);
  },
});
const secs = (summary.ms / 1000).toFixed(1);
console.log(`\n${summary.programs} programs in ${secs} s (${((summary.ms / summary.programs) || 0).toFixed(1)} ms each)`);
for (const [k, v] of Object.entries(summary.outcomes).sort()) console.log(`  ${k.padEnd(22)} ${v}`);
console.log(`crashes: ${summary.crashes.length}`);
process.exit(summary.crashes.length > 0 ? 1 : 0);
