/**
 * Bench hook for `npm run bench`: parses, compiles and plans a set of Gatekeeper-style templates
 * (main Rego plus libs, v0 syntax by default) into one policy with a `<package>/violation`
 * entrypoint per template, and reports how long each stage took. Identical lib modules shared by
 * several templates are compiled once, as they would be in one bundle.
 */
import { performance } from "node:perf_hooks";
import type { Module } from "../rego/ast.js";
import { parseModule } from "../rego/index.js";
import { compileModules } from "../compiler/index.js";
import { planPolicy } from "./planner.js";
import type { Policy } from "./ir.js";

export interface BenchTemplate {
  name: string;
  rego: string;
  libs?: string[];
}

export interface BenchResult {
  templates: number;
  modules: number;
  parseMs: number;
  compileMs: number;
  planMs: number;
  totalMs: number;
  policy: Policy;
}

function packageOf(m: Module): string {
  return m.package.path.terms
    .slice(1)
    .map((t) => (t.type === "string" ? t.value : t.type === "var" ? t.name : ""))
    .join("/");
}

export function benchCompileTemplates(templates: BenchTemplate[], regoVersion: "v0" | "v1" = "v0"): BenchResult {
  const t0 = performance.now();
  const modules: Module[] = [];
  const entrypoints: string[] = [];
  const seenLibs = new Set<string>();
  for (const t of templates) {
    const main = parseModule(t.rego, { file: `${t.name}/template.rego`, regoVersion });
    modules.push(main);
    entrypoints.push(`${packageOf(main)}/violation`);
    (t.libs ?? []).forEach((lib, i) => {
      if (seenLibs.has(lib)) return;
      seenLibs.add(lib);
      modules.push(parseModule(lib, { file: `${t.name}/lib-${i}.rego`, regoVersion }));
    });
  }
  const t1 = performance.now();
  const compiled = compileModules(modules);
  const t2 = performance.now();
  const policy = planPolicy(compiled, { entrypoints: [...new Set(entrypoints)] });
  const t3 = performance.now();
  return { templates: templates.length, modules: modules.length, parseMs: t1 - t0, compileMs: t2 - t1, planMs: t3 - t2, totalMs: t3 - t0, policy };
}
