// The committed runtime.wasm is what the sources build to, and its surface is the contract in
// policyc_runtime.h: imports, exports (every native in natives.json with its arity), globals.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Runtime, natives, runtimeBytes, runtimeDir } from "./harness.js";

test("runtime.wasm is in sync with the C sources (rebuilt byte for byte when clang is installed)", async () => {
  const build = await import(path.join(runtimeDir, "build.mjs"));
  const tc = build.toolchain();
  if (!tc) {
    console.log("  skipped: clang/wasm-ld not installed; cannot rebuild runtime.wasm to compare");
    return;
  }
  if (!tc.exact) {
    console.log(`  skipped: runtime.wasm is built with clang ${build.CLANG_MAJOR}; the installed clang differs, so bytes would too`);
    return;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-rt-test-"));
  try {
    const out = path.join(dir, "runtime.wasm");
    build.build(out);
    assert.ok(Buffer.compare(readFileSync(out), runtimeBytes()) === 0, "rebuild differs: run node src/engine/runtime/build.mjs");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("imports only env.memory, opa_abort, opa_println and opa_builtin0..4", () => {
  const mod = new WebAssembly.Module(runtimeBytes());
  const names = WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`).sort();
  const allowed = ["env.memory:memory", "env.opa_abort:function", "env.opa_println:function",
    ...[0, 1, 2, 3, 4].map((n) => `env.opa_builtin${n}:function`)].sort();
  assert.equal(names, allowed);
  // links against a 2-page memory without maximum, as the contract requires
  const rt = new Runtime({ initialPages: 2 });
  assert.type(rt.x.opa_malloc, "function");
});

test("exports the ABI, the back end's operations and every native with its arity", () => {
  const rt = new Runtime();
  const fns: Record<string, number> = {
    eval: 1, builtins: 0, entrypoints: 0, opa_malloc: 1, opa_free: 1, opa_heap_ptr_get: 0, opa_heap_ptr_set: 1,
    opa_json_parse: 2, opa_value_parse: 2, opa_json_dump: 1, opa_value_dump: 1, opa_value_add_path: 3,
    opa_value_remove_path: 2, opa_eval_ctx_new: 0, opa_eval_ctx_set_input: 2, opa_eval_ctx_set_data: 2,
    opa_eval_ctx_set_entrypoint: 2, opa_eval_ctx_get_result: 1, opa_eval: 7, opa_null: 0, opa_boolean: 1,
    opa_number_int: 1, opa_number_ref: 2, opa_number_float: 1, opa_string: 2, opa_array_with_cap: 1,
    opa_object: 0, opa_set: 0, opa_value_type: 1, opa_value_get: 2, opa_value_length: 1, opa_value_iter: 2,
    opa_value_compare: 2, opa_value_hash: 1, opa_array_append: 2, opa_object_insert: 3,
    policyc_object_insert_once: 3, opa_set_add: 2, policyc_object_merge: 2, policyc_value_upsert_path: 3,
    opa_value_shallow_copy: 1, opa_boolean_value: 1, policyc_host_tag: 1, policyc_host_untag: 1,
    policyc_host_builtin_id: 1, policyc_runtime_error: 4, policyc_set_fuel: 1, policyc_fuel_exhausted: 0,
  };
  for (const [name, arity] of Object.entries(fns)) {
    assert.type(rt.x[name], "function", name);
    assert.is(rt.x[name].length, arity, `${name} arity`);
  }
  assert.ok(natives.length >= 60, "natives.json lists the required natives");
  for (const n of natives) {
    assert.is(n.export, `policyc_bi_${n.name.replace(/\./g, "_")}`);
    assert.type(rt.x[n.export], "function", n.export);
    assert.is(rt.x[n.export].length, n.arity, `${n.name} arity`);
    if (n.host) assert.ok(n.host.startsWith("policyc."), n.host);
  }
});

test("globals: ABI version 1.2, heap base past the runtime's data and 16-aligned, fuel budget", () => {
  const rt = new Runtime();
  assert.is(rt.x.opa_wasm_abi_version.value, 1);
  assert.is(rt.x.opa_wasm_abi_minor_version.value, 2);
  const base = rt.x.policyc_heap_base.value;
  assert.ok(base >= rt.x.__heap_base.value && base % 16 === 0);
  assert.ok(rt.x.policyc_fuel.value > 1_000_000);
  assert.is(rt.x.opa_heap_ptr_get(), base, "the heap starts at policyc_heap_base");
  // the back end patches the global: the allocator follows it
  const fresh = new Runtime();
  fresh.x.policyc_heap_base.value = base + 4096;
  assert.ok(fresh.x.opa_malloc(8) >= base + 4096);
});

test("@open-policy-agent/opa-wasm loads the bare runtime (stub eval/builtins/entrypoints)", async () => {
  const { loadPolicy } = await import("@open-policy-agent/opa-wasm");
  const policy = await loadPolicy(runtimeBytes());
  policy.setData({ a: [1, 2, { b: "c" }] });
  assert.equal(policy.evaluate({ x: 1 }), []);
  assert.equal(policy.evaluate(undefined), []);
  // twice more: the SDK resets the heap between evaluations
  assert.equal(policy.evaluate({ big: "x".repeat(200_000) }), []);
  assert.equal(policy.evaluate({ x: 2 }), []);
});

test.run();
