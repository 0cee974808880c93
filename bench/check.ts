/**
 * Bench hook: `policyc check` at cluster scale. A generated 10,000-object snapshot (20 labelled
 * namespaces; a third of the objects workloads, the rest Pods, Services, ConfigMaps, Ingresses,
 * Secrets, ServiceAccounts, PodDisruptionBudgets, HorizontalPodAutoscalers) is checked against the
 * examples' policies (generated/manifests) plus the Gatekeeper library's templates with one sample
 * constraint each. Reports objects/s on one core and on all cores, the speed-up, the ratio to the
 * opa-wasm floor per core (one evaluation of a constant module per object × matching constraint,
 * on the same inputs), and memory as a user meets it: the peak RSS of one `policyc check` process
 * (`node bin/policyc.js check --policies DIR snapshot.yaml`, cold: reading the policies, compiling
 * them, the worker threads and the default report written to /dev/null all count), on one thread
 * and on all cores, and, for leaks, the RSS growth over three runs in one process. Targets: ≥ 50%
 * of the floor per core, ≥ 1.8× on 2 cores, < 300 MB. Run alone with `tsx bench/check.ts`.
 */
import { spawnSync } from "node:child_process";
import { closeSync, copyFileSync, existsSync, openSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { runCheck } from "../src/testing/check/run.js";
import { openCheckReport, reportFields } from "../src/testing/check/report/index.js";
import { admissionRequest } from "../src/testing/gatekeeper/review.js";
import { compile, loadModule } from "../src/engine/index.js";
import { toYaml } from "../src/emit/yaml.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const library = path.resolve(root, "..", "shared", "corpora", "gatekeeper-library", "library");

export interface CheckBench {
  objects: number;
  templates: number;
  constraints: number;
  evaluations: number;
  oneCoreObjPerSec: number;
  allCoresObjPerSec: number;
  cores: number;
  speedup: number;
  oneWallSec: number;
  allWallSec: number;
  /** Wall time of each child's first (cold) run: the policies read and compiled, the threads started. */
  oneColdSec: number;
  allColdSec: number;
  floorObjPerSec: number;
  floorRatio: number;
  /** Peak RSS of one CLI run with all cores (the target) and with `--workers 1`. */
  peakRssMb: number;
  peakRssOneMb: number;
  /** RSS after each of three CLI runs in one process (after a full GC), and its growth from the first to the third. */
  rssRunsMb: number[];
  rssGrowthMb: number;
  violations: number;
  /** 1-minute load average before and after the timed runs (the machine may be shared). */
  load: [number, number];
}

/** A deterministic pseudo-random sequence (the snapshot is the same on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const REGISTRIES = ["mycompany.registry.com/", "docker.io/library/", "gcr.io/acme/", "quay.io/team/", "registry.deckhouse.io/"];
const TAGS = ["1.25", "3.2.1", "latest", "2024.06", "v0.9.1"];

function container(r: () => number, name: string): Record<string, unknown> {
  const c: Record<string, unknown> = {
    name,
    image: `${REGISTRIES[Math.floor(r() * REGISTRIES.length)]}${name}:${TAGS[Math.floor(r() * TAGS.length)]}`,
    ports: [{ containerPort: 8000 + Math.floor(r() * 100) }],
    env: [{ name: "MODE", value: "prod" }, { name: "LOG_LEVEL", value: "info" }],
  };
  if (r() < 0.7) c.resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi", ...(r() < 0.5 ? { cpu: "500m" } : {}) } };
  if (r() < 0.6) {
    c.livenessProbe = { httpGet: { path: "/healthz", port: 8080 } };
    c.readinessProbe = { httpGet: { path: "/ready", port: 8080 } };
  }
  if (r() < 0.5) c.securityContext = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: r() < 0.5, capabilities: { drop: ["ALL"] } };
  else if (r() < 0.1) c.securityContext = { privileged: true };
  return c;
}

function podSpec(r: () => number, app: string): Record<string, unknown> {
  const n = 1 + Math.floor(r() * 3);
  const spec: Record<string, unknown> = { containers: Array.from({ length: n }, (_, i) => container(r, `${app}-${i}`)) };
  if (r() < 0.2) spec.initContainers = [container(r, `${app}-init`)];
  if (r() < 0.05) spec.hostNetwork = true;
  if (r() < 0.5) spec.serviceAccountName = app;
  return spec;
}

/** The snapshot as one multi-document YAML stream (as `kubectl get -A -o yaml | split` or a GitOps render gives). */
export function snapshot(count: number): string {
  const r = rng(42);
  const docs: string[] = [];
  const namespaces = Array.from({ length: 20 }, (_, i) => `team-${i}`);
  const levels = ["restricted", "baseline", undefined];
  namespaces.forEach((ns, i) => {
    const level = levels[i % 3];
    docs.push(
      toYaml({
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: ns, labels: { "platform.example.com/owner": `owner-${i}`, ...(level ? { "security.deckhouse.io/pod-policy": level } : {}) } },
      }),
    );
  });
  const workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
  for (let i = docs.length; i < count; i++) {
    const ns = namespaces[Math.floor(r() * namespaces.length)]!;
    const app = `app${i}`;
    const meta = { name: app, namespace: ns, labels: { app, "app.kubernetes.io/part-of": "shop" } };
    const x = r();
    let obj: Record<string, unknown>;
    if (x < 1 / 3) {
      const kind = workloads[Math.floor(r() * workloads.length)]!;
      const template = { metadata: { labels: { app } }, spec: podSpec(r, app) };
      const group = kind === "Job" || kind === "CronJob" ? "batch/v1" : "apps/v1";
      const spec: Record<string, unknown> =
        kind === "CronJob"
          ? { schedule: "*/5 * * * *", jobTemplate: { spec: { template } } }
          : kind === "Job"
            ? { template }
            : { replicas: 1 + Math.floor(r() * 4), selector: { matchLabels: { app } }, template };
      obj = { apiVersion: group, kind, metadata: meta, spec };
    } else if (x < 0.53) obj = { apiVersion: "v1", kind: "Pod", metadata: meta, spec: podSpec(r, app) };
    else if (x < 0.65) obj = { apiVersion: "v1", kind: "Service", metadata: meta, spec: { selector: { app }, ports: [{ port: 80, targetPort: 8080 }], type: r() < 0.1 ? "NodePort" : "ClusterIP" } };
    else if (x < 0.8) obj = { apiVersion: "v1", kind: "ConfigMap", metadata: meta, data: { "config.yaml": `name: ${app}\nreplicas: 3\n` } };
    else if (x < 0.85)
      obj = {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: meta,
        spec: { rules: [{ host: `${app}.example.com`, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: app, port: { number: 80 } } } }] } }] },
      };
    else if (x < 0.92) obj = { apiVersion: "v1", kind: "Secret", metadata: meta, type: "Opaque", data: { token: "c2VjcmV0" } };
    else if (x < 0.96) obj = { apiVersion: "v1", kind: "ServiceAccount", metadata: meta };
    else if (x < 0.98) obj = { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata: meta, spec: { minAvailable: 1, selector: { matchLabels: { app } } } };
    else
      obj = {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: meta,
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: app }, minReplicas: 2, maxReplicas: 5 },
      };
    docs.push(toYaml(obj));
  }
  // Block YAML, as helm template, kustomize build and GitOps repositories hold it.
  return docs.map((d) => `---\n${d}`).join("");
}

