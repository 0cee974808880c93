/**
 * Writes the V8 code cache of the TypeScript compiler (see `typescript-cache.cts`); run at install
 * time by `npm run prepare`. It type-checks a small policy file first, so the cache also holds the
 * checker functions a build compiles lazily. Never fails the install: without a cache, builds only
 * start slower.
 */
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "./typescript-api.cjs";
import cache from "./typescript-cache.cjs";
import { createPolicyProgram } from "./program.js";
import { packageRoot } from "./paths.js";
import { schemaOfParams } from "./schema.js";
import { makeDirs } from "../build/make-dirs.js";

const WARM_UP = `import { defineCheck, defineConstraint, rego } from "policyc";

/** Parameters of the warm-up check. */
export interface Params {
  /** Allowed registries. @minLength 1 */
  repos: string[];
  mode?: "warn" | "deny";
  limits?: Record<string, number>;
}

export const check = defineCheck<Params>({
  kind: "K8sWarmUp",
  description: "Exercises the checker the way a policy file does.",
  rego: rego\`
    package k8swarmup
    violation[{"msg": msg}] { false; msg := "" }
  \`,
});

export const constraint = defineConstraint(check, {
  name: "warm-up",
  match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }], namespaces: ["default"] },
  enforcementAction: "dryrun",
  parameters: { repos: ["registry.example.com/"], mode: "deny" },
});
`;

function warmUp(): void {
  // Through the build's own program and schema derivation, so the cache holds what a build runs.
  const file = path.join(packageRoot, "policyc-warm-up.ts");
  const { program, checker, diagnostics } = createPolicyProgram(packageRoot, [file], new Map([[file, WARM_UP]]));
  if (diagnostics.length > 0) throw new Error(`warm-up file does not type-check: ${diagnostics[0]!.message}`);
  const sf = program.getSourceFile(file)!;
  sf.forEachChild(function visit(n): void {
    if (ts.isInterfaceDeclaration(n)) schemaOfParams({ checker, originOf: () => undefined, fallback: { file, line: 1, col: 1 }, diagnostics: [] }, checker.getTypeAtLocation(n), "warm-up");
    n.forEachChild(visit);
  });
}

try {
  warmUp();
  const script = cache.typescriptScript;
  if (!script) throw new Error("TypeScript was not loaded through the cache hook");
  makeDirs(cache.cacheDir);
  // Written under temporary names and renamed, so a concurrent build never reads half a cache.
  writeFileSync(`${cache.cacheFile}.tmp`, script.createCachedData());
  writeFileSync(`${cache.keyFile}.tmp`, `${JSON.stringify(cache.currentKey(), null, 2)}\n`);
  renameSync(`${cache.cacheFile}.tmp`, cache.cacheFile);
  renameSync(`${cache.keyFile}.tmp`, cache.keyFile);
} catch (error) {
  process.stderr.write(`policyc: no TypeScript code cache written (${error instanceof Error ? error.message : String(error)}); builds will start slower\n`);
}
