// gator verify's assertions case by case (facts from gator's runner tests, restated): how
// `violations` (yes/no/N) and `message` (a regular expression) judge the violations of a case, run
// on real templates through policyc's engine — one that never denies, one that always denies with
// "never validate", one that denies twice with "first message" and "second message".
import { test } from "uvu";
import * as assert from "uvu/assert";
import { verify } from "../../src/testing/verify.js";
import { tempTree } from "../verify/fixtures.js";
import { templateYaml } from "../check/policy-yaml.js";

const template = templateYaml;
const constraint = (kind: string) => `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: ${kind}\nmetadata:\n  name: ${kind.toLowerCase()}\n`;

const files: Record<string, string> = {
  "allow.yaml": template("AlwaysValidate", `package allow\nviolation[{"msg": msg}] {\n  false\n  msg := "always validate"\n}`),
  "allow-c.yaml": constraint("AlwaysValidate"),
  "deny.yaml": template("NeverValidate", `package deny\nviolation[{"msg": msg}] {\n  true\n  msg := "never validate"\n}`),
  "deny-c.yaml": constraint("NeverValidate"),
  "twice.yaml": template(
    "NeverValidateTwice",
    `package twice\nviolation[{"msg": msg}] {\n  true\n  msg := "first message"\n}\nviolation[{"msg": msg}] {\n  true\n  msg := "second message"\n}`,
  ),
  "twice-c.yaml": constraint("NeverValidateTwice"),
  "object.yaml": "apiVersion: v1\nkind: Object\nmetadata:\n  name: object\n",
};

// [test, case name, assertions (YAML flow), passes]
const cases: ["allow" | "deny" | "twice", string, string, boolean][] = [
  ["allow", "violations no", `[{violations: "no"}]`, true],
  ["allow", "an empty assertion means at least one violation", `[{}]`, false],
  ["allow", "violations yes", `[{violations: "yes"}]`, false],
  ["allow", "violations 0", `[{violations: 0}]`, true],
  ["allow", "violations 1", `[{violations: 1}]`, false],
  ["allow", "a message without a violation", `[{message: "first message"}]`, false],
  ["allow", "the deny message without a violation", `[{message: "never validate"}]`, false],
  ["deny", "an empty assertion", `[{}]`, true],
  ["deny", "violations yes", `[{violations: "yes"}]`, true],
  ["deny", "violations 1", `[{violations: 1}]`, true],
  ["deny", "violations 2, only 1", `[{violations: 2}]`, false],
  ["deny", "violations no", `[{violations: "no"}]`, false],
  ["deny", "violations 0", `[{violations: 0}]`, false],
  ["deny", "message as a regular expression", `[{message: "[enrv]+ [adeiltv]+"}]`, true],
  ["deny", "a regular expression that does not match", `[{message: "[enrv]+x [adeiltv]+"}]`, false],
  ["twice", "violations 2", `[{violations: 2}]`, true],
  ["twice", "both messages, counts implied", `[{message: "first message"}, {message: "second message"}]`, true],
  ["twice", "both messages, one each", `[{violations: 1, message: "first message"}, {violations: 1, message: "second message"}]`, true],
  ["twice", "a regular expression matching both", `[{message: "[cdefinorst]+ [aegms]+"}]`, true],
  ["twice", "a regular expression matching both, counted", `[{violations: 2, message: "[cdefinorst]+ [aegms]+"}]`, true],
  ["twice", "one message missing", `[{message: "first message"}, {message: "third message"}]`, false],
];

// Cases gator refuses to judge: they fail, whatever the violations.
const invalid: ["allow" | "deny", string, string][] = [
  ["deny", "a message that is not a regular expression", `[{message: "never validate [("}]`],
  ["deny", "violations neither yes, no nor a number", `[{violations: "other"}]`],
  ["allow", "no assertions at all", `[]`],
];

function suite(): string {
  const all = [...cases.map(([t, n, a]) => [t, n, a] as const), ...invalid];
  const byTest = (t: string) =>
    all
      .filter(([x]) => x === t)
      .map(([, n, a]) => `  - name: ${JSON.stringify(n)}\n    object: object.yaml\n    assertions: ${a}`)
      .join("\n");
  return `apiVersion: test.gatekeeper.sh/v1alpha1
kind: Suite
tests:
${(["allow", "deny", "twice"] as const).map((t) => `- name: ${t}\n  template: ${t}.yaml\n  constraint: ${t}-c.yaml\n  cases:\n${byTest(t)}`).join("\n")}
`;
}

test("each assertion passes or fails as gator decides it", async () => {
  const t = tempTree({ ...files, "suite.yaml": suite() });
  try {
    const run = await verify([t.dir], { cwd: t.dir });
    const results = new Map(run.suites[0]!.tests.flatMap((x) => x.cases.map((c) => [`${x.name}/${c.name}`, c] as const)));
    for (const [testName, name, , passes] of cases) {
      const r = results.get(`${testName}/${name}`);
      assert.ok(r, `${testName}/${name} ran`);
      assert.is(r!.status === "pass", passes, `${testName}/${name}: ${r!.status} ${JSON.stringify(r!.diagnostics ?? r)}`);
    }
    for (const [testName, name] of invalid) {
      const r = results.get(`${testName}/${name}`);
      assert.ok(r, `${testName}/${name} ran`);
      assert.is.not(r!.status, "pass", `${testName}/${name}`);
    }
  } finally {
    t.cleanup();
  }
});

test.run();
