/**
 * The install-time precompiled schema validators: present after install, used only under their own
 * key, and indistinguishable from validators compiled at build time, verdicts and errors alike.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile } from "../../src/build/stages.js";
import {
  ajvWithSchemas,
  precompiledFile,
  readPrecompiled,
  schemaIds,
  schemaKey,
  schemaValidator,
  usingPrecompiled,
  validatorsKey,
} from "../../src/emit/schema-validators.js";
import { projectRoot } from "../support/shared.js";

test("the install step wrote precompiled validators for the current schemas, and builds use them", () => {
  // `npm install`/`npm ci` run `prepare`, which writes them; missing or stale is a broken install step.
  const mod = readPrecompiled(precompiledFile, validatorsKey());
  assert.ok(mod, `${path.relative(projectRoot, precompiledFile)} is missing or stale: run \`npm run prepare\``);
  assert.equal(Object.keys(mod!.validators).sort(), schemaIds());
  assert.ok(usingPrecompiled());
});

test("a module written for other schemas (another key) is not used", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-validators-"));
  try {
    // The module requires ajv's runtime helpers, found through node_modules as beside the package.
    symlinkSync(path.join(projectRoot, "node_modules"), path.join(dir, "node_modules"));
    const copy = path.join(dir, "validators.cjs");
    copyFileSync(precompiledFile, copy);
    assert.ok(readPrecompiled(copy, validatorsKey()));
    assert.is(readPrecompiled(copy, "0".repeat(64)), undefined);
    const broken = path.join(dir, "broken.cjs");
    writeFileSync(broken, readFileSync(copy, "utf8").slice(0, 1000));
    assert.is(readPrecompiled(broken, validatorsKey()), undefined);
    assert.is(readPrecompiled(path.join(dir, "absent.cjs"), validatorsKey()), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The object with `change` applied at `at` (a path of keys), as a deep copy. */
function variant(object: unknown, at: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(object) as Record<string | number, unknown>;
  let parent = copy;
  for (const k of at.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  change(parent, at[at.length - 1]!);
  return copy;
}

/** Paths to every value in `object` (depth-first, capped so each sample stays cheap). */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (out.length >= 60 || value === null || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    out.push([...at, key]);
    pathsOf(v, [...at, key], out);
  }
  return out;
}

test("precompiled and freshly compiled validators agree on the examples' objects and broken variants of them", async () => {
  const result = await compile({ cwd: projectRoot });
  const samples = new Map<string, unknown[]>();
  for (const f of result.files ?? []) {
    if (!f.schema || f.object === undefined) continue;
    const list = samples.get(f.schema) ?? [];
    if (list.length < 3) list.push(f.object);
    samples.set(f.schema, list);
  }
  assert.ok(samples.size >= 4, `examples cover only ${[...samples.keys()].join(", ")}`);
  const fresh = ajvWithSchemas();
  let invalid = 0;
  for (const id of schemaIds()) {
    const objects: unknown[] = [{}, null, "text", []];
    for (const sample of samples.get(id) ?? []) {
      objects.push(sample);
      for (const p of pathsOf(sample)) {
        objects.push(variant(sample, p, (o, k) => delete o[k]));
        objects.push(variant(sample, p, (o, k) => (o[k] = typeof o[k] === "string" ? 42 : "x")));
        objects.push(variant(sample, p, (o, k) => (o[k] = { unexpected: true })));
      }
    }
    const pre = schemaValidator(id);
    const compiled = fresh.getSchema(schemaKey(id))!;
    for (const object of objects) {
      const verdict = pre(object);
      assert.is(verdict, compiled(object), `${id}: verdicts differ on ${JSON.stringify(object).slice(0, 200)}`);
      assert.equal(JSON.parse(JSON.stringify(pre.errors ?? null)), JSON.parse(JSON.stringify(compiled.errors ?? null)), `${id}: errors differ`);
      if (!verdict) invalid++;
    }
  }
  assert.ok(invalid > 100, `only ${invalid} invalid variants were checked`);
});

test.run();