/** The examples' manifests and every library template with its first sample constraint. */
export function policiesDir(into: string): void {
  const generated = path.join(root, "generated", "manifests");
  for (const f of readdirSync(generated)) if (f.endsWith(".yaml") && f !== "kustomization.yaml") copyFileSync(path.join(generated, f), path.join(into, f));
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = path.join(dir, e);
      if (!statSync(p).isDirectory()) continue;
      if (existsSync(path.join(p, "template.yaml"))) {
        const id = path.relative(library, p).replace(/[\\/]/g, "-");
        copyFileSync(path.join(p, "template.yaml"), path.join(into, `${id}-template.yaml`));
        const samples = path.join(p, "samples");
        const first = existsSync(samples) ? readdirSync(samples).sort().find((s) => existsSync(path.join(samples, s, "constraint.yaml"))) : undefined;
        if (first) copyFileSync(path.join(samples, first, "constraint.yaml"), path.join(into, `${id}-constraint.yaml`));
      } else walk(p);
    }
  };
  walk(library);
}

/** CPU seconds per evaluation of a constant module on these inputs (JSON in, result out), on this thread. */
function constantEvalSeconds(inputs: unknown[]): number {
  const mod = loadModule(compile({ modules: [{ file: "const.rego", text: "package c\n\np := true\n" }], entrypoints: ["c/p"] }));
  for (const i of inputs.slice(0, 200)) mod.evaluate(i, 0);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  while (performance.now() - t0 < 1500) for (const i of inputs) (mod.evaluate(i, 0), n++);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6 / n;
}

