/**
 * An encoder for the instructions the code generator emits, plus `functionBody`, which adds the
 * local declarations and the final `end` to make a code-section entry.
 */
import { ByteWriter } from "./leb.js";
import type { ValType } from "./module.js";

/** Block type: empty (0x40) or a single value type. */
export type BlockType = ValType | "void";

export class Code {
  readonly w = new ByteWriter();

  op(byte: number): this {
    this.w.byte(byte);
    return this;
  }

  private blockType(t: BlockType): void {
    this.w.byte(t === "void" ? 0x40 : t);
  }

  unreachable(): this { return this.op(0x00); }
  nop(): this { return this.op(0x01); }
  block(t: BlockType = "void"): this { this.op(0x02).blockType(t); return this; }
  loop(t: BlockType = "void"): this { this.op(0x03).blockType(t); return this; }
  if(t: BlockType = "void"): this { this.op(0x04).blockType(t); return this; }
  else(): this { return this.op(0x05); }
  end(): this { return this.op(0x0b); }
  br(depth: number): this { this.op(0x0c).w.u32(depth); return this; }
  brIf(depth: number): this { this.op(0x0d).w.u32(depth); return this; }
  brTable(depths: number[], fallback: number): this {
    this.op(0x0e).w.u32(depths.length);
    for (const d of depths) this.w.u32(d);
    this.w.u32(fallback);
    return this;
  }
  return(): this { return this.op(0x0f); }
  call(func: number): this { this.op(0x10).w.u32(func); return this; }
  callIndirect(type: number, table = 0): this { this.op(0x11).w.u32(type).u32(table); return this; }
  drop(): this { return this.op(0x1a); }
  select(): this { return this.op(0x1b); }

  localGet(i: number): this { this.op(0x20).w.u32(i); return this; }
  localSet(i: number): this { this.op(0x21).w.u32(i); return this; }
  localTee(i: number): this { this.op(0x22).w.u32(i); return this; }
  globalGet(i: number): this { this.op(0x23).w.u32(i); return this; }
  globalSet(i: number): this { this.op(0x24).w.u32(i); return this; }

  i32Load(offset = 0, align = 2): this { this.op(0x28).w.u32(align).u32(offset); return this; }
  i64Load(offset = 0, align = 3): this { this.op(0x29).w.u32(align).u32(offset); return this; }
  i32Load8U(offset = 0): this { this.op(0x2d).w.u32(0).u32(offset); return this; }
  i32Store(offset = 0, align = 2): this { this.op(0x36).w.u32(align).u32(offset); return this; }
  i64Store(offset = 0, align = 3): this { this.op(0x37).w.u32(align).u32(offset); return this; }
  i32Store8(offset = 0): this { this.op(0x3a).w.u32(0).u32(offset); return this; }
  memorySize(): this { this.op(0x3f).w.byte(0); return this; }
  memoryGrow(): this { this.op(0x40).w.byte(0); return this; }
  /** memory.fill (bulk memory): [dest, value, length] on the stack. */
  memoryFill(): this { this.op(0xfc).w.u32(11).byte(0); return this; }

  i32Const(v: number): this { this.op(0x41).w.s32(v); return this; }
  i64Const(v: bigint | number): this { this.op(0x42).w.s64(v); return this; }
  f64Const(v: number): this { this.op(0x44).w.f64(v); return this; }

  i32Eqz(): this { return this.op(0x45); }
  i32Eq(): this { return this.op(0x46); }
  i32Ne(): this { return this.op(0x47); }
  i32LtS(): this { return this.op(0x48); }
  i32LtU(): this { return this.op(0x49); }
  i32GtS(): this { return this.op(0x4a); }
  i32GtU(): this { return this.op(0x4b); }
  i32LeS(): this { return this.op(0x4c); }
  i32GeS(): this { return this.op(0x4e); }
  i32Add(): this { return this.op(0x6a); }
  i32Sub(): this { return this.op(0x6b); }
  i32Mul(): this { return this.op(0x6c); }
  i32And(): this { return this.op(0x71); }
  i32Or(): this { return this.op(0x72); }
  i32Shl(): this { return this.op(0x74); }
  i64ExtendI32S(): this { return this.op(0xac); }
  i64ExtendI32U(): this { return this.op(0xad); }

  /** Appends another encoder's instructions. */
  append(other: Code): this {
    this.w.bytes(other.w.finish());
    return this;
  }

  get size(): number {
    return this.w.length;
  }

  bytes(): Uint8Array {
    return this.w.finish();
  }
}

/** A code-section entry: run-length encoded local declarations, the instructions, `end`. */
export function functionBody(locals: readonly ValType[], code: Code): Uint8Array {
  const runs: [number, ValType][] = [];
  for (const t of locals) {
    const last = runs[runs.length - 1];
    if (last && last[1] === t) last[0]++;
    else runs.push([1, t]);
  }
  const w = new ByteWriter().u32(runs.length);
  for (const [n, t] of runs) w.u32(n).byte(t);
  w.bytes(code.bytes()).byte(0x0b);
  return w.finish();
}
