import { test } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { testsEmitter } from "../../src/emit/tests/emitter.js";
import { templatesEmitter } from "../../src/emit/gatekeeper/templates.js";
import { carryGoldens } from "../../src/emit/tests/golden-carry.js";
import { labelsFor } from "../../src/emit/tests/samples.js";
import { validateFiles } from "../../src/build/validate.js";
import { verify } from "../../src/testing/verify.js";
import { countResults } from "../../src/testing/run/results.js";
import type { TestCaseIR } from "../../src/ir/ir.js";
import { check, config, constraint, project } from "../emit/ir.js";
import { tempTree } from "../verify/fixtures.js";

const rego = `package k8sdemo

violation[{"msg": msg}] {
  c := input.review.object.spec.containers[_]
  not startswith(c.image, input.parameters.repos[_])
  msg := sprintf("container <%v> uses <%v>", [c.name, c.image])
}

violation[{"msg": msg}] {
  input.review.operation == "UPDATE"
  input.review.userInfo.username == "mallory"
  msg := "mallory may not update"
}

violation[{"msg": msg}] {
  other := data.inventory.namespace[input.review.object.metadata.namespace]["v1"]["Pod"][_]
  other.metadata.name != input.review.object.metadata.name
  msg := sprintf("pod <%v> already runs here", [other.metadata.name])
}
`;

const pod = (image: string, ns = "shop", name = "web") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: "app", image }] },
});
const tc = (over: Partial<TestCaseIR> & Pick<TestCaseIR, "name" | "object" | "violations">): TestCaseIR => ({ origin: { file: "p.ts", line: 9, col: 5 }, ...over });

function demoProject() {
  const k = check("K8sDemo", {
    body: { kind: "rego", main: { text: rego, origin: { file: "p.ts", line: 5, col: 1, colOffset: 0 } }, libs: [], origin: { file: "p.ts", line: 4, col: 1 } },
    tests: [
      tc({ name: "allowed", object: pod("good/app"), parameters: { repos: ["good/"] }, violations: "no" }),
      tc({ name: "denied", object: pod("evil/app"), parameters: { repos: ["good/"] }, violations: 1, messages: ["container <app> uses <evil/app>"] }),
      tc({ name: "other repos", object: pod("evil/app"), parameters: { repos: ["evil/"] }, violations: "no" }),
      tc({
        name: "update by mallory",
        object: pod("good/app"),
        parameters: { repos: ["good/"] },
        admission: { operation: "UPDATE", userInfo: { username: "mallory" }, oldObject: pod("good/app") },
        violations: 1,
        messages: ["^mallory may not update$"],
      }),
      tc({
        name: "crowded namespace",
        object: pod("good/app"),
        parameters: { repos: ["good/"] },
        inventory: [pod("good/x", "shop", "db")],
        violations: 1,
        messages: ["pod <db> already runs here"],
      }),
    ],
  });
  const c = constraint("K8sDemo", "restricted-only", {
    parameters: { repos: ["good/"] },
    match: {
      kinds: [{ apiGroups: [""], kinds: ["Pod"] }],
      excludedNamespaces: ["kube-system", "d8-*"],
      namespaceSelector: { matchExpressions: [{ key: "security.deckhouse.io/pod-policy", operator: "In", values: ["restricted"] }] },
    },
    tests: [
      tc({ name: "in scope and denied", object: pod("evil/app"), violations: 1, messages: ["container <app> uses <evil/app>"] }),
      tc({ name: "system namespace is exempt", object: pod("evil/app", "d8-system"), violations: "no" }),
      tc({
        name: "privileged namespace is out of scope",
        object: pod("evil/app", "dev"),
        inventory: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "dev", labels: { "security.deckhouse.io/pod-policy": "privileged" } } }],
        violations: "no",
      }),
    ],
  });
  return project({ checks: [k], constraints: [c] });
}