/** Rounds of the wall-time measurement: one child process per thread count per round. */
const ROUNDS = 3;
/** Warm runs in each child after its cold first run. */
const WARM_RUNS = 3;

export async function benchCheck(count = 10_000): Promise<CheckBench> {
  const base = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const dir = mkdtempSync(path.join(base, "policyc-check-bench-"));
  try {
    const policies = path.join(dir, "policies");
    mkdirSync(policies);
    policiesDir(policies);
    const input = path.join(dir, "snapshot.yaml");
    writeFileSync(input, snapshot(count));
    // As the CLI runs for its default report: the pretty report, written as results come (to a sink
    // here) and keeping none of them; it does not print the violating objects.
    const settings = { operation: "CREATE" as const, defaultNamespace: "default", keepViolatingObjects: false };
    const run = async (workers: number) => {
      const counts = { objects: 0, evaluations: 0, violations: 0 };
      const report = openCheckReport("pretty", { color: false, verbose: false, failOn: "deny" }, () => {});
      const r = await runCheck({
        cwd: dir,
        inputs: [input],
        policies: { kind: "folder", dir: policies },
        settings,
        workers,
        keep: reportFields("pretty"),
        onResult: (x) => {
          counts.objects++;
          counts.evaluations += x.matched;
          counts.violations += x.violations.length;
          report.result(x);
        },
      });
      report.end(r);
      return { ...counts, policies: r.policies };
    };
    const loadBefore = loadavg()[0]!;
    // Warm-up: compiles the policy set once (cached for the timed runs), like a second CI run's start.
    await run(1);
    const cores = availableParallelism();
    const c1 = process.cpuUsage();
    const one = await run(1);
    const c1d = process.cpuUsage(c1);
    const oneCpuSec = (c1d.user + c1d.system) / 1e6;
    // Wall time and peak memory of whole runs, each in a fresh process as the CLI runs.
    const child = (workers: number) => {
      const script = `
        const { runCheck } = await import(${JSON.stringify(path.join(root, "dist/testing/check/run.js"))});
        const { openCheckReport, reportFields } = await import(${JSON.stringify(path.join(root, "dist/testing/check/report/index.js"))});
        // The CLI's default report, written to a sink.
        const check = async () => {
          let objects = 0;
          const report = openCheckReport("pretty", { color: false, verbose: false, failOn: "deny" }, () => {});
          const o = { cwd: ${JSON.stringify(dir)}, inputs: [${JSON.stringify(input)}], policies: { kind: "folder", dir: ${JSON.stringify(policies)} },
            settings: { operation: "CREATE", defaultNamespace: "default", keepViolatingObjects: false }, workers: ${workers},
            keep: reportFields("pretty"), onResult: (r) => { objects++; report.result(r); } };
          report.end(await runCheck(o));
          return objects;
        };
        const t0 = performance.now();
        const objects = await check();
        const cold = performance.now() - t0;
        // The best of this child's warm runs (the rounds below take the best across children).
        let warm = Infinity;
        for (let i = 0; i < WARM_RUNS; i++) {
          const t1 = performance.now();
          await check();
          warm = Math.min(warm, performance.now() - t1);
        }
        console.log(JSON.stringify({ cold, warm, objects }));`;
      const file = path.join(dir, `run-${workers}.mjs`);
      writeFileSync(file, script.replace("WARM_RUNS", String(WARM_RUNS)));
      // A plain node process (not tsx's loader) running the built CLI's code.
      const env = { ...process.env };
      delete env.NODE_OPTIONS;
      const out = spawnSync(process.execPath, [file], { encoding: "utf8", maxBuffer: 1 << 26, env });
      if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
      return JSON.parse(out.stdout.trim().split("\n").pop()!) as { cold: number; warm: number; objects: number };
    };
    // One thread and all cores take turns, round by round, and each keeps its best warm run: on a
    // shared machine the speed of the memory and caches drifts over minutes, and a drift between two
    // back-to-back measurements would be read as a speed-up (or a loss) of the threads.
    const rounds = Array.from({ length: ROUNDS }, () => ({ single: child(1), many: child(cores) }));
    const best = (xs: { cold: number; warm: number; objects: number }[]) => ({ ...xs[0]!, warm: Math.min(...xs.map((x) => x.warm)) });
    const single = best(rounds.map((r) => r.single));
    const many = best(rounds.map((r) => r.many));
    const oneSec = single.warm / 1000;
    const allSec = many.warm / 1000;

    const memory = measureMemory(dir, policies, input, cores);
    const evaluations = one.evaluations;
    // The floor's inputs: each object's review with empty parameters, as many times as constraints matched it.
    const { parseChunk, splitDocuments } = await import("../src/testing/check/inputs.js");
    const sample = splitDocuments(snapshot(Math.min(count, 2000)), "s").flatMap((c) => parseChunk(c).objects.map((o) => ({ review: admissionRequest(o.object, { operation: "CREATE" }), parameters: {} })));
    const perEval = constantEvalSeconds(sample);
    const floorObjPerSec = one.objects / (evaluations * perEval);
    // Per core: CPU time of the one-thread run (on a shared machine its wall time also counts other processes).
    const oneCoreObjPerSec = one.objects / oneCpuSec;
    return {
      objects: one.objects,
      templates: one.policies.templates,
      constraints: one.policies.constraints,
      evaluations,
      oneCoreObjPerSec,
      allCoresObjPerSec: many.objects / allSec,
      cores,
      speedup: oneSec / allSec,
      oneWallSec: oneSec,
      allWallSec: allSec,
      oneColdSec: single.cold / 1000,
      allColdSec: many.cold / 1000,
      floorObjPerSec,
      floorRatio: oneCoreObjPerSec / floorObjPerSec,
      ...memory,
      violations: one.violations,
      load: [loadBefore, loadavg()[0]!],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Memory as a user meets it. Peak RSS (all threads) of `policyc check --policies DIR snapshot.yaml`
 * in a fresh process, exactly as the CLI runs (the report written to /dev/null), reported by a
 * preloaded exit hook; and the RSS after each of three runs of the CLI's `main` in one process.
 */
function measureMemory(dir: string, policies: string, input: string, cores: number): Pick<CheckBench, "peakRssMb" | "peakRssOneMb" | "rssRunsMb" | "rssGrowthMb"> {
  const hook = path.join(dir, "rss.cjs");
  writeFileSync(hook, `process.on("exit", () => require("node:fs").writeSync(2, "\\nPOLICYC_BENCH_RSS=" + process.resourceUsage().maxRSS + "\\n"));\n`);
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const bin = path.join(root, "bin", "policyc.js");
  const peak = (workers: number) => {
    const devnull = openSync("/dev/null", "w");
    try {
      const r = spawnSync(process.execPath, ["--require", hook, bin, "check", "--policies", policies, input, "--workers", String(workers)], { cwd: dir, env, stdio: ["ignore", devnull, "pipe"], encoding: "utf8", maxBuffer: 1 << 26 });
      const m = /POLICYC_BENCH_RSS=(\d+)/.exec(r.stderr ?? "");
      // Exit 1: the snapshot has deny violations.
      if (!m || (r.status !== 0 && r.status !== 1)) throw new Error(`bench check run failed (${r.status}): ${r.stderr}`);
      return Number(m[1]) / 1024;
    } finally {
      closeSync(devnull);
    }
  };
  const peakRssOneMb = peak(1);
  const peakRssMb = peak(cores);
  const script = `
    const { main } = await import(${JSON.stringify(path.join(root, "dist/cli/main.js"))});
    const rss = [];
    for (let i = 0; i < 3; i++) {
      await main(["check", "--policies", ${JSON.stringify(policies)}, ${JSON.stringify(input)}], { cwd: ${JSON.stringify(dir)}, stdout: () => {}, stderr: () => {} });
      // Garbage is not growth: collect it (twice, for what finalizers free) before reading RSS.
      globalThis.gc(); globalThis.gc();
      await new Promise((r) => setTimeout(r, 100));
      rss.push(process.memoryUsage().rss);
    }
    console.log(JSON.stringify(rss));`;
  const file = path.join(dir, "runs.mjs");
  writeFileSync(file, script);
  const out = spawnSync(process.execPath, ["--expose-gc", file], { cwd: dir, encoding: "utf8", env, maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`bench check runs failed: ${out.stderr}`);
  const rssRunsMb = (JSON.parse(out.stdout.trim().split("\n").pop()!) as number[]).map((b) => b / 2 ** 20);
  return { peakRssMb, peakRssOneMb, rssRunsMb, rssGrowthMb: rssRunsMb[2]! - rssRunsMb[0]! };
}

export function formatCheckBench(r: CheckBench): string {
  const met = (ok: boolean) => (ok ? "met" : "NOT met");
  return [
    `policyc check: ${r.objects} objects (a third workloads) × ${r.constraints} constraints of ${r.templates} templates (examples + library), ${r.evaluations} evaluations, ${r.violations} violations`,
    `  1 core ${r.oneCoreObjPerSec.toFixed(0)} objects/s; opa-wasm floor ${r.floorObjPerSec.toFixed(0)} objects/s per core: ${(r.floorRatio * 100).toFixed(0)}% of the floor; target ≥ 50%: ${met(r.floorRatio >= 0.5)}`,
    `  ${r.cores} cores ${r.allCoresObjPerSec.toFixed(0)} objects/s (wall ${r.allWallSec.toFixed(1)} s vs ${r.oneWallSec.toFixed(1)} s on 1 thread): speed-up ${r.speedup.toFixed(2)}×; target ≥ 1.8× on 2 cores: ${met(r.speedup >= 1.8)}`,
    `  a cold first run (policies read and compiled, threads started) ${r.allColdSec.toFixed(1)} s on ${r.cores} cores vs ${r.oneColdSec.toFixed(1)} s on 1 thread: ${(r.oneColdSec / r.allColdSec).toFixed(2)}× (reported, no target)`,
    `  peak RSS of one \`policyc check\` process (cold: policies read and compiled, workers, report) ${r.peakRssMb.toFixed(0)} MB on ${r.cores} cores, ${r.peakRssOneMb.toFixed(0)} MB on 1; target < 300 MB: ${met(r.peakRssMb < 300 && r.peakRssOneMb < 300)}`,
    `  RSS after each of 3 runs in one process ${r.rssRunsMb.map((m) => m.toFixed(0)).join(" → ")} MB: growth ${r.rssGrowthMb.toFixed(0)} MB (a leak shows here)`,
    `  machine load (1-min average) ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after, on ${r.cores} cores: the per-core rate and the floor are CPU time (load-robust); the speed-up is wall time of the best warm run of each, over ${ROUNDS} rounds that take turns (${ROUNDS * WARM_RUNS} runs each)`,
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000);
  console.log(formatCheckBench(await benchCheck(n)));
}
