// A ConstraintTemplate's apiVersion: Gatekeeper's CRD serves templates.gatekeeper.sh v1, v1beta1 and
// v1alpha1, and gator converts only those; a template of any other version is refused (gator verify
// fails its test; gator test fails the run), whatever its Rego. Both verify and check read templates
// through the one reader.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { verify } from "../../src/testing/verify.js";
import { runCheck } from "../../src/testing/check/run.js";
import { tempTree } from "../verify/fixtures.js";
import { templateYaml } from "../check/policy-yaml.js";
import { projectRoot } from "../support/shared.js";

const deny = (version: string) =>
  templateYaml("NeverValidate", `package deny\nviolation[{"msg": msg}] {\n  true\n  msg := "never validate"\n}`).replace("templates.gatekeeper.sh/v1", `templates.gatekeeper.sh/${version}`);
const constraint = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NeverValidate\nmetadata:\n  name: never\n";
const object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: object\n  namespace: default\n";
const SERVED = ["v1", "v1beta1", "v1alpha1"];
const REFUSED = ["v1beta2", "v2", "V1"];

test("verify: a template of a version Gatekeeper serves runs; any other version fails its test", async () => {
  const versions = [...SERVED, ...REFUSED];
  const files: Record<string, string> = { "c.yaml": constraint, "object.yaml": object };
  for (const v of versions) files[`t-${v}.yaml`] = deny(v);
  files["suite.yaml"] = `apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests:\n${versions
    .map((v) => `- name: ${v}\n  template: t-${v}.yaml\n  constraint: c.yaml\n  cases:\n  - {name: denied, object: object.yaml, assertions: [{violations: 1}]}`)
    .join("\n")}\n`;
  const t = tempTree(files);
  try {
    const run = await verify([t.dir], { cwd: t.dir });
    const status = Object.fromEntries(run.suites[0]!.tests.map((x) => [x.name, x.status]));
    assert.equal(status, { v1: "pass", v1beta1: "pass", v1alpha1: "pass", v1beta2: "fail", v2: "fail", V1: "fail" });
    const reason = run.suites[0]!.tests.find((x) => x.name === "v1beta2")!.diagnostics.map((d) => d.message).join("\n");
    assert.match(reason, /templates\.gatekeeper\.sh\/v1beta2 is not a version of ConstraintTemplate Gatekeeper serves \(v1, v1beta1, v1alpha1\)/);
  } finally {
    t.cleanup();
  }
});

test("check: a template of a version Gatekeeper does not serve is refused with its constraints; served ones judge", async () => {
  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  for (const v of [...SERVED, ...REFUSED]) {
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: [deny(v), constraint, object].join("---\n"), policies: { kind: "inputs" }, settings, workers: 1 });
    const errors = run.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);
    const denied = run.results.some((r) => r.kind === "ConfigMap" && r.violations.some((x) => x.msg === "never validate"));
    if (SERVED.includes(v)) {
      assert.equal(errors, [], v);
      assert.ok(denied, v);
    } else {
      assert.ok(errors.includes("PC4104"), `${v}: ${errors.join(", ")}`);
      assert.not.ok(denied, v);
    }
  }
});

test.run();
