/**
 * Declarative policy files are evaluated by the loader itself (src/frontend/static-eval.ts): the
 * result must equal running them, call sites included, and anything outside the declarative
 * subset must run the ordinary way.
 */
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DEFINITION, type Definition } from "../../src/api/definition.js";
import { compile } from "../../src/build/stages.js";
import { executeFiles } from "../../src/frontend/execute.js";
import { evaluateDeclarative } from "../../src/frontend/static-eval.js";
import ts from "../../src/frontend/typescript.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

const CHECK = `import { defineCheck, defineConstraint, rego, type Integer } from "policyc";

/** Parameters. */
export interface Params {
  repos: string[];
  /** @minimum 0 */
  limit?: Integer;
}

const base = { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] };

export const repos = defineCheck<Params>({
  kind: "K8sStaticRepos",
  description: "Repos, with a \\"quoted\\" word.",
  severity: "high" as const,
  rego: rego\`
    package k8sstaticrepos
    violation[{"msg": msg}] {
      c := input.review.object.spec.containers[_]
      not regex.match("^[a-z]+\\\\.example$", c.image)
      msg := sprintf("bad %v", [c.image])
    }
  \`,
});

export const prod = defineConstraint(repos, {
  name: "static-prod",
  match: base,
  enforcementAction: "dryrun",
  parameters: { repos: ["a/", "b/"], limit: 2e1 },
});

defineConstraint(repos, { name: "static-other", match: base, parameters: { repos: [] } satisfies Params });
`;

function declarative(body: string): boolean {
  const text = `import { defineCheck, defineConstraint, rego, regoFile } from "policyc";\n${body}\n`;
  const dir = makeProject({ "policies/a.ts": text });
  try {
    const file = path.join(dir, "policies/a.ts");
    const program = ts.createProgram({ rootNames: [file], options: { noEmit: true } });
    program.getTypeChecker();
    return evaluateDeclarative([program.getSourceFile(file)!]) !== undefined;
  } finally {
    removeProject(dir);
  }
}

test("the declarative subset: literals, consts, the API's define calls and rego templates", () => {
  assert.ok(declarative(`export interface P { a: string }\ntype Q = P;\nconst c = defineCheck<P>({ kind: "K", description: "d", rego: rego\`package k\` });\ndefineConstraint(c, { name: "n", match: {}, parameters: { a: "x" } } as const);`));
  assert.ok(declarative(`export const c = defineCheck({ kind: "K", description: "d", rego: regoFile("k.rego"), libs: [], shortNames: ["k"] });`));
  assert.ok(declarative("export default defineCheck({ kind: 'K', description: 'd', rego: rego`package k` });"));
});

test("anything else runs the ordinary way", () => {
  const outside = [
    "let x = 1;",
    "var x = 1;",
    "export const x = Math.max(1, 2);",
    'import { other } from "./other.ts";',
    'import "./side-effect.ts";',
    'import * as p from "policyc";',
    "const a = [1]; export const b = [...a];",
    "const a = { x: 1 }; export const b = { ...a };",
    "const x = 1; export const o = { x };",
    'export const o = { ["k"]: 1 };',
    "export const o = { __proto__: null };",
    'export const s = `a${"b"}`;',
    "export const n = 0x10;",
    "export const n = 1_000;",
    "export const later = early; const early = 1;",
    "export default defineCheck({ kind: 'K', description: 'd', rego: rego`package k` }); export default 1;",
    "export = 1;",
    "export function f() {}",
    "export const f = () => 1;",
    "const c = defineCheck({ kind: 'K', description: 'd', violation: (r: unknown) => {} } as never);",
    "defineCheck?.({ kind: 'K' } as never);",
    "export const u = undefined;",
    "if (true) {}",
  ];
  for (const body of outside) assert.not.ok(declarative(body), body);
});

function sites(defs: Definition[]) {
  return defs.map((d) => ({ kind: d[DEFINITION].kind, site: d[DEFINITION].site, id: (d as unknown as { kind?: string }).kind }));
}

test("evaluating gives the definitions, values and call sites that running gives", async () => {
  const dir = makeProject({ "policies/check.ts": CHECK });
  try {
    const file = path.join(dir, "policies/check.ts");
    const program = ts.createProgram({ rootNames: [file], options: { noEmit: true } });
    program.getTypeChecker();
    const sf = program.getSourceFile(file)!;
    const evaluated = evaluateDeclarative([sf]);
    const ran = await executeFiles([file]);
    assert.ok(evaluated);
    assert.equal(ran.failures, []);
    assert.is(evaluated.definitions.length, 3);
    assert.equal(sites(evaluated.definitions), sites(ran.definitions));
    assert.equal(evaluated.definitions[0]![DEFINITION].site, { file, ...positionOf(CHECK, "defineCheck<Params>") });
    // Same values, down to the Rego text the tag produced from the raw template.
    const strip = (d: Definition) => JSON.parse(JSON.stringify(d)) as unknown;
    assert.equal(evaluated.definitions.map(strip), ran.definitions.map(strip));
    assert.equal(Object.keys(evaluated.modules.get(file)!), ["repos", "prod"]);
    // Each definition's call is known, and it is the call at the definition's site.
    for (const def of evaluated.definitions) {
      const { sf: where, call } = evaluated.calls.get(def)!;
      const at = where.getLineAndCharacterOfPosition(call.expression.getStart(where));
      assert.equal({ file: where.fileName, line: at.line + 1, col: at.character + 1 }, def[DEFINITION].site);
    }
  } finally {
    removeProject(dir);
  }
});

test("a declarative config evaluates to what running it gives", async () => {
  const config = `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], outDir: "out", regoVersion: "v1", argocd: false });\n`;
  const dir = makeProject({}, config);
  try {
    const file = path.join(dir, "policyc.config.ts");
    const sf = ts.createSourceFile(file, config, ts.ScriptTarget.ES2022);
    const evaluated = evaluateDeclarative([sf]);
    const ran = await executeFiles([file]);
    assert.ok(evaluated);
    assert.equal(evaluated.definitions, []);
    const value = evaluated.modules.get(file)!.default;
    assert.equal(value, { include: ["policies/**/*.ts"], outDir: "out", regoVersion: "v1", argocd: false });
    assert.equal(value, ran.modules.get(file)!.default);
  } finally {
    removeProject(dir);
  }
});

test("a build of declarative files equals the build that runs them, diagnostics and positions included", async () => {
  const bad = CHECK.replace('name: "static-prod"', 'name: "Static_Prod"').replace('sprintf("bad %v", [c.image])', 'sprintf("bad %v", [c.image]');
  for (const text of [CHECK, bad]) {
    const dir = makeProject({ "policies/check.ts": text });
    try {
      const evaluated = await compile({ cwd: dir });
      process.env.POLICYC_STATIC_EVAL = "off";
      const ran = await compile({ cwd: dir }).finally(() => delete process.env.POLICYC_STATIC_EVAL);
      assert.equal(evaluated.diagnostics, ran.diagnostics);
      assert.equal(
        evaluated.files?.map((f) => [f.path, f.content]),
        ran.files?.map((f) => [f.path, f.content]),
      );
      if (text === bad) {
        const codes = evaluated.diagnostics.map((d) => `${d.code} ${d.span?.line}`);
        assert.ok(codes.length > 0, "the broken project reports errors");
      } else {
        assert.equal(evaluated.diagnostics.filter((d) => d.severity === "error"), []);
        assert.ok(evaluated.files!.some((f) => f.path === "manifests/k8sstaticrepos-static-prod.yaml"));
      }
    } finally {
      removeProject(dir);
    }
  }
});

test.run();
