import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { existsSync, readFileSync } from "node:fs";
import { ByteReader, ByteWriter } from "../../../src/engine/wasm/binary/leb.js";
import { decodeModule } from "../../../src/engine/wasm/binary/decode.js";
import { encodeModule } from "../../../src/engine/wasm/binary/encode.js";
import { Code, functionBody } from "../../../src/engine/wasm/binary/code.js";
import { projectRoot } from "../../support/shared.js";
import { fakeRuntime } from "./fake-runtime.js";
import path from "node:path";

const WA = (globalThis as unknown as { WebAssembly: any }).WebAssembly;

test("LEB128 round-trips u32, s32 and s64", () => {
  fc.assert(
    fc.property(fc.nat({ max: 0xffffffff }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (u, s, b) => {
      const w = new ByteWriter().u32(u).s32(s).s64(b);
      const r = new ByteReader(w.finish());
      return r.u32() === u && r.s32() === s && r.s64() === b && r.done;
    }),
    { numRuns: 300 },
  );
  assert.equal([...new ByteWriter().u32(624485).finish()], [0xe5, 0x8e, 0x26]);
  assert.equal([...new ByteWriter().s32(-123456).finish()], [0xc0, 0xbb, 0x78]);
});

test("a module we encode decodes and re-encodes byte for byte, and instantiates", () => {
  const bytes = fakeRuntime();
  const again = encodeModule(decodeModule(bytes));
  assert.equal(Buffer.compare(Buffer.from(bytes), Buffer.from(again)), 0);
  const m = decodeModule(bytes);
  assert.is(m.functions.length, 4);
  assert.is(m.customs[0]!.name, "producers");
  const memory = new WA.Memory({ initial: 2 });
  const inst = new WA.Instance(new WA.Module(bytes), { env: { memory, opa_abort: () => {} } });
  assert.is(inst.exports.heap_get(), 1024);
  assert.is(new TextDecoder().decode(new Uint8Array(memory.buffer, 16, 7)), "runtime");
});

test("the instruction encoder produces valid code for control flow, locals and constants", () => {
  const c = new Code();
  // sum of 0..n-1 via a loop with br_if; also i64/f64 consts that are dropped
  c.i64Const(-(2n ** 40n)).drop().f64Const(1.5).drop();
  c.block().loop();
  c.localGet(1).localGet(0).i32GeS().brIf(1);
  c.localGet(2).localGet(1).i32Add().localSet(2);
  c.localGet(1).i32Const(1).i32Add().localSet(1);
  c.br(0).end().end().localGet(2);
  const m = decodeModule(fakeRuntime());
  m.types.push({ params: [0x7f], results: [0x7f] });
  m.functions.push(m.types.length - 1);
  m.codes.push(functionBody([0x7f, 0x7f], c));
  m.exports.push({ name: "sum", kind: 0, index: 5 });
  const inst = new WA.Instance(new WA.Module(encodeModule(m)), { env: { memory: new WA.Memory({ initial: 2 }), opa_abort() {} } });
  assert.is(inst.exports.sum(10), 45);
});

test("runtime.wasm decodes and re-encodes byte for byte", () => {
  const file = path.join(projectRoot, "src/engine/runtime/runtime.wasm");
  assert.ok(existsSync(file), "runtime.wasm is committed");
  const bytes = new Uint8Array(readFileSync(file));
  const m = decodeModule(bytes);
  assert.ok(m.exports.some((e) => e.name === "eval"));
  assert.equal(Buffer.compare(Buffer.from(encodeModule(m)), Buffer.from(bytes)), 0);
});

test("decoding rejects garbage with a position", () => {
  assert.throws(() => decodeModule(new Uint8Array([1, 2, 3, 4, 1, 0, 0, 0])), /bad magic/);
  const truncated = fakeRuntime().slice(0, 20);
  assert.throws(() => decodeModule(truncated), /invalid wasm at byte/);
});

test.run();
