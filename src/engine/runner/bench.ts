/**
 * Bench hooks for `npm run bench` (wired by bench/run.ts): (a) compile time of the Gatekeeper
 * library's templates into one module, (b) evaluations per second of `k8sallowedrepos` on a
 * 4-container Pod beside a module that returns a constant (the SDK's own per-call floor).
 */
import { performance } from "node:perf_hooks";
import { compile, loadModule } from "../index.js";
import { RawJson } from "./load.js";
import { loadLibraryTemplates } from "./library.js";

export interface CompileBench {
  templates: number;
  modules: number;
  /** Median wall time of one compile, in milliseconds (after one warm-up). */
  medianMs: number;
  runsMs: number[];
  wasmBytes: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Compiles every library template (v0, with libs) into one module `runs` times. */
export function benchLibraryCompile(libraryRoot: string, runs = 5): CompileBench {
  const lib = loadLibraryTemplates(libraryRoot);
  const input = { modules: lib.modules, entrypoints: lib.entrypoints, regoVersion: "v0" as const };
  let wasm = compile(input); // warm-up (JIT, runtime.wasm read)
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    wasm = compile(input);
    runsMs.push(performance.now() - t0);
  }
  return { templates: lib.templates.size, modules: lib.modules.length, medianMs: median(runsMs), runsMs, wasmBytes: wasm.length };
}

export interface EvalBench {
  /** Evaluations per second of k8sallowedrepos/violation. */
  policyPerSec: number;
  /** Evaluations per second of a module returning a constant, same input. */
  floorPerSec: number;
  /** policyPerSec / floorPerSec (target: ≥ 0.5). */
  ratio: number;
  violations: number;
}

const ALLOWED_REPOS = `package k8sallowedrepos

violation[{"msg": msg}] {
  container := input.review.object.spec.containers[_]
  not strings.any_prefix_match(container.image, input.parameters.repos)
  msg := sprintf("container <%v> has an invalid image repo <%v>, allowed repos are %v", [container.name, container.image, input.parameters.repos])
}
`;

export function fourContainerPod(): unknown {
  const images = ["gcr.io/acme/web:1.2", "gcr.io/acme/sidecar:3", "docker.io/library/nginx:1.25", "gcr.io/acme/logger:7"];
  return {
    review: {
      kind: { group: "", version: "v1", kind: "Pod" },
      operation: "CREATE",
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "web", namespace: "default", labels: { app: "web" } },
        spec: { containers: images.map((image, i) => ({ name: `c${i}`, image, ports: [{ containerPort: 8080 + i }] })) },
      },
    },
    parameters: { repos: ["gcr.io/acme/"] },
  };
}

function batchMs(f: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  return performance.now() - t0;
}

/**
 * Paired batches: each round times a batch of `a` right after a batch of `b`, so load changes on a
 * shared machine hit both alike; rates come from the median batch times.
 */
function pairedRates(a: () => unknown, b: () => unknown, ms: number): [number, number] {
  for (let i = 0; i < 300; i++) (a(), b());
  const n = Math.max(10, Math.round(5 / Math.max(0.001, batchMs(a, 50) / 50)));
  const ta: number[] = [];
  const tb: number[] = [];
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    ta.push(batchMs(a, n));
    tb.push(batchMs(b, n));
  }
  return [(n * 1000) / median(ta), (n * 1000) / median(tb)];
}

/**
 * Measures k8sallowedrepos (from the library when `libraryRoot` is given, else the same Rego
 * embedded here) against a constant module, in paired batches for `ms` milliseconds.
 */
export function benchAllowedReposEval(libraryRoot?: string, ms = 2000): EvalBench {
  let text = ALLOWED_REPOS;
  if (libraryRoot) {
    const lib = loadLibraryTemplates(libraryRoot);
    const idx = lib.modules.findIndex((m) => m.file === "general/allowedrepos/template.yaml");
    if (idx >= 0) text = lib.modules[idx]!.text;
  }
  const policy = loadModule(compile({ modules: [{ file: "allowedrepos.rego", text }], entrypoints: ["k8sallowedrepos/violation"], regoVersion: "v0" }));
  const floor = loadModule(compile({ modules: [{ file: "const.rego", text: "package c\n\np := true\n" }], entrypoints: ["c/p"] }));
  const input = fourContainerPod();
  const rs = policy.evaluate(input, 0) as { result: unknown[] }[];
  const violations = rs[0]?.result.length ?? 0;
  const [policyPerSec, floorPerSec] = pairedRates(() => policy.evaluate(input, 0), () => floor.evaluate(input, 0), ms);
  return { policyPerSec, floorPerSec, ratio: policyPerSec / floorPerSec, violations };
}

export interface WalkBench {
  /** Nodes `walk` visits (the document's values, root included). */
  nodes: number;
  inputBytes: number;
  /** Wall time of one evaluation of `count([1 | walk(input, _)])`, input parsing included. */
  ms: number;
  /** CPU time of the same evaluation (wall time on a loaded machine says little). */
  cpuMs: number;
}

/**
 * `walk` over a large Kubernetes-like list (200,000 items of 10 values: 2 million nodes)
 * through the module's own JSON parser, as `policyc eval -i` runs it. Target: under 5 s.
 */
export function benchWalk(items = 200_000): WalkBench {
  const list = [];
  for (let i = 0; i < items; i++) list.push({ name: `n${i}`, labels: { app: "web", tier: "x" }, spec: { ports: [80, 443, 8080] } });
  const text = JSON.stringify({ items: list });
  const wasm = compile({ modules: [{ file: "walk.rego", text: "package bench\nnodes := count([1 | walk(input, _)])" }], entrypoints: ["bench/nodes"] });
  const m = loadModule(wasm);
  m.setData({});
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rs = m.evaluate(new RawJson(text), "bench/nodes") as { result: number }[];
  const c = process.cpuUsage(c0);
  return { nodes: rs[0]!.result, inputBytes: text.length, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}
