// The `kyverno` section of the config: defaults and the problems reported at the config file.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { normalizeKyvernoConfig } from "../../src/emit/kyverno/config.js";

const run = (raw: unknown) => {
  const problems: string[] = [];
  return { config: normalizeKyvernoConfig(raw, (m) => problems.push(m)), problems };
};

test("defaults: namespace kyverno, no folders, no resourceFilters, exempt list from the main config", () => {
  assert.equal(run(undefined), { config: { exceptionNamespace: "kyverno", policyDirs: [], resourceFilters: false }, problems: [] });
});

test("options are read and checked", () => {
  const ok = run({ exceptionNamespace: "policy-exceptions", exemptNamespaces: ["kube-system", "d8-*", "infra-?"], policyDir: "k", resourceFilters: true });
  assert.equal(ok.problems, []);
  assert.equal(ok.config, { exceptionNamespace: "policy-exceptions", exemptNamespaces: ["kube-system", "d8-*", "infra-?"], policyDirs: ["k"], resourceFilters: true });
  assert.equal(run({ policyDir: ["a", "b"] }).config.policyDirs, ["a", "b"]);
  const bad = run({ exceptionNamespace: "Kyverno_NS", policyDir: 3, resourceFilters: "yes", exemptNamespace: [] });
  assert.equal(bad.problems.length, 4, bad.problems.join("; "));
  assert.ok(bad.problems.some((p) => p.includes("kyverno.exemptNamespace")));
  assert.is(bad.config.exceptionNamespace, "kyverno");
  assert.equal(run("x").problems, ["`kyverno` must be an object"]);
});

test.run();
