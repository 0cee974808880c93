/**
 * Decodes a Wasm binary into a `WasmModule`. Function bodies, constant expressions and element
 * segments are kept as raw bytes; unknown custom sections are kept verbatim.
 */
import { ByteReader } from "./leb.js";
import type { CustomSection, DataSegment, FuncType, Global, Import, Limits, WasmModule } from "./module.js";

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

export function decodeModule(bytes: Uint8Array): WasmModule {
  const r = new ByteReader(bytes);
  const head = r.bytes(8);
  if (!MAGIC.every((b, i) => head[i] === b)) r.fail("not a wasm module (bad magic)");
  if (head[4] !== 1 || head[5] !== 0 || head[6] !== 0 || head[7] !== 0) r.fail("unsupported wasm version");
  const m: WasmModule = {
    types: [],
    imports: [],
    functions: [],
    tables: [],
    memories: [],
    globals: [],
    exports: [],
    elements: [],
    codes: [],
    data: [],
    customs: [],
  };
  let last = 0;
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    const end = r.pos + size;
    if (end > bytes.length) r.fail(`section ${id} runs past the end`);
    const s = new ByteReader(bytes, r.pos, end);
    switch (id) {
      case 0:
        readCustom(s, m, last);
        break;
      case 1:
        vec(s, () => m.types.push(readFuncType(s)));
        break;
      case 2:
        vec(s, () => m.imports.push(readImport(s)));
        break;
      case 3:
        vec(s, () => m.functions.push(s.u32()));
        break;
      case 4:
        vec(s, () => m.tables.push({ elemType: s.byte(), limits: readLimits(s) }));
        break;
      case 5:
        vec(s, () => m.memories.push(readLimits(s)));
        break;
      case 6:
        vec(s, () => m.globals.push(readGlobal(s)));
        break;
      case 7:
        vec(s, () => m.exports.push({ name: s.name(), kind: s.byte(), index: s.u32() }));
        break;
      case 8:
        m.start = s.u32();
        break;
      case 9:
        vec(s, () => m.elements.push(readElementRaw(s)));
        break;
      case 10:
        vec(s, () => m.codes.push(s.bytes(s.u32()).slice()));
        break;
      case 11:
        vec(s, () => m.data.push(readData(s)));
        break;
      case 12:
        m.dataCount = s.u32();
        break;
      default:
        r.fail(`unknown section id ${id}`);
    }
    if (s.pos !== end) s.fail(`section ${id} has ${end - s.pos} trailing bytes`);
    if (id !== 0) last = id;
    r.pos = end;
  }
  if (m.codes.length !== m.functions.length) r.fail("function and code section counts differ");
  return m;
}

function vec(r: ByteReader, each: () => void): void {
  const n = r.u32();
  for (let i = 0; i < n; i++) each();
}

function readFuncType(r: ByteReader): FuncType {
  if (r.byte() !== 0x60) r.fail("expected a function type");
  const params: number[] = [];
  vec(r, () => params.push(r.byte()));
  const results: number[] = [];
  vec(r, () => results.push(r.byte()));
  return { params, results };
}

function readLimits(r: ByteReader): Limits {
  const flags = r.byte();
  const min = r.u32();
  return flags & 1 ? { flags, min, max: r.u32() } : { flags, min };
}

function readImport(r: ByteReader): Import {
  const module = r.name();
  const name = r.name();
  const kind = r.byte();
  switch (kind) {
    case 0:
      return { module, name, desc: { kind, type: r.u32() } };
    case 1:
      return { module, name, desc: { kind, elemType: r.byte(), limits: readLimits(r) } };
    case 2:
      return { module, name, desc: { kind, limits: readLimits(r) } };
    case 3:
      return { module, name, desc: { kind, global: { type: r.byte(), mutable: r.byte() === 1 } } };
    default:
      return r.fail(`unknown import kind ${kind}`);
  }
}

/** Skips a constant expression and returns its bytes including the final `end`. */
export function readConstExpr(r: ByteReader): Uint8Array {
  const start = r.pos;
  for (;;) {
    const op = r.byte();
    switch (op) {
      case 0x0b:
        return r.data.slice(start, r.pos);
      case 0x41:
        r.s32();
        break;
      case 0x42:
        r.s64();
        break;
      case 0x43:
        r.bytes(4);
        break;
      case 0x44:
        r.bytes(8);
        break;
      case 0x23: // global.get
      case 0xd2: // ref.func
        r.u32();
        break;
      case 0xd0: // ref.null t
        r.byte();
        break;
      case 0x6a: // extended-const i32.add/sub/mul, i64.add/sub/mul
      case 0x6b:
      case 0x6c:
      case 0x7c:
      case 0x7d:
      case 0x7e:
        break;
      default:
        r.fail(`unsupported opcode 0x${op.toString(16)} in constant expression`);
    }
  }
}

function readGlobal(r: ByteReader): Global {
  const type = r.byte();
  const mutable = r.byte() === 1;
  return { type: { type, mutable }, init: readConstExpr(r) };
}

function readElementRaw(r: ByteReader): Uint8Array {
  const start = r.pos;
  const flags = r.u32();
  if (flags > 7) r.fail(`unknown element segment flags ${flags}`);
  const active = (flags & 1) === 0;
  const explicitTable = (flags & 2) !== 0;
  const usesExprs = (flags & 4) !== 0;
  if (active && explicitTable) r.u32();
  if (active) readConstExpr(r);
  if (!active || explicitTable) r.byte(); // elemkind or reftype
  if (usesExprs) vec(r, () => readConstExpr(r));
  else vec(r, () => r.u32());
  return r.data.slice(start, r.pos);
}

function readData(r: ByteReader): DataSegment {
  const flags = r.u32();
  switch (flags) {
    case 0: {
      const offset = readConstExpr(r);
      return { flags, offset, bytes: r.bytes(r.u32()).slice() };
    }
    case 1:
      return { flags, bytes: r.bytes(r.u32()).slice() };
    case 2: {
      const memory = r.u32();
      const offset = readConstExpr(r);
      return { flags, memory, offset, bytes: r.bytes(r.u32()).slice() };
    }
    default:
      return r.fail(`unknown data segment flags ${flags}`);
  }
}

function readCustom(r: ByteReader, m: WasmModule, after: number): void {
  const name = r.name();
  if (name === "name" && !m.names) {
    const save = r.pos;
    try {
      const functions = new Map<number, string>();
      const others: { id: number; payload: Uint8Array }[] = [];
      while (!r.done) {
        const id = r.byte();
        const size = r.u32();
        const end = r.pos + size;
        if (id === 1) {
          const sub = new ByteReader(r.data, r.pos, end);
          vec(sub, () => {
            const idx = sub.u32();
            functions.set(idx, sub.name());
          });
        } else {
          others.push({ id, payload: r.data.slice(r.pos, end) });
        }
        r.pos = end;
      }
      m.names = { functions, others };
      m.customs.push({ name, payload: new Uint8Array(0), after, isNames: true });
      return;
    } catch {
      // A malformed name section is kept as an opaque custom section.
      r.pos = save;
    }
  }
  const c: CustomSection = { name, payload: r.data.slice(r.pos, r.end), after };
  r.pos = r.end;
  m.customs.push(c);
}
