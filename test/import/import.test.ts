/**
 * `policyc import`: the schema → Params type mapping, a round trip of the whole Gatekeeper library
 * (import, build, and the emitted templates and constraints carry the same Rego, schema, annotations
 * and specs as the originals), and the command's refusals.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { build } from "../../src/build/stages.js";
import { twoEngineTemplateYaml } from "../check/policy-yaml.js";
import { projectTest, type ProjectTestResult } from "../../src/testing/project-test.js";
import { command } from "../../src/cli/commands/import.js";
import { paramsType } from "../../src/import/schema-to-ts.js";
import { readYamlFile, isDiagnostic } from "../../src/testing/yaml-files.js";
import { makeProject, removeProject } from "../build/fixture.js";
import { requireShared } from "../support/shared.js";

async function run(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await command.run(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd });
  return { code, stdout, stderr };
}

test("schema → Params: types, optional vs required, enums, nullable, maps, nested objects and lists, TSDoc keywords", () => {
  const t = paramsType({
    type: "object",
    required: ["repos"],
    properties: {
      repos: { type: "array", items: { type: "string" }, description: "Allowed prefixes." },
      mode: { type: "string", enum: ["warn", "deny"], default: "deny" },
      max: { type: "integer", minimum: 0, maximum: 10 },
      ratio: { type: "number", nullable: true },
      labels: { type: "object", additionalProperties: { type: "string" } },
      ranges: { type: "array", items: { type: "object", required: ["min"], properties: { min: { type: "integer" }, "max-port": { type: "integer" } } } },
      levels: { type: "array", items: { type: "string", enum: ["a", "b"] } },
      free: { type: "object" },
      tricky: { type: "string", description: "Ends a comment */ early?", pattern: "^[a-z]+$" },
    },
  });
  assert.is(t.usesInteger, true);
  assert.equal(t.problems, []);
  const expected = [
    "  /** Allowed prefixes. */",
    "  repos: string[];",
    "  /**",
    '   * @default "deny"',
    "   */",
    '  mode?: "warn" | "deny";',
    "  /**",
    "   * @minimum 0",
    "   * @maximum 10",
    "   */",
    "  max?: Integer;",
    "  ratio?: number | null;",
    "  labels?: Record<string, string>;",
    "  ranges?: {",
    "    min: Integer;",
    '    "max-port"?: Integer;',
    "  }[];",
    '  levels?: ("a" | "b")[];',
    "  free?: {};",
    "  /**",
    "   * Ends a comment *\\/ early?",
    "   * @pattern ^[a-z]+$",
    "   */",
    "  tricky?: string;",
  ];
  assert.equal(t.members.split("\n"), expected);
});

test("schema constructs without a TypeScript form are reported and written as unknown", () => {
  const t = paramsType({ type: "object", properties: { a: { anyOf: [{ type: "string" }] }, b: {}, c: { type: "array" }, d: { "x-kubernetes-preserve-unknown-fields": true }, e: { type: "integer", multipleOf: 2 } } });
  assert.equal(
    t.problems.map((p) => `${p.path}: ${p.why}`),
    [
      "a: `anyOf` has no TypeScript form",
      "b: no `type`",
      "c: an array without `items` has no element type",
      "d: `x-kubernetes-preserve-unknown-fields` has no TypeScript form",
      "e: `multipleOf` is not carried over (policyc derives no such keyword)",
    ],
  );
  assert.match(t.members, /a\?: unknown;\n\s+b\?: unknown;\n\s+c\?: unknown\[\];/);
});

/** Keys sorted at every level, `required` as a set: key order carries no meaning in a schema. */
function normal(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normal);
  if (!v || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = k === "required" && Array.isArray(o[k]) ? [...(o[k] as string[])].sort() : normal(o[k]);
  return out;
}

