// TypeScript check bodies → CEL (src/transpile/cel): the repo's examples all compile to CEL (or name
// the construct that prevents it), the emitted CEL passes the examples' golden cases on Gatekeeper's
// K8sNativeValidation engine, a deliberately mis-compiled construct is caught by those cases, and the
// diagnostics (PC7021 info, PC7022 with `cel: "required"`, PC7023 for CEL that does not check) point
// at the user's TypeScript.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build, compile } from "../../src/build/stages.js";
import { command as verify } from "../../src/cli/commands/verify.js";
import { celLowerings } from "../../src/transpile/cel/index.js";
import * as cel from "../../src/transpile/cel/syntax.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";
import { projectRoot } from "../support/shared.js";

async function verifyIn(dir: string, cel: boolean): Promise<{ code: number; out: string }> {
  let out = "";
  const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (out += s), cwd: dir };
  // gator's reading of paths and engines: `tests/...` for the tree, CEL unless switched off.
  const code = await verify.run([...(cel ? [] : ["--enable-k8s-native-validation=false"]), "tests/..."], io);
  return { code, out };
}

/** Builds `cwd` into a fresh temporary output and runs its golden suites on the emitted CEL (and on the Rego). */
async function goldenOnCel(cwd: string): Promise<{ code: number; out: string; rego: { code: number; out: string } }> {
  const out = mkdtempSync(path.join(os.tmpdir(), "policyc-cel-"));
  try {
    const r = await build({ cwd, outDir: out });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
    return { ...(await verifyIn(out, true)), rego: await verifyIn(out, false) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test("every TypeScript check in examples/ compiles to CEL, or the build names the construct that prevents it", async () => {
  const r = await compile({ cwd: projectRoot });
  const ts = r.project!.checks.filter((c) => c.body.kind === "typescript");
  const withCel = ts.filter((c) => c.cel);
  const blocked = r.diagnostics.filter((d) => d.code === "PC7021");
  console.log(`  examples: ${withCel.length} of ${ts.length} TypeScript checks emit CEL; Rego-only: ${blocked.map((d) => d.message).join("; ") || "none"}`);
  assert.ok(ts.length >= 6, `only ${ts.length} TypeScript checks in examples/`);
  for (const c of ts) {
    if (c.cel) continue;
    assert.ok(blocked.some((d) => d.message.includes(`check ${c.kind} `) && d.span), `${c.kind} has neither CEL nor a PC7021 naming its construct`);
  }
  // Today every example fits CEL; a regression that blocks one shows up here.
  assert.equal(ts.filter((c) => !c.cel).map((c) => c.kind), []);
  const template = r.files!.find((f) => f.path === "manifests/constrainttemplate-k8sallowedrepos.yaml")!.object as any;
  assert.equal(template.spec.targets[0].code.map((c: { engine: string }) => c.engine), ["K8sNativeValidation"]);
  assert.ok(template.spec.targets[0].rego, "v0: the Rego stays in the legacy field beside the CEL entry");
});

test("the examples' golden cases pass on the emitted CEL (through the K8sNativeValidation back end)", async () => {
  const r = await goldenOnCel(projectRoot);
  assert.is(r.code, 0, r.out);
  assert.is(r.rego.code, 0, r.rego.out);
  assert.match(r.out, /k8srequiredprobes.*passed/);
});

for (const [what, patch] of [
  ["a flipped comparison (`<=` emitted as `>`)", () => (celLowerings.order = (op, a, b) => cel.compare(op === "<=" ? ">" : op, a, b))],
  ["a dropped negation (`!x` emitted as `x`)", () => (celLowerings.not = (x) => x)],
] as const) {
  test(`a CEL emitter that mis-compiles ${what} is caught by the golden cases on CEL, while the Rego still passes`, async () => {
    const saved = { ...celLowerings };
    patch();
    try {
      const r = await goldenOnCel(projectRoot);
      assert.is.not(r.code, 0, "the CEL run must fail");
      assert.match(r.out, /✗/);
      assert.is(r.rego.code, 0, r.rego.out);
    } finally {
      Object.assign(celLowerings, saved);
    }
  });
}

const CHECK = `import { defineCheck, type Pod } from "policyc";

export const names = defineCheck<{ prefix: string }, Pod>({
  kind: "K8sNames",
  description: "Container names start with the prefix.",
  violation(review, params, report) {
    for (const c of review.object.spec?.containers ?? []) {
      if (!c.name.startsWith(params.prefix)) report(\`container <\${c.name}> must start with \${params.prefix}\`);
    }
  },
  tests: [
    { name: "bad", parameters: { prefix: "app-" }, object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "d" }, spec: { containers: [{ name: "x", image: "i" }, { name: "y", image: "i" }] } }, violations: 2, cel: { violations: 1, messages: ["container <x> must start with app-, container <y> must start with app-"] } },
    { name: "good", parameters: { prefix: "app-" }, object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "d" }, spec: { containers: [{ name: "app-x", image: "i" }] } }, violations: "no" },
  ],
});
`;

test("a loop's reports become one validation listing every element; the case's cel expectations go to the suite, the Rego's to regoAssertions", async () => {
  const dir = makeProject({ "policies/names.ts": CHECK });
  try {
    const r = await compile({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity !== "warning"), []);
    const t = r.files!.find((f) => f.path.endsWith("constrainttemplate-k8snames.yaml"))!.object as any;
    const source = t.spec.targets[0].code[0].source;
    assert.equal(source.validations, [{ expression: "size(variables.badContainers) == 0", messageExpression: 'variables.badContainers.join(", ")' }]);
    assert.match(source.variables.at(-1).expression, /^variables\.containers\.filter\(c, !c\.name\.startsWith\(variables\.params\.prefix\)\)\.map\(c, "container <" \+ c\.name/);
    const suite = r.files!.find((f) => f.path.endsWith("k8snames/suite.yaml"))!.object as any;
    const bad = suite.tests[0].cases[0];
    assert.equal(bad.assertions[0], { violations: 1 });
    assert.equal(bad.regoAssertions, [{ violations: 2 }]);
    const run = await goldenOnCel(dir);
    assert.is(run.code, 0, run.out);
  } finally {
    removeProject(dir);
  }
});

test("reports over the same items are named by what their inner loops iterate; reports in one loop keep the items' name, numbered", async () => {
  const text = `import { defineCheck, type Pod } from "policyc";

export const shapes = defineCheck<{ requests: string[]; limits: string[] }, Pod>({
  kind: "K8sShapes",
  description: "Names, requests and limits.",
  violation(review, params, report) {
    for (const container of review.object.spec?.containers ?? []) {
      for (const r of params.requests) if (container.resources?.requests?.[r] === undefined) report(\`<\${container.name}> requests no \${r}\`);
      for (const l of params.limits) if (container.resources?.limits?.[l] === undefined) report(\`<\${container.name}> limits no \${l}\`);
    }
    for (const v of review.object.spec?.volumes ?? []) {
      if (v.name.length > 20) report(\`volume <\${v.name}> has a long name\`);
      if (v.name.startsWith("tmp")) report(\`volume <\${v.name}> is temporary\`);
    }
  },
});
`;
  const dir = makeProject({ "policies/shapes.ts": text });
  try {
    const r = await compile({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity !== "warning" && d.severity !== "info"), []);
    const t = r.files!.find((f) => f.path.endsWith("constrainttemplate-k8sshapes.yaml"))!.object as any;
    const source = t.spec.targets[0].code[0].source;
    assert.equal(
      source.validations.map((v: { expression: string }) => v.expression),
      ["badContainerRequests", "badContainerLimits", "badVolumes", "badVolumes2"].map((n) => `size(variables.${n}) == 0`),
    );
  } finally {
    removeProject(dir);
  }
});

test("a construct without a faithful CEL form: PC7021 (info) at its line, Rego-only; with cel: \"required\" PC7022 (error)", async () => {
  const source = CHECK.replace("c.name.startsWith(params.prefix)", "c.name.toLowerCase().startsWith(params.prefix)");
  for (const required of [false, true]) {
    const text = required ? source.replace(`description: "Container names start with the prefix.",`, `description: "Container names start with the prefix.",\n  cel: "required",`) : source;
    const dir = makeProject({ "policies/names.ts": text });
    try {
      const r = await compile({ cwd: dir });
      const d = r.diagnostics.find((x) => x.code === (required ? "PC7022" : "PC7021"));
      assert.ok(d, JSON.stringify(r.diagnostics));
      assert.is(d!.severity, required ? "error" : "info");
      assert.match(d!.message, /`\.toLowerCase\(\)` on a string/);
      const at = positionOf(text, "toLowerCase");
      assert.equal({ line: d!.span!.line, col: d!.span!.col }, at);
      if (!required) {
        const t = r.files!.find((f) => f.path.endsWith("constrainttemplate-k8snames.yaml"))!.object as any;
        assert.is(t.spec.targets[0].code, undefined, "no CEL entry");
      }
    } finally {
      removeProject(dir);
    }
  }
});

test("hand-written k8sNativeValidation beside a rego body is emitted, and an expression that does not type-check is PC7023 at its property", async () => {
  const written = (expression: string) => `import { defineCheck, rego } from "policyc";
export const c = defineCheck({
  kind: "K8sNames",
  description: "d",
  rego: rego\`package k8snames
violation[{"msg": "no"}] { false }\`,
  k8sNativeValidation: {
    variables: [{ name: "names", expression: "variables.anyObject.spec.containers.map(c, c.name)" }],
    validations: [
      { expression: ${JSON.stringify(expression)}, messageExpression: ${JSON.stringify('"bad: " + variables.names.join(", ")')} },
    ],
  },
});
`;
  const dir = makeProject({ "policies/c.ts": written('variables.names.all(n, n.startsWith("app-"))') });
  try {
    const r = await compile({ cwd: dir });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error"), []);
    const t = r.files!.find((f) => f.path.endsWith("constrainttemplate-k8snames.yaml"))!.object as any;
    assert.equal(t.spec.targets[0].code[0].source.variables[0].name, "names");
  } finally {
    removeProject(dir);
  }
  for (const [bad, message] of [
    ['variables.nmes.all(n, n.startsWith("app-"))', /undeclared reference to 'variables\.nmes'/],
    ["variables.names.all(n, n.startsWith(1))", /no matching overload for 'startsWith'/],
    ['size(variables.names) + "x" == 1', /no matching overload for '\+'/],
    ['variables.names.all(n, "x".size == 1)', /does not support field selection/],
    ["objct.spec != null", /undeclared reference to 'objct'/],
    ['variables.names.map(n, n + "!")', /must be a bool/],
  ] as const) {
    const text = written(bad);
    const dir2 = makeProject({ "policies/c.ts": text });
    try {
      const r = await compile({ cwd: dir2 });
      const d = r.diagnostics.find((x) => x.code === "PC7023");
      assert.ok(d, `${bad}: ${JSON.stringify(r.diagnostics)}`);
      assert.match(d!.message, message);
      assert.is(d!.span!.line, positionOf(text, `{ expression: ${JSON.stringify(bad)}`).line, bad);
    } finally {
      removeProject(dir2);
    }
  }
});

test("`.find`, callbacks given by name, a RegExp held in a const and `.concat` of an element compile to CEL; variants CEL would decide differently name their construct", async () => {
  const r = await compile({ cwd: path.join(projectRoot, "test", "transpile", "cases") });
  const celOf = (kind: string) => JSON.stringify(r.project!.checks.find((c) => c.kind === kind)?.cel?.source ?? null);
  const callbacks = celOf("TCelCallbacks");
  assert.match(callbacks, /"name":"found","expression":"variables\.containers\.filter\(c, c\.name\.matches\(\\"\(\?i\)\^\(debug\|tmp\)-\\"\)\)"/, "find outside loops: one variable, read as [0] behind size() > 0");
  assert.match(callbacks, /variables\.containers\.all\(c, !has\(c\.image\) \? false : c\.image\.matches/, "a helper passed by name is inlined over the element");
  assert.match(callbacks, /variables\.containers\.map\(c, c\.name\) \+ \[variables\.params\.sidecar\]/, "concat of an element appends it");
  assert.match(callbacks, /\(has\(c\.ports\) \? c\.ports : \[\]\)\.filter\(p, .*?\)\[0\]\.containerPort/, "find inside a loop stays inline");
  assert.match(celOf("TRegexp"), /matches\(\\"\^v\?\[0-9\]\+/, "a RegExp const");
  assert.ok(celOf("TRegressionNumberArrays").includes('.map(x, string(x)).join(\\",\\")'), "join of numbers prints each through string()");
  assert.match(celOf("TRegressionFindDefault"), /split\(\\":\\"\)\) - 1 >= 0 && size\(/, "xs[xs.length - 1] reads behind an in-range condition");

  const check = (body: string, helpers = "") => `import { defineCheck, type Container, type Pod } from "policyc";
${helpers}
export const k = defineCheck<{ extra: string | string[]; tags: (string | undefined)[]; n: number }, Pod>({
  kind: "K8sBlocked",
  description: "d",
  violation(review, params, report) {
    const cs = review.object.spec?.containers ?? [];
    ${body}
  },
});
`;
  for (const [body, helpers, construct, needle] of [
    ["if (cs.some(named)) report(\"x\");", "function named(c: Container, i: number): boolean { return i > 0 && c.name === \"a\"; }", /the callback `named`, which does not take exactly one parameter/, "named)"],
    ["const all = cs.map((c) => c.name).concat(params.extra); if (all.length > 2) report(\"x\");", "", /`\.concat\(\)` of `params\.extra`, which may or may not be an array/, "params.extra)"],
    ["const c = cs[params.n]; if (c !== undefined) report(c.name);", "", /indexing an array with a computed index that is not built from integer literals/, "cs[params.n]"],
  ] as const) {
    const text = check(body, helpers);
    const dir = makeProject({ "policies/k.ts": text });
    try {
      const out = await compile({ cwd: dir });
      const d = out.diagnostics.find((x) => x.code === "PC7021");
      assert.ok(d, JSON.stringify(out.diagnostics));
      assert.match(d!.message, construct);
      assert.equal({ line: d!.span!.line, col: d!.span!.col }, positionOf(text, needle));
    } finally {
      removeProject(dir);
    }
  }
});

test.run();
