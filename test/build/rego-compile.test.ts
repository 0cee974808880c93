/**
 * Compile at build: every template's Rego is compiled as Gatekeeper compiles it, and a template it
 * would reject fails the build at the user's line, leaving the previous output as it was.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build, compile } from "../../src/build/stages.js";
import { makeProject, positionOf, removeProject } from "./fixture.js";

const check = (kind: string, body: string) => `export const ${kind.toLowerCase()} = defineCheck({
  kind: "${kind}",
  description: "d",
  rego: rego\`
    package ${kind.toLowerCase()}

${body}
  \`,
});
`;

test("an undefined function or an unsafe variable in raw Rego fails the build at its line; the previous output stays", async () => {
  const good = `import { defineCheck, rego } from "policyc";\n${check("K8sA", '    violation[{"msg": msg}] {\n      msg := sprintf("%v", [input.review.object.kind])\n    }')}`;
  const dir = makeProject({ "policies/a.ts": good });
  try {
    const first = await build({ cwd: dir });
    assert.equal(first.diagnostics.filter((d) => d.severity === "error"), []);
    const before = readFileSync(path.join(dir, "generated/manifests/constrainttemplate-k8sa.yaml"), "utf8");

    const typo = good.replace("sprintf(", "sprintff(");
    const unsafe = good.replace('msg := sprintf("%v", [input.review.object.kind])', 'msg := sprintf("%v", [kind])');
    for (const [src, needle, code, words] of [
      [typo, "sprintff(", "PC5203", /undefined function sprintff/],
      [unsafe, "kind])", "PC5201", /var kind is unsafe/],
    ] as const) {
      writeFileSync(path.join(dir, "policies/a.ts"), src);
      const r = await build({ cwd: dir });
      const errors = r.diagnostics.filter((d) => d.severity === "error");
      // As OPA, the compiler names every unsafe variable (what depends on `kind` too); one is ours.
      assert.ok(errors.length > 0 && errors.every((d) => d.code === code), JSON.stringify(errors));
      const named = errors.find((d) => words.test(d.message));
      assert.ok(named, JSON.stringify(errors));
      assert.is(named!.span!.file, "policies/a.ts");
      assert.equal([named!.span!.line, named!.span!.col], [positionOf(src, needle).line, positionOf(src, needle).col]);
      assert.equal(readFileSync(path.join(dir, "generated/manifests/constrainttemplate-k8sa.yaml"), "utf8"), before);
    }
  } finally {
    removeProject(dir);
  }
});

test("errors in a .rego file and in libs point into that file; a parse error's secondary position is counted in the file", async () => {
  const src = `import { defineCheck, regoFile, rego } from "policyc";
export const f = defineCheck({ kind: "K8sFile", description: "d", rego: regoFile("./main.rego"), libs: [regoFile("./lib.rego")] });
export const g = defineCheck({
  kind: "K8sOpen",
  description: "d",
  rego: rego\`
    package k8sopen

    violation[{"msg": msg}] {
      xs := [1,
        2
      msg := "x"
    }
  \`,
});
`;
  const main = 'package k8sfile\n\nviolation[{"msg": msg}] {\n  data.lib.helpers.bad(input.review.object)\n  msg := "x"\n}\n';
  const lib = 'package lib.helpers\n\nbad(obj) {\n  obj.kind == y\n}\n';
  const dir = makeProject({ "policies/a.ts": src, "policies/main.rego": main, "policies/lib.rego": lib });
  try {
    const ds = (await compile({ cwd: dir })).diagnostics.filter((d) => d.severity === "error");
    const inLib = ds.find((d) => d.span?.file === "policies/lib.rego");
    assert.ok(inLib, JSON.stringify(ds));
    assert.is(inLib!.code, "PC5201");
    assert.is(inLib!.span!.line, 4);
    const open = ds.find((d) => d.span?.file === "policies/a.ts");
    assert.ok(open, JSON.stringify(ds));
    const opened = positionOf(src, "[1,");
    assert.match(open!.message, new RegExp(`opened at ${opened.line}:${opened.col}\\b`));
  } finally {
    removeProject(dir);
  }
});

test("Gatekeeper's template rules: violation required, lib packages, imports, data refs, http.send (PC2040)", async () => {
  const cases: [string, string, RegExp][] = [
    ["K8sNoViolation", '    deny[{"msg": "x"}] { true }', /no `violation` rule/],
    ["K8sDataRef", '    violation[{"msg": "x"}] { data.config.enabled }', /reference data\.config\.enabled is not allowed/],
    ["K8sImport", '    import data.inventory\n    violation[{"msg": "x"}] { inventory.cluster }', /import data\.inventory is not allowed/],
    ["K8sHttp", '    violation[{"msg": "x"}] { http.send({"method": "get", "url": "http://x"}) }', /http\.send is disabled/],
  ];
  const src = `import { defineCheck, rego } from "policyc";\n${cases.map(([k, b]) => check(k, b)).join("")}`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const ds = (await compile({ cwd: dir })).diagnostics.filter((d) => d.severity === "error");
    for (const [kind, body, words] of cases) {
      const line = positionOf(src, body.trim().split("\n")[0]!).line;
      const d = ds.find((x) => words.test(x.message));
      assert.ok(d, `${kind}: ${JSON.stringify(ds)}`);
      assert.is(d!.code, "PC2040");
      assert.is(d!.span!.file, "policies/a.ts");
      assert.ok(Math.abs(d!.span!.line - line) <= 2, `${kind}: line ${d!.span!.line}, expected near ${line}`);
    }
  } finally {
    removeProject(dir);
  }
});

test("a lib outside lib.* is rejected; data.inventory, data.lib and external_data compile", async () => {
  const src = `import { defineCheck, rego } from "policyc";
export const bad = defineCheck({ kind: "K8sBadLib", description: "d", rego: rego\`package k8sbadlib
violation[{"msg": "x"}] { data.lib.x.ok }\`, libs: [rego\`package helpers
ok { true }\`] });
export const good = defineCheck({ kind: "K8sGood", description: "d", rego: rego\`package k8sgood
violation[{"msg": msg}] {
  data.lib.names.ok
  other := data.inventory.namespace[input.review.object.metadata.namespace]["v1"]["Pod"][_]
  resp := external_data({"provider": "p", "keys": [other.metadata.name]})
  msg := sprintf("%v", [resp.errors])
}\`, libs: [rego\`package lib.names
ok { true }\`] });
`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    const ds = (await compile({ cwd: dir })).diagnostics.filter((d) => d.severity === "error");
    assert.equal(ds.map((d) => d.code), ["PC2040"], JSON.stringify(ds));
    assert.match(ds[0]!.message, /lib package "helpers" is not below "lib"/);
    assert.is(ds[0]!.span!.line, positionOf(src, "package helpers").line);
  } finally {
    removeProject(dir);
  }
});

test("clean templates are remembered in node_modules/.cache/policyc across builds; errors never are", async () => {
  const src = `import { defineCheck, rego } from "policyc";\n${check("K8sCached", '    violation[{"msg": "x"}] { input.review.object.kind == "Pod" }')}`;
  const dir = makeProject({ "policies/a.ts": src });
  try {
    await build({ cwd: dir });
    const file = path.join(dir, "node_modules/.cache/policyc/rego-compile.json");
    const cached = JSON.parse(readFileSync(file, "utf8")) as { compiler: string; clean: string[] };
    assert.is(cached.clean.length, 1);
    // A broken edit is compiled (not taken from the cache) and is not remembered.
    writeFileSync(path.join(dir, "policies/a.ts"), src.replace('"Pod" }', "y }"));
    const broken = await build({ cwd: dir });
    assert.equal(broken.diagnostics.filter((d) => d.severity === "error").map((d) => d.code), ["PC5201"]);
    assert.equal((JSON.parse(readFileSync(file, "utf8")) as { clean: string[] }).clean, cached.clean);
    // A cache written by another compiler is ignored and replaced.
    writeFileSync(file, JSON.stringify({ compiler: "other", clean: cached.clean }));
    writeFileSync(path.join(dir, "policies/a.ts"), src);
    await build({ cwd: dir });
    assert.equal(JSON.parse(readFileSync(file, "utf8")), cached);
  } finally {
    removeProject(dir);
  }
});

test.run();
