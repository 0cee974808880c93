/**
 * The module linker: opens the prebuilt runtime (runtime.wasm), lets the code generator look up the
 * runtime's exports, declare new functions, globals and static data, replace the bodies of the
 * runtime's `eval`/`builtins`/`entrypoints` stubs, and writes the finished module. Existing function
 * indices never move (no imports are added, new functions go after the runtime's), so raw runtime
 * bodies stay valid without relocation.
 */
import { Code, functionBody } from "./binary/code.js";
import { decodeModule } from "./binary/decode.js";
import { encodeModule } from "./binary/encode.js";
import { ByteReader, ByteWriter } from "./binary/leb.js";
import {
  ExternKind,
  funcTypeOf,
  importedFuncCount,
  importedGlobalCount,
  internType,
  type FuncType,
  type ValType,
  type WasmModule,
} from "./binary/module.js";

const PAGE = 65536;

export interface DeclaredFunc {
  index: number;
  name: string;
  type: FuncType;
}

export class Linker {
  readonly module: WasmModule;
  /** Address where appended static data starts (the runtime's original heap base). */
  readonly dataBase: number;
  private readonly data = new ByteWriter();
  private readonly firstNew: number;
  private readonly pending = new Map<number, DeclaredFunc>();
  private readonly bodies = new Map<number, Uint8Array>();
  private readonly heapBaseGlobal: number;
  private readonly strings = new Map<string, number>();

  constructor(runtime: Uint8Array | WasmModule) {
    this.module = runtime instanceof Uint8Array ? decodeModule(runtime) : structuredClone(runtime);
    this.firstNew = importedFuncCount(this.module) + this.module.functions.length;
    this.heapBaseGlobal = this.exportIndex("policyc_heap_base", ExternKind.global);
    this.dataBase = this.globalI32Init(this.heapBaseGlobal);
  }

  private exportIndex(name: string, kind: number): number {
    const e = this.module.exports.find((x) => x.name === name && x.kind === kind);
    if (!e) throw new Error(`runtime does not export ${kind === ExternKind.func ? "function" : "global"} ${name}`);
    return e.index;
  }

  hasExport(name: string): boolean {
    return this.module.exports.some((x) => x.name === name);
  }

  /** Function index and type of a runtime export. */
  func(name: string): DeclaredFunc {
    const index = this.exportIndex(name, ExternKind.func);
    return { index, name, type: funcTypeOf(this.module, index) };
  }

  /** Function index of an import `env.<name>`. */
  importedFunc(name: string): DeclaredFunc {
    let idx = 0;
    for (const imp of this.module.imports) {
      if (imp.desc.kind !== 0) continue;
      if (imp.module === "env" && imp.name === name) return { index: idx, name, type: this.module.types[imp.desc.type]! };
      idx++;
    }
    throw new Error(`runtime does not import env.${name}`);
  }

  global(name: string): number {
    return this.exportIndex(name, ExternKind.global);
  }

  private globalI32Init(index: number): number {
    const local = index - importedGlobalCount(this.module);
    const g = this.module.globals[local];
    if (!g || g.init[0] !== 0x41) throw new Error(`global ${index} is not an i32.const-initialised global`);
    return new ByteReader(g.init, 1).s32();
  }

  /** Reserves a new function; its body is given later with `define`. */
  declare(name: string, type: FuncType): DeclaredFunc {
    const index = this.firstNew + this.pending.size;
    const f = { index, name, type };
    this.pending.set(index, f);
    return f;
  }

  define(f: DeclaredFunc, locals: readonly ValType[], code: Code): void {
    if (!this.pending.has(f.index)) throw new Error(`function ${f.name} was not declared`);
    this.bodies.set(f.index, functionBody(locals, code));
  }

  /** Replaces the body of a runtime function (the stubs), keeping its index and type. */
  replace(name: string, locals: readonly ValType[], code: Code): DeclaredFunc {
    const f = this.func(name);
    const local = f.index - importedFuncCount(this.module);
    if (local < 0) throw new Error(`${name} is imported and cannot be replaced`);
    this.module.codes[local] = functionBody(locals, code);
    return f;
  }

