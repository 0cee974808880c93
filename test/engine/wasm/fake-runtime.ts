/**
 * A tiny stand-in for runtime.wasm built with our own encoder: the imports, stubs and globals the
 * linker relies on, so linker tests do not depend on the real runtime's build.
 */
import { Code, functionBody } from "../../../src/engine/wasm/binary/code.js";
import { encodeModule } from "../../../src/engine/wasm/binary/encode.js";
import { ValType, type WasmModule } from "../../../src/engine/wasm/binary/module.js";

const { i32 } = ValType;

export function fakeRuntime(): Uint8Array {
  const m: WasmModule = {
    types: [
      { params: [i32], results: [] }, // 0: opa_abort
      { params: [], results: [i32] }, // 1: builtins/entrypoints/heap get
      { params: [i32], results: [i32] }, // 2: eval
    ],
    imports: [
      { module: "env", name: "memory", desc: { kind: 2, limits: { flags: 0, min: 2 } } },
      { module: "env", name: "opa_abort", desc: { kind: 0, type: 0 } },
    ],
    functions: [2, 1, 1, 1],
    tables: [],
    memories: [],
    globals: [
      { type: { type: i32, mutable: true }, init: new Uint8Array([0x41, 0x80, 0x08, 0x0b]) }, // 1024
      { type: { type: i32, mutable: true }, init: new Uint8Array([0x41, 0x00, 0x0b]) },
    ],
    exports: [
      { name: "eval", kind: 0, index: 1 },
      { name: "builtins", kind: 0, index: 2 },
      { name: "entrypoints", kind: 0, index: 3 },
      { name: "heap_get", kind: 0, index: 4 },
      { name: "policyc_heap_base", kind: 3, index: 0 },
      { name: "policyc_fuel", kind: 3, index: 1 },
    ],
    elements: [],
    codes: [
      functionBody([], new Code().i32Const(0)),
      functionBody([], new Code().i32Const(0)),
      functionBody([], new Code().i32Const(0)),
      functionBody([], new Code().globalGet(0)),
    ],
    data: [{ flags: 0, offset: new Uint8Array([0x41, 0x10, 0x0b]), bytes: new TextEncoder().encode("runtime") }],
    customs: [{ name: "producers", payload: new Uint8Array([0]), after: 11 }],
    names: undefined,
  };
  return encodeModule(m);
}