test("emits a gator suite per check: tests per parameter set, samples, constraints, schemas valid", () => {
  const p = demoProject();
  const { files, diagnostics } = testsEmitter.emit(p, config());
  assert.equal(diagnostics, []);
  const paths = files.map((f) => f.path).sort();
  assert.ok(paths.includes("tests/k8sdemo/suite.yaml"));
  assert.ok(paths.every((x) => x.startsWith("tests/k8sdemo/")), "tests stay outside manifests/ (and the kustomization)");
  assert.equal(validateFiles(files), [], "suite and constraints satisfy their schemas");
  const suiteFile = files.find((f) => f.path === "tests/k8sdemo/suite.yaml")!;
  const suite = parse(suiteFile.content);
  assert.equal(
    suite.tests.map((t: { name: string; constraint: string; template: string }) => [t.name, t.constraint, t.template]),
    [
      ["K8sDemo", "constraints/k8sdemo.yaml", "../../manifests/constrainttemplate-k8sdemo.yaml"],
      ["K8sDemo [other repos]", "constraints/k8sdemo-p2.yaml", "../../manifests/constrainttemplate-k8sdemo.yaml"],
      ["restricted-only", "constraints/restricted-only.yaml", "../../manifests/constrainttemplate-k8sdemo.yaml"],
    ],
  );
  assert.match(suiteFile.content, /violations: "no"/, "yes/no are quoted for YAML 1.1 readers");
  const withOn = testsEmitter.emit(
    project({ checks: [check("K8sDemo", { tests: [tc({ name: "on", object: { ...pod("x"), metadata: { name: "p", namespace: "a", labels: { enabled: "on", mode: "0755" } } }, violations: "no" })] })] }),
    config(),
  );
  const sample = withOn.files.find((f) => f.path.endsWith("/on.yaml"))!.content;
  assert.match(sample, /enabled: "on"\n\s+mode: "0755"/, "strings a YAML 1.1 reader would retype are quoted");
  const review = parse(files.find((f) => f.path.endsWith("update-by-mallory.yaml"))!.content);
  assert.is(review.kind, "AdmissionReview");
  assert.equal(review.request.kind, { group: "", version: "v1", kind: "Pod" });
  const synthesized = parse(files.find((f) => f.path.endsWith("in-scope-and-denied.inventory.yaml"))!.content);
  assert.equal(synthesized.metadata.labels["security.deckhouse.io/pod-policy"], "restricted");
  assert.not.ok(files.some((f) => f.path.endsWith("privileged-namespace-is-out-of-scope.inventory.yaml") && /restricted/.test(f.content)), "a given Namespace is not replaced");
  // Schema defaults are written into test constraints, so gator (which does not default) agrees.
  const p2 = demoProject();
  p2.checks[0]!.parameters = { type: "object", properties: { repos: { type: "array", items: { type: "string" } }, mode: { type: "string", default: "strict" } } };
  const c2 = testsEmitter.emit(p2, config()).files.find((f) => f.path === "tests/k8sdemo/constraints/k8sdemo.yaml")!;
  assert.equal(parse(c2.content).spec.parameters, { repos: ["good/"], mode: "strict" });
  // Same input, same bytes.
  assert.equal(testsEmitter.emit(p, config()).files.map((f) => f.content), files.map((f) => f.content));
});

test("the emitted suite runs under policyc verify with the emitted template", async () => {
  const p = demoProject();
  const files = [...templatesEmitter.emit(p, config()).files, ...testsEmitter.emit(p, config()).files];
  const t = tempTree(Object.fromEntries(files.map((f) => [f.path, f.content])));
  const run = await verify([`${t.dir}/tests`], { cwd: t.dir });
  const failures = run.suites.flatMap((s) => s.tests.flatMap((x) => [...x.reasons, ...x.cases.flatMap((c) => c.reasons)]));
  assert.equal(countResults(run), { passed: 8, failed: 0, skipped: 0 }, failures.join("\n"));
  t.cleanup();
});

test("labelsFor derives labels that satisfy a selector; golden files are carried over", () => {
  assert.equal(labelsFor({ matchLabels: { a: "1" }, matchExpressions: [{ key: "b", operator: "In", values: ["x", "y"] }, { key: "c", operator: "Exists" }, { key: "d", operator: "NotIn", values: ["z"] }] }), {
    a: "1",
    b: "x",
    c: "true",
  });
  const t = tempTree({ "tests/k8sdemo/golden.json": '{"a": {}}\n', "tests/gone/golden.json": "{}\n" });
  const carried = carryGoldens(t.dir, [{ path: "tests/k8sdemo/suite.yaml", content: "" }]);
  assert.equal(carried, [{ path: "tests/k8sdemo/golden.json", content: '{"a": {}}\n' }]);
  assert.equal(carryGoldens(undefined, [{ path: "tests/k8sdemo/suite.yaml", content: "" }]), []);
  t.cleanup();
});

test.run();
