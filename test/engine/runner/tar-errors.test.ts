import { test } from "uvu";
import * as assert from "uvu/assert";
import { gzipSync } from "node:zlib";
import { readTar } from "../../../src/engine/runner/tar.js";
import { toEvalError } from "../../../src/engine/runner/errors.js";
import { findOpa, toOpaEntrypoint } from "../../../src/engine/runner/opa.js";
import { tarArchive } from "../../support/tar.mjs";

test("reads files out of a gzipped ustar archive like an opa bundle", () => {
  const wasm = new Uint8Array(700).map((_, i) => i % 251);
  const tar = tarArchive([["/data.json", new TextEncoder().encode("{}")], ["/policy.wasm", wasm]]);
  const entries = readTar(new Uint8Array(gzipSync(tar)));
  assert.equal(entries.map((e) => e.name), ["/data.json", "/policy.wasm"]);
  assert.equal([...entries[1]!.data], [...wasm]);
});

test("maps aborts and engine errors to OPA-style codes", () => {
  assert.is(toEvalError("p.rego:3:1: var assignment conflict: complete rules must not produce multiple outputs").code, "eval_conflict_error");
  assert.is(toEvalError("x:1:1: object insert conflict: object keys must be unique").code, "eval_conflict_error");
  assert.is(toEvalError("policyc: evaluation budget exceeded").code, "eval_budget_exceeded");
  assert.is(toEvalError("policyc: memory limit exceeded").code, "eval_memory_limit");
  assert.is(toEvalError(new RangeError("Maximum call stack size exceeded")).code, "eval_budget_exceeded");
  assert.is(toEvalError(new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded")).code, "eval_memory_limit");
  assert.is(toEvalError({ message: "not implemented: built-in function 3: policyc.foo" }).code, "eval_internal_error");
  assert.match(toEvalError("boom").message, /eval_internal_error: boom/);
});

test("opa entrypoint names and discovery", () => {
  assert.is(toOpaEntrypoint("data.test.p"), "test/p");
  assert.is(toOpaEntrypoint("test/p"), "test/p");
  const opa = findOpa();
  assert.ok(opa === undefined || opa.endsWith("opa"));
});

test.run();
