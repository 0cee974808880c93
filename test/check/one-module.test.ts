// The policy set in one Wasm module: templates that declare the same package, or libs of one
// package with different text, are each mounted under their own data prefix (as Gatekeeper mounts
// templates), so each still sees its own rules and libs and `data.inventory` stays shared; Rego a
// prefix would change (a rule's own path, from `rego.metadata.chain`) keeps a module of its own.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck } from "../../src/testing/check/run.js";
import { compileTemplates } from "../../src/testing/gatekeeper/compile-set.js";
import { policySetFromObjects } from "../../src/testing/gatekeeper/policy-set.js";
import { parseChunk, splitDocuments } from "../../src/testing/check/inputs.js";
import { projectRoot } from "../support/shared.js";
import { templateWithConstraint } from "./policy-yaml.js";

/** A template with Rego (`v1` puts it in a `code` entry of Rego v1) and libs, and a constraint on ConfigMaps. */
const template = (kind: string, rego: string, libs: string[] = [], v1 = false): string => templateWithConstraint(kind, rego, "ConfigMap", { libs, v1 });

const TEMPLATES = [
  // Same package, same lib package with different text: each its own.
  template("FirstDup", 'package dup\nimport data.lib.words\nviolation[{"msg": msg}] {\n  msg := sprintf("first: %v", [words.word])\n}', ["package lib.words\nword := \"alpha\""]),
  template("SecondDup", 'package dup\nimport data.lib.words\nviolation[{"msg": msg}] {\n  msg := sprintf("second: %v", [words.word])\n}', ["package lib.words\nword := \"beta\""]),
  // A lib read through a partial path (`data.lib[_]`): only its own libs.
  template(
    "ThirdDup",
    'package dup\nviolation[{"msg": msg}] {\n  names := {n | data.lib[n]}\n  msg := sprintf("third: %v %v", [sort([n | names[n]]), data.lib.words.word])\n}',
    ["package lib.words\nword := \"gamma\"", "package lib.more\nx := 1"],
  ),
  // Rego v1, same package again, and the inventory read through the shared root.
  template("FourthDup", 'package dup\nviolation contains {"msg": msg} if {\n  some name\n  data.inventory.namespace.ns1.v1.ConfigMap[name]\n  name == "other"\n  msg := "fourth: sees the inventory"\n}', [], true),
  // Reads its rule's path (which would include a mount prefix): not mounted, a module of its own.
  template("WholeData", 'package whole\nviolation[{"msg": msg}] {\n  chain := rego.metadata.chain()\n  msg := sprintf("whole: %v", [chain[0].path])\n}'),
];

const OBJECTS = ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one, namespace: ns1}\n", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: ns1}\n"];

test("templates whose packages clash share one module, each with its own rules and libs", async () => {
  const policies = TEMPLATES.join("---\n");
  const objects = splitDocuments(policies, "policies.yaml").flatMap((c) => parseChunk(c).objects);
  const set = policySetFromObjects(objects);
  const compiled = await compileTemplates(set.templates);
  assert.equal(compiled.failures, []);
  const moduleOf = (kind: string) => compiled.templates.find((t) => t.kind === kind)!.module;
  assert.equal(["FirstDup", "SecondDup", "ThirdDup", "FourthDup"].map(moduleOf), [0, 0, 0, 0]);
  assert.is(moduleOf("WholeData"), 1);
  assert.is(compiled.modules.length, 2);

  const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
  const stdinText = [policies, ...OBJECTS].join("---\n");
  for (const workers of [1, 2]) {
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings, workers });
    assert.equal(run.diagnostics, []);
    const one = run.results.find((r) => r.name === "one")!;
    assert.equal(
      one.violations.map((v) => v.msg),
      ["first: alpha", "fourth: sees the inventory", "second: beta", 'third: ["more", "words"] gamma', 'whole: ["whole", "violation"]'],
    );
  }
});

test.run();
