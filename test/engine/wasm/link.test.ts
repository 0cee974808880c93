import { test } from "uvu";
import * as assert from "uvu/assert";
import { Code } from "../../../src/engine/wasm/binary/code.js";
import { decodeModule } from "../../../src/engine/wasm/binary/decode.js";
import { Linker } from "../../../src/engine/wasm/link.js";
import { fakeRuntime } from "./fake-runtime.js";

const WA = (globalThis as unknown as { WebAssembly: any }).WebAssembly;

function instantiate(bytes: Uint8Array, pages = 2) {
  const memory = new WA.Memory({ initial: pages });
  const aborts: number[] = [];
  const inst = new WA.Instance(new WA.Module(bytes), { env: { memory, opa_abort: (a: number) => aborts.push(a) } });
  return { inst, memory, aborts };
}

test("appends functions, replaces stubs, places data at the heap base and patches it", () => {
  const runtime = fakeRuntime();
  const before = decodeModule(runtime);
  const l = new Linker(runtime);
  assert.is(l.dataBase, 1024);
  const [hello, helloLen] = l.string("hello");
  assert.is(hello, 1024);
  const again = l.string("hello");
  assert.is(again[0], hello, "strings are interned");
  const twice = l.declare("twice", { params: [0x7f], results: [0x7f] });
  const answer = l.declare("answer", { params: [], results: [0x7f] });
  l.define(twice, [], new Code().localGet(0).i32Const(2).i32Mul());
  l.define(answer, [], new Code().i32Const(21).call(twice.index));
  // eval(ctx) now returns answer() + the length of "hello"
  l.replace("eval", [], new Code().call(answer.index).i32Const(helloLen).i32Add());
  l.setExport("answer", 0, answer.index);
  l.setConstGlobal("opa_wasm_abi_version", 1);
  const out = l.finish();
  const m = decodeModule(out);
  // Existing exports keep their indices; the new functions come after the runtime's.
  for (const e of before.exports) assert.is(m.exports.find((x) => x.name === e.name)!.index, e.index);
  assert.is(twice.index, 5);
  assert.is(answer.index, 6);
  // (i32)->i32 already existed: types are deduplicated
  assert.is(m.types.length, before.types.length);
  const { inst, memory } = instantiate(out);
  assert.is(inst.exports.eval(0), 47);
  assert.is(inst.exports.answer(), 42);
  assert.is(inst.exports.opa_wasm_abi_version.value, 1);
  assert.is(new TextDecoder().decode(new Uint8Array(memory.buffer, hello, helloLen)), "hello");
  const heap = inst.exports.heap_get();
  assert.ok(heap >= 1024 + 5 && heap % 16 === 0, `heap base ${heap} is past the data and aligned`);
});

test("grows the memory import minimum when data passes the runtime's pages", () => {
  const l = new Linker(fakeRuntime());
  const big = l.addData(new Uint8Array(200_000).fill(7));
  const out = l.finish();
  const mem = decodeModule(out).imports.find((i) => i.desc.kind === 2)!;
  assert.ok(mem.desc.kind === 2 && mem.desc.limits.min >= Math.ceil((big + 200_000) / 65536));
  const { inst, memory } = instantiate(out, 4);
  assert.is(new Uint8Array(memory.buffer)[big + 199_999], 7);
  assert.ok(inst.exports.heap_get() >= big + 200_000);
});

test("refuses to finish with a declared but undefined function, and reports missing exports", () => {
  const l = new Linker(fakeRuntime());
  l.declare("ghost", { params: [], results: [] });
  assert.throws(() => l.finish(), /never defined/);
  assert.throws(() => new Linker(fakeRuntime()).func("opa_malloc"), /does not export function opa_malloc/);
});

test.run();
