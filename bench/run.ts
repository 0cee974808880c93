/**
 * `npm run bench`: every speed and memory target of the project in one report. Each area keeps
 * its own hook (bench/*.ts, src/engine/<stage>/bench.ts); this file only runs them in order and
 * prints numbers, targets and ratios. It never fails a build: targets are reported, not asserted.
 * Usage: npm run bench [-- --only parse,compile,eval,walk,build,verify,check,transpile] [-- --quick]
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const library = path.resolve(root, "..", "shared", "corpora", "gatekeeper-library", "library");
const hasLibrary = existsSync(library);

const argv = process.argv.slice(2);
const onlyArg = argv.find((a) => a.startsWith("--only"));
const only = onlyArg ? new Set((onlyArg.includes("=") ? onlyArg.split("=")[1]! : argv[argv.indexOf(onlyArg) + 1] ?? "").split(",")) : undefined;
const quick = argv.includes("--quick");
const want = (name: string) => !only || only.has(name);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const fmt = (n: number, digits = 0) => n.toFixed(digits);

function needLibrary(what: string): boolean {
  if (!hasLibrary) console.log(`${what}: skipped (needs ../shared/corpora/gatekeeper-library)`);
  return hasLibrary;
}

async function main(): Promise<void> {
  console.log(`policyc benchmarks on ${process.platform}/${process.arch}, Node ${process.version}\n`);

  if (want("parse") && needLibrary("Rego parse")) {
    const { benchParseLibrary } = await import("../src/engine/rego/bench.js");
    const r = benchParseLibrary(quick ? 10 : 50, library);
    console.log(`Rego parse: ${r.modules} modules of ${r.templates} library templates (${r.bytes} chars): median ${fmt(r.parseMs.median, 1)} ms per pass, format ${fmt(r.formatMs, 1)} ms`);
  }

  if (want("compile") && needLibrary("Rego → Wasm compile")) {
    const { benchLibraryCompile } = await import("../src/engine/runner/bench.js");
    const r = benchLibraryCompile(library, quick ? 3 : 5);
    console.log(`Rego → Wasm: ${r.templates} library templates (${r.modules} modules) into one module: median ${fmt(r.medianMs)} ms, ${r.wasmBytes} bytes; target ≤ 2000 ms: ${verdict(r.medianMs <= 2000)} (${fmt(r.medianMs / 2000, 2)} of budget)`);
  }

  if (want("eval")) {
    const { benchAllowedReposEval } = await import("../src/engine/runner/bench.js");
    const r = benchAllowedReposEval(hasLibrary ? library : undefined, quick ? 1000 : 3000);
    console.log(`Evaluation: k8sallowedrepos on a 4-container Pod ${fmt(r.policyPerSec)} evals/s vs constant module ${fmt(r.floorPerSec)} evals/s: floor/policy = ${fmt(1 / r.ratio, 2)}×; target within 2×: ${verdict(r.ratio >= 0.5)}`);
  }

  if (want("walk")) {
    const { benchWalk } = await import("../src/engine/runner/bench.js");
    const r = benchWalk(quick ? 50_000 : 200_000);
    console.log(`walk over a large input: ${r.nodes} nodes (${fmt(r.inputBytes / 1048576, 1)} MiB of JSON) in ${fmt(r.ms)} ms (CPU ${fmt(r.cpuMs)} ms); target < 5000 ms: ${verdict(r.ms < 5000)}`);
  }

  if (want("verify") && needLibrary("policyc verify")) {
    const { benchVerify } = await import("./verify.js");
    const r = await benchVerify();
    console.log(`policyc verify over the Gatekeeper library: cold ${r.metrics.coldMs} ms, warm ${r.metrics.warmMs} ms (${r.note}); target cold ≤ 5000 ms: ${verdict(r.ok)}`);
  }

  if (want("check") && needLibrary("policyc check")) {
    const { benchCheck, formatCheckBench } = await import("./check.js");
    console.log(formatCheckBench(await benchCheck(quick ? 2000 : 10_000)));
  }

  if (want("transpile") && existsSync(path.join(root, "bench", "transpile.ts"))) {
    const mod = (await import(path.join(root, "bench", "transpile.ts"))) as { benchTranspile?: (log: (s: string) => void) => unknown };
    if (mod.benchTranspile) await mod.benchTranspile(console.log);
  }

  if (want("build")) {
    const { benchBuild } = await import("./build.js");
    console.log("");
    benchBuild(quick ? [10, 100] : [10, 100, 1000]);
  }
}

await main();
