// The DSL's runtime side: branding, registration with call sites, the rego tag.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { closeRegistry, DEFINITION, isDefinition, openRegistry } from "../../src/api/definition.js";
import { defineCheck, defineConstraint, defineResource, rego, regoFile } from "../../src/api/index.js";

test("define*() brand their values and register them in order, with the caller's line", () => {
  const registry = openRegistry();
  try {
    const check = defineCheck<{ repos: string[] }>({ kind: "K8sA", description: "d", rego: rego`package a` });
    const line = Number(new Error().stack!.split("\n")[1]!.match(/:(\d+):\d+\)?$/)![1]) - 1;
    const constraint = defineConstraint(check, { name: "c", parameters: { repos: [] } });
    const resource = defineResource({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "n" } });
    assert.equal(registry.entries, [check, constraint, resource]);
    assert.ok(isDefinition(check) && isDefinition(constraint) && isDefinition(resource));
    assert.equal(registry.entries.map((d) => d[DEFINITION].kind), ["check", "constraint", "resource"]);
    const site = check[DEFINITION].site!;
    assert.match(site.file, /test\/api\/api\.test\.ts$/);
    assert.is(site.line, line);
    assert.not.ok(Object.keys(check).includes(String(DEFINITION)), "the brand is not enumerable");
  } finally {
    closeRegistry();
  }
});

test("without an open registry, definitions are still branded but not collected", () => {
  const check = defineCheck({ kind: "K8sB", description: "d", rego: rego`package b` });
  assert.ok(isDefinition(check));
  const registry = openRegistry();
  closeRegistry();
  assert.equal(registry.entries, []);
});

test("rego removes the first blank line and common indentation, keeps relative indentation", () => {
  const r = rego`
    package x

    violation[{"msg": m}] {
      m := "a"
    }
  `;
  assert.is(r.regoText, 'package x\n\nviolation[{"msg": m}] {\n  m := "a"\n}\n');
  assert.is(rego`package y`.regoText, "package y\n");
  assert.is(rego`
    a ${"b"} c
  `.regoText, "a b c\n");
});

test("regoFile keeps the path and records where it was called", () => {
  const f = regoFile("./x.rego");
  assert.is(f.regoFile, "./x.rego");
  assert.match(f.site!.file, /test\/api\/api\.test\.ts$/);
});

test.run();