  /** Appends a mutable or immutable global; returns its index. */
  addGlobal(type: ValType, mutable: boolean, init: number, exportName?: string): number {
    const expr = new ByteWriter();
    if (type === 0x7e) expr.byte(0x42).s64(init);
    else expr.byte(0x41).s32(init);
    expr.byte(0x0b);
    this.module.globals.push({ type: { type, mutable }, init: expr.finish() });
    const index = importedGlobalCount(this.module) + this.module.globals.length - 1;
    if (exportName) this.setExport(exportName, ExternKind.global, index);
    return index;
  }

  /** Appends static bytes to the data placed at the heap base; returns their address. */
  addData(bytes: Uint8Array, align = 1): number {
    while ((this.dataBase + this.data.length) % align !== 0) this.data.byte(0);
    const addr = this.dataBase + this.data.length;
    this.data.bytes(bytes);
    return addr;
  }

  /** Reserves zeroed bytes (evaluation-time tables); returns their address. */
  reserve(size: number, align = 4): number {
    return this.addData(new Uint8Array(size), align);
  }

  /** Interns a UTF-8 string in the data area; returns [address, byte length]. */
  string(s: string, nulTerminated = false): [number, number] {
    const key = (nulTerminated ? "z" : "s") + s;
    const bytes = new TextEncoder().encode(s);
    let addr = this.strings.get(key);
    if (addr === undefined) {
      addr = this.addData(nulTerminated ? concat(bytes, new Uint8Array([0])) : bytes);
      this.strings.set(key, addr);
    }
    return [addr, bytes.length];
  }

  setExport(name: string, kind: number, index: number): void {
    const e = this.module.exports.find((x) => x.name === name);
    if (e) {
      e.kind = kind;
      e.index = index;
    } else this.module.exports.push({ name, kind, index });
  }

  /** Adds a custom section after the data section (tools' metadata; engines ignore it). */
  addCustomSection(name: string, payload: Uint8Array): void {
    this.module.customs.push({ name, payload, after: 11 });
  }

  /** Sets (or adds) an immutable exported i32 global such as `opa_wasm_abi_minor_version`. */
  setConstGlobal(name: string, value: number): void {
    const e = this.module.exports.find((x) => x.name === name && x.kind === ExternKind.global);
    const local = e ? e.index - importedGlobalCount(this.module) : -1;
    if (e && local >= 0) {
      this.module.globals[local]!.init = new ByteWriter().byte(0x41).s32(value).byte(0x0b).finish();
    } else this.addGlobal(0x7f, false, value, name);
  }

  /** Writes the module: appended functions, data at the heap base, patched heap base and memory minimum. */
  finish(): Uint8Array {
    const m = this.module;
    const ordered = [...this.pending.values()].sort((a, b) => a.index - b.index);
    for (const f of ordered) {
      const body = this.bodies.get(f.index);
      if (!body) throw new Error(`function ${f.name} was declared but never defined`);
      m.functions.push(internType(m, f.type));
      m.codes.push(body);
      if (m.names) m.names.functions.set(f.index, f.name);
    }
    this.pending.clear();
    const bytes = this.data.finish();
    if (bytes.length > 0) {
      m.data.push({ flags: 0, offset: new ByteWriter().byte(0x41).s32(this.dataBase).byte(0x0b).finish(), bytes });
      if (m.dataCount !== undefined) m.dataCount = m.data.length;
    }
    const heapBase = align16(this.dataBase + bytes.length);
    const g = m.globals[this.heapBaseGlobal - importedGlobalCount(m)]!;
    g.init = new ByteWriter().byte(0x41).s32(heapBase).byte(0x0b).finish();
    const mem = m.imports.find((i) => i.desc.kind === 2);
    if (mem && mem.desc.kind === 2) {
      const pages = Math.ceil(heapBase / PAGE);
      if (mem.desc.limits.min < pages) mem.desc.limits.min = pages;
    }
    return encodeModule(m);
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Minimum memory pages a linked module needs (its memory import's minimum). */
export function requiredPages(wasm: Uint8Array): number {
  const m = decodeModule(wasm);
  const mem = m.imports.find((i) => i.desc.kind === 2);
  return mem && mem.desc.kind === 2 ? mem.desc.limits.min : 0;
}
