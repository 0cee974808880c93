/**
 * Bench hook for issue 5: build time of TypeScript-bodied checks against the same checks written in
 * raw Rego (the Rego the transpiler emits for them, pasted into `rego` templates). Both projects are
 * built in memory by the real pipeline, alternately, and the medians compared. Target: TypeScript
 * bodies add at most 20% to the build time.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { compile } from "../src/build/stages.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function tsCheck(i: number): string {
  return `import { defineCheck, regoString, type Pod } from "policyc";

export const check${i} = defineCheck<{ repos: string[]; exempt?: string[] }, Pod>({
  kind: "K8sBenchRepos${i}",
  description: "Images from allowed registries (bench ${i}).",
  violation(review, params, report) {
    const spec = review.object.spec;
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
      if ((params.exempt ?? []).includes(c.name)) continue;
      const image = c.image;
      if (image === undefined) continue;
      if (!params.repos.some((r) => image.startsWith(r))) {
        report(\`container <\${c.name}> has an invalid image repo <\${image}>, allowed repos are \${regoString(params.repos)}\`);
      }
      if (c.securityContext?.privileged === true) report(\`container <\${c.name}> is privileged\`);
    }
  },
});
`;
}

function regoCheck(i: number, text: string): string {
  const body = text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
  return `import { defineCheck, rego } from "policyc";

export const check${i} = defineCheck<{ repos: string[]; exempt?: string[] }>({
  kind: "K8sBenchRepos${i}",
  description: "Images from allowed registries (bench ${i}).",
  rego: rego\`
${body.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n")}\`,
});
`;
}

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-bench-transpile-"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "bench", "private": true, "type": "module" }\n');
  mkdirSync(path.join(dir, "node_modules"));
  symlinkSync(root, path.join(dir, "node_modules", "policyc"), "dir");
  writeFileSync(path.join(dir, "policyc.config.ts"), 'import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"] });\n');
  mkdirSync(path.join(dir, "policies"));
  for (const [rel, text] of Object.entries(files)) writeFileSync(path.join(dir, "policies", rel), text);
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface TranspileBench {
  checks: number;
  typescriptMs: number;
  regoMs: number;
  overhead: number;
  ok: boolean;
}

export function benchProjects(checks: number): Promise<{ tsDir: string; regoDir: string }> {
  return (async () => {
    const tsFiles: Record<string, string> = {};
    for (let i = 0; i < checks; i++) tsFiles[`c${i}.ts`] = tsCheck(i);
    const tsDir = project(tsFiles);
    const first = await compile({ cwd: tsDir });
    const regoFiles: Record<string, string> = {};
    for (let i = 0; i < checks; i++) {
      const file = first.files!.find((f) => f.path === `manifests/constrainttemplate-k8sbenchrepos${i}.yaml`);
      regoFiles[`c${i}.ts`] = regoCheck(i, (file!.object as { spec: { targets: { rego: string }[] } }).spec.targets[0]!.rego);
    }
    return { tsDir, regoDir: project(regoFiles) };
  })();
}

/** Median build times of the TypeScript and raw-Rego projects of `checks` checks each. */
async function measure(checks: number, rounds: number): Promise<TranspileBench> {
  const { tsDir, regoDir } = await benchProjects(checks);
  try {
    await compile({ cwd: regoDir });
    await compile({ cwd: tsDir });
    const ts: number[] = [];
    const rg: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate so that a busy machine slows both sides alike.
      let t0 = performance.now();
      await compile({ cwd: regoDir });
      rg.push(performance.now() - t0);
      t0 = performance.now();
      await compile({ cwd: tsDir });
      ts.push(performance.now() - t0);
    }
    const typescriptMs = median(ts);
    const regoMs = median(rg);
    const overhead = typescriptMs / regoMs - 1;
    return { checks, typescriptMs, regoMs, overhead, ok: overhead <= 0.2 };
  } finally {
    rmSync(tsDir, { recursive: true, force: true });
    rmSync(regoDir, { recursive: true, force: true });
  }
}

/**
 * The target is stated per check ("a TypeScript-bodied check adds ≤ 20% to the build of the same
 * check in raw Rego"); a project of 20 such checks is reported beside it.
 */
export async function benchTranspile(log: (s: string) => void = console.log, quick = false): Promise<TranspileBench[]> {
  const out: TranspileBench[] = [];
  for (const checks of quick ? [1] : [1, 20]) {
    const r = await measure(checks, quick ? 5 : 9);
    out.push(r);
    const pct = `${r.overhead >= 0 ? "+" : ""}${(r.overhead * 100).toFixed(1)}%`;
    const verdict = checks === 1 ? `; target ≤ +20%: ${r.ok ? "met" : "NOT met"}` : " (informational)";
    log(`TypeScript check bodies: build of ${checks} check(s) ${r.typescriptMs.toFixed(0)} ms vs the same in raw Rego ${r.regoMs.toFixed(0)} ms: ${pct}${verdict}`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchTranspile();
}