const library = requireShared("corpora/gatekeeper-library/library", "the gatekeeper-library import round trip");
if (library) {
  test("the whole Gatekeeper library imports, builds, and comes out with the same Rego, schema, annotations and constraints", async () => {
    const dir = makeProject({}, `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"], exemptNamespaces: [], argocd: false });\n`);
    try {
      const imported = await run([library], dir);
      assert.is(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /^imported 49 templates, \d+ constraints and \d+ test cases into policies\/imported\//);
      const built = await build({ cwd: dir });
      assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
      const out = new Map(built.files!.map((f) => [f.path, f.object as Record<string, any>]));

      let templates = 0;
      let constraints = 0;
      let withCel = 0;
      const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".yaml") ? [path.join(d, e.name)] : []));
      for (const file of walk(library)) {
        const f = readYamlFile(file, "input", "object");
        if (isDiagnostic(f)) continue;
        for (const { value } of f.docs) {
          const o = value as Record<string, any>;
          if (o?.kind === "ConstraintTemplate") {
            const kind: string = o.spec.crd.spec.names.kind;
            const mine = out.get(`manifests/constrainttemplate-${kind.toLowerCase()}.yaml`);
            assert.ok(mine, `${kind} was not emitted`);
            const target = o.spec.targets[0];
            const code = (target.code ?? []).find((c: any) => c.engine === "Rego")?.source;
            assert.is(mine!.spec.targets[0].rego, target.rego ?? code.rego, `${kind}: Rego`);
            assert.equal(mine!.spec.targets[0].libs ?? [], target.libs ?? code?.libs ?? [], `${kind}: libs`);
            // The template's CEL comes out as it went in, beside the Rego.
            const theirCel = (target.code ?? []).find((c: any) => c.engine === "K8sNativeValidation")?.source;
            const myCel = (mine!.spec.targets[0].code ?? []).find((c: any) => c.engine === "K8sNativeValidation")?.source;
            assert.equal(myCel, theirCel, `${kind}: K8sNativeValidation`);
            if (theirCel) withCel++;
            for (const [k, v] of Object.entries(o.metadata.annotations ?? {})) assert.is(mine!.metadata.annotations?.[k], v, `${kind}: annotation ${k}`);
            const theirs = o.spec.crd.spec.validation?.openAPIV3Schema;
            const ours = mine!.spec.crd.spec.validation?.openAPIV3Schema;
            // A schema without properties (`type: object` and a description) declares no parameters.
            if (theirs?.properties) assert.equal(normal(ours), normal(theirs), `${kind}: openAPIV3Schema`);
            else assert.is(ours, undefined, `${kind}: no parameters`);
            templates++;
          } else if (typeof o?.apiVersion === "string" && o.apiVersion.startsWith("constraints.gatekeeper.sh/")) {
            const mine = out.get(`manifests/${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
            if (!mine) continue; // a second sample with the same name (PC8011)
            const spec = { enforcementAction: "deny", ...o.spec };
            if (JSON.stringify(normal(mine.spec)) !== JSON.stringify(normal(spec))) continue; // the duplicate's twin
            constraints++;
          }
        }
      }
      assert.is(templates, 49);
      assert.is(withCel, 16, "every template with CEL keeps it");
      assert.ok(constraints >= 60, `only ${constraints} constraints came out as they went in`);

      // Every case of every library suite became a DSL case, and all of them pass: recording the goldens
      // runs the library's assertions (counts and messages), then a plain run compares with them.
      let suiteCases = 0;
      for (const file of walk(library).filter((f) => f.endsWith("/suite.yaml"))) {
        for (const t of YAML.parse(readFileSync(file, "utf8")).tests ?? []) suiteCases += (t.cases ?? []).length;
      }
      const recorded = await projectTest({ cwd: dir, update: true });
      assert.equal(caseCounts(recorded), { pass: suiteCases, other: [] });
      const rerun = await projectTest({ cwd: dir });
      assert.equal(caseCounts(rerun), { pass: suiteCases, other: [] });
    } finally {
      removeProject(dir);
    }
  });
}

function caseCounts(r: ProjectTestResult): { pass: number; other: string[] } {
  const errors = r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
  const cases = r.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.map((c) => ({ name: `${s.path} ${t.name} › ${c.name}`, status: c.status, why: c.reasons.join("; ") }))));
  return { pass: cases.filter((c) => c.status === "pass").length, other: [...errors, ...cases.filter((c) => c.status !== "pass").map((c) => `${c.name}: ${c.status} ${c.why}`)] };
}

const requiredLabels = requireShared("corpora/gatekeeper-library/library/general/requiredlabels", "importing requiredlabels with its suite");
if (requiredLabels) {
  test("import of library/general/requiredlabels: the suite's cases become the constraints' tests, and policyc test passes them", async () => {
    const dir = makeProject({}, `import { defineConfig } from "policyc";\nexport default defineConfig({ include: ["policies/**/*.ts"] });\n`);
    try {
      const imported = await run([requiredLabels], dir);
      assert.is(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, /imported 1 templates, 2 constraints and 5 test cases/);
      const ts = readFileSync(path.join(dir, "policies/imported/k8srequiredlabels.ts"), "utf8");
      // Each suite test's cases sit on the constraint its `constraint:` file defines, with the samples copied beside.
      const owner = ts.slice(ts.indexOf("defineConstraint(k8sRequiredLabels, {\n  name: \"all-must-have-owner\""), ts.indexOf("export const mustHavePizza"));
      for (const name of ["example-allowed", "example-disallowed", "example-disallowed-label-value"]) assert.match(owner, new RegExp(`name: "${name}"`));
      assert.match(owner, /object: "\.\/k8srequiredlabels\.tests\/samples\/all-must-have-owner\/example_disallowed\.yaml",\n\s+violations: "yes"/);
      assert.is(
        readFileSync(path.join(dir, "policies/imported/k8srequiredlabels.tests/samples/verify-label-key-only/example_allowed.yaml"), "utf8"),
        readFileSync(path.join(requiredLabels, "samples/verify-label-key-only/example_allowed.yaml"), "utf8"),
      );
      const built = await build({ cwd: dir });
      assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
      assert.equal(caseCounts(await projectTest({ cwd: dir, update: true })), { pass: 5, other: [] });
      assert.equal(caseCounts(await projectTest({ cwd: dir })), { pass: 5, other: [] });
    } finally {
      removeProject(dir);
    }
  });
}

test("import carries suites: messages, counts, inventory, AdmissionReviews, parameters of a sample constraint not imported; says what it cannot carry", async () => {
  const dir = makeProject({});
  try {
    const lib = path.join(dir, "lib");
    mkdirSync(path.join(lib, "samples"), { recursive: true });
    const rego = [
      "package k8sdemo",
      "",
      'violation[{"msg": msg}] {',
      "  name := input.review.object.metadata.name",
      "  startswith(name, input.parameters.prefix)",
      '  msg := sprintf("name <%v> is taken", [name])',
      "}",
      "",
      'violation[{"msg": msg}] {',
      '  input.review.operation == "DELETE"',
      '  msg := sprintf("%v may not delete", [input.review.userInfo.username])',
      "}",
      "",
      'violation[{"msg": msg}] {',
      "  other := data.inventory.namespace[ns][_][_][name]",
      "  name == input.review.object.metadata.name",
      "  ns != input.review.object.metadata.namespace",
      '  msg := sprintf("name <%v> is used in namespace <%v>", [name, ns])',
      "}",
      "",
    ].join("\n");
    const template = {
      apiVersion: "templates.gatekeeper.sh/v1",
      kind: "ConstraintTemplate",
      metadata: { name: "k8sdemo" },
      spec: {
        crd: { spec: { names: { kind: "K8sDemo" }, validation: { openAPIV3Schema: { type: "object", properties: { prefix: { type: "string" } } } } } },
        targets: [{ target: "admission.k8s.gatekeeper.sh", rego }],
      },
    };
    const constraint = (name: string, prefix: string) => ({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sDemo", metadata: { name }, spec: { match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, parameters: { prefix } } });
    const pod = (name: string, ns = "default") => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns }, spec: { containers: [{ name: "c", image: "nginx" }] } });
    const files: Record<string, unknown> = {
      "template.yaml": template,
      "samples/a/constraint.yaml": constraint("demo", "bad"),
      // Same name as the first: not imported (PC8011), so its cases go on the check with its parameters.
      "samples/b/constraint.yaml": constraint("demo", "worse"),
      "samples/bad.yaml": pod("bad-one"),
      "samples/worse.yaml": pod("worse-one"),
      "samples/ok.yaml": pod("fine"),
      "samples/elsewhere.yaml": pod("fine", "other"),
      "samples/delete.yaml": { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { operation: "DELETE", userInfo: { username: "mallory" }, oldObject: pod("fine") } },
    };
    for (const [rel, o] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(lib, rel)), { recursive: true });
      writeFileSync(path.join(lib, rel), YAML.stringify(o));
    }
    writeFileSync(
      path.join(lib, "suite.yaml"),
      `kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
tests:
- name: first
  template: template.yaml
  constraint: samples/a/constraint.yaml
  cases:
  - name: bad
    object: samples/bad.yaml
    assertions:
    - violations: 1
      message: "name <bad-one> is taken"
  - name: inventory
    object: samples/ok.yaml
    inventory: [samples/elsewhere.yaml]
    assertions:
    - violations: 1
    - message: namespace <other>
    - violations: no
      message: is taken
  - name: delete
    object: samples/delete.yaml
    assertions:
    - violations: yes
      message: mallory may not delete
  - name: lost
    object: samples/missing.yaml
    assertions:
    - violations: no
- name: second
  template: template.yaml
  constraint: samples/b/constraint.yaml
  cases:
  - name: bad
    object: samples/worse.yaml
    assertions:
    - violations: 1
- name: expanded
  template: template.yaml
  constraint: samples/a/constraint.yaml
  expansion: samples/expansion.yaml
  cases: []
`,
    );
    const imported = await run(["lib"], dir);
    assert.is(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /lib\/suite\.yaml:\d+:\d+: warning PC8020: suite test `first`, case `lost`: .*missing\.yaml/);
    assert.match(imported.stderr, /lib\/suite\.yaml:\d+:\d+: warning PC8021: suite test `expanded`: it expands workloads with an ExpansionTemplate/);
    assert.match(imported.stdout, /1 constraints and 4 test cases/);
    const ts = readFileSync(path.join(dir, "policies/imported/k8sdemo.ts"), "utf8");
    assert.match(ts, /messages: \[\/name <bad-one> is taken\/\]/);
    assert.match(ts, /\/\/ gator also asserts that no violation matches "is taken"; a DSL case cannot say that/);
    assert.match(ts, /operation: "DELETE",\n\s+userInfo: \{ username: "mallory" \}/);
    assert.match(ts, /inventory: \["\.\/k8sdemo\.tests\/samples\/elsewhere\.yaml"\]/);
    // The second test's constraint was not imported: its case is the check's, with that constraint's parameters.
    assert.match(ts, /rego: regoFile\("\.\/k8sdemo\.rego"\),\n  tests: \[\n    \{ name: "bad", object: "\.\/k8sdemo\.tests\/samples\/worse\.yaml", parameters: \{ prefix: "worse" \}, violations: 1 \},/, ts);
    const built = await build({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
    assert.equal(caseCounts(await projectTest({ cwd: dir, update: true })), { pass: 4, other: [] });
  } finally {
    removeProject(dir);
  }
});

test("import refuses to overwrite (nothing is written), overwrites with --force, and explains what it skipped", async () => {
  const dir = makeProject({});
  try {
    mkdirSync(path.join(dir, "in"));
    const template = {
      apiVersion: "templates.gatekeeper.sh/v1",
      kind: "ConstraintTemplate",
      metadata: { name: "k8sdemo", annotations: { "metadata.gatekeeper.sh/title": "Demo" } },
      spec: {
        crd: { spec: { names: { kind: "K8sDemo" }, validation: { openAPIV3Schema: { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } } } } },
        targets: [{ target: "admission.k8s.gatekeeper.sh", rego: 'package k8sdemo\n\nviolation[{"msg": "no"}] {\n  input.review.object.metadata.name == `x`\n}\n' }],
      },
    };
    const constraint = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sDemo", metadata: { name: "demo" }, spec: { parameters: { tags: ["a"] } } };
    const orphan = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sOther", metadata: { name: "other" }, spec: {} };
    writeFileSync(path.join(dir, "in", "all.yaml"), [template, constraint, orphan].map((o) => YAML.stringify(o)).join("---\n"));
    const first = await run(["in"], dir);
    assert.is(first.code, 0, first.stderr);
    assert.match(first.stderr, /in\/all\.yaml:\d+:1: warning PC8005: constraint `other` of kind K8sOther is not imported/);
    // The Rego goes to a file byte for byte (a template literal could not hold its backticks).
    assert.is(readFileSync(path.join(dir, "policies/imported/k8sdemo.rego"), "utf8"), template.spec.targets[0]!.rego);
    const ts = readFileSync(path.join(dir, "policies/imported/k8sdemo.ts"), "utf8");
    assert.match(ts, /export const demo = defineConstraint\(k8sDemo, \{\n  name: "demo",\n  parameters: \{\n    tags: \["a"\],/);
    const built = await build({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);

    writeFileSync(path.join(dir, "policies/imported/k8sdemo.ts"), "// edited\n");
    const again = await run(["in"], dir);
    assert.is(again.code, 1);
    assert.match(again.stderr, /error PC8006: policies\/imported\/k8sdemo\.ts already exists; pass --force/);
    assert.is(readFileSync(path.join(dir, "policies/imported/k8sdemo.ts"), "utf8"), "// edited\n");
    const forced = await run(["--force", "in"], dir);
    assert.is(forced.code, 0, forced.stderr);
    assert.match(readFileSync(path.join(dir, "policies/imported/k8sdemo.ts"), "utf8"), /defineCheck<K8sDemoParams>/);

    writeFileSync(path.join(dir, "in", "all.yaml"), YAML.stringify(orphan));
    const none = await run(["in", "--out", "elsewhere"], dir);
    assert.is(none.code, 1);
    assert.match(none.stderr, /error PC8002: the inputs hold no Gatekeeper ConstraintTemplate/);
    writeFileSync(path.join(dir, "in", "all.yaml"), "a: [unclosed\n");
    const broken = await run(["in", "--out", "elsewhere"], dir);
    assert.is(broken.code, 1);
    assert.match(broken.stderr, /in\/all\.yaml:\d+:\d+: error PC4002/);
  } finally {
    removeProject(dir);
  }
});


test("an imported template's CEL is carried over as k8sNativeValidation; CEL that does not type-check is PC8012 at the template's line", async () => {
  const dir = makeProject({});
  try {
    mkdirSync(path.join(dir, "in"));
    const yaml = twoEngineTemplateYaml(
      "K8sCel",
      { expression: "has(variables.anyObject.metadata.labels)", message: "needs labels" },
      'package k8scel\nviolation[{"msg": "needs labels"}] { not input.review.object.metadata.labels }',
    );
    writeFileSync(path.join(dir, "in", "t.yaml"), yaml);
    const r = await run(["in"], dir);
    assert.is(r.code, 0, r.stderr);
    assert.not.match(r.stderr, /PC8007/);
    const ts = readFileSync(path.join(dir, "policies/imported/k8scel.ts"), "utf8");
    assert.match(ts, /k8sNativeValidation: \{/);
    const built = await build({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
    const t = built.files!.find((f) => f.path === "manifests/constrainttemplate-k8scel.yaml")!.object as any;
    assert.equal(t.spec.targets[0].code[0], { engine: "K8sNativeValidation", source: { validations: [{ expression: "has(variables.anyObject.metadata.labels)", message: "needs labels" }] } });
    // A typo in the CEL: an error at the expression's line in the template, and nothing is written.
    writeFileSync(path.join(dir, "in", "t.yaml"), yaml.replace("variables.anyObject", "variables.anyObjekt"));
    const bad = await run(["in", "--force"], dir);
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /in\/t\.yaml:12:\d+: error PC8012: template `k8scel`: its K8sNativeValidation `validations\.0\.expression` does not type-check: undeclared reference to 'variables\.anyObjekt'/);
  } finally {
    removeProject(dir);
  }
});

test("an imported template's CEL is checked against its constraints' kinds and its parameters schema: PC8012 at the template's line", async () => {
  const dir = makeProject({});
  try {
    mkdirSync(path.join(dir, "in"));
    const yaml = (expression: string) => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8smaxcontainers
spec:
  crd:
    spec:
      names:
        kind: K8sMaxContainers
      validation:
        openAPIV3Schema:
          type: object
          properties:
            max:
              type: integer
  targets:
    - target: admission.k8s.gatekeeper.sh
      code:
        - engine: K8sNativeValidation
          source:
            validations:
              - expression: '${expression}'
                message: "too many containers"
        - engine: Rego
          source:
            rego: |
              package k8smaxcontainers
              violation[{"msg": "too many containers"}] { count(input.review.object.spec.containers) > input.parameters.max }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sMaxContainers
metadata:
  name: max-containers
spec:
  match:
    kinds:
      - apiGroups: [""]
        kinds: ["Pod"]
  parameters:
    max: 3
`;
    writeFileSync(path.join(dir, "in", "t.yaml"), yaml("size(variables.anyObject.spec.containers) <= variables.params.max"));
    const ok = await run(["in"], dir);
    assert.is(ok.code, 0, ok.stderr);
    for (const [bad, message] of [
      ["size(variables.anyObject.spec.contaners) <= variables.params.max", /undefined field 'contaners' in core\/v1\.PodSpec \(did you mean 'containers'\?\)/],
      ["size(variables.anyObject.spec.containers) <= variables.params.maximum", /undefined field 'maximum' in parameters/],
      ['variables.params.max == "3"', /no matching overload for '_==_' applied to '\(int, string\)'/],
    ] as const) {
      writeFileSync(path.join(dir, "in", "t.yaml"), yaml(bad));
      const r = await run(["in", "--force"], dir);
      assert.is(r.code, 1, bad);
      assert.match(r.stderr, /in\/t\.yaml:22:\d+: error PC8012: template `k8smaxcontainers`: its K8sNativeValidation `validations\.0\.expression` does not type-check: /);
      assert.match(r.stderr, message);
    }
    // In the library's multi-line form (a `|` block) the error is at the line and column of the test.
    const block = yaml("x").replace(`- expression: 'x'`, `- expression: |
                  size(variables.anyObject.spec.containers) <= variables.params.max &&
                  variables.anyObject.spec.initContainers.all(c,
                    has(c.securityContext.privilegd))`);
    writeFileSync(path.join(dir, "in", "t.yaml"), block);
    const r = await run(["in", "--force"], dir);
    assert.is(r.code, 1);
    const line = block.split("\n").findIndex((l) => l.includes("privilegd")) + 1;
    const col = block.split("\n")[line - 1]!.indexOf("has(c.securityContext.privilegd") + 1;
    assert.match(r.stderr, new RegExp(`in/t\\.yaml:${line}:${col}: error PC8012: .*undefined field 'privilegd' in core/v1\\.SecurityContext \\(did you mean 'privileged'\\?\\)`));
  } finally {
    removeProject(dir);
  }
});

test.run();
