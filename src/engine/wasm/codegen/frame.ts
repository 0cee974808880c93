/**
 * Locals past what a Wasm function may declare. V8 rejects a function with more than 50,000
 * locals ("local count too large"), and the planner gives every IR value its own local, so a rule
 * with 100,000 set elements or an array literal of 100,000 items needs more; and V8 compiles a
 * function in time proportional to its locals times its blocks (100,000 values: 17 s with 40,000
 * locals, 1 s with 1,000). `FrameCode` keeps the first `REGISTERS` locals as Wasm locals and places
 * the rest in a frame in linear memory, allocated and zeroed (locals start as 0 = undefined) by a
 * prologue on entry; `local.get/set/tee` of a frame slot become loads and stores through one
 * frame-pointer local. Functions within the limit are encoded exactly as before.
 */
import { Code } from "../binary/code.js";

/** Wasm locals (parameters included) a function keeps before it spills to its frame. */
export const REGISTERS = 1_000;
/** Local indices at and above this are frame slots (slot = index - FRAME_SLOT). */
const FRAME_SLOT = 0x4000_0000;

export class FrameCode extends Code {
  /** Wasm local holding the frame's address, and a scratch for stores (set once spilling starts). */
  private fp = -1;
  private scratch = -1;
  slots = 0;

  /** Starts spilling: `fp` and `scratch` are ordinary i32 locals the caller declared. */
  useFrame(fp: number, scratch: number): void {
    this.fp = fp;
    this.scratch = scratch;
  }

  /** A new frame slot's local index. */
  slot(): number {
    return FRAME_SLOT + this.slots++;
  }

  override localGet(i: number): this {
    if (i < FRAME_SLOT) return super.localGet(i);
    super.localGet(this.fp);
    return this.i32Load((i - FRAME_SLOT) * 4);
  }

  override localSet(i: number): this {
    if (i < FRAME_SLOT) return super.localSet(i);
    super.localSet(this.scratch);
    super.localGet(this.fp);
    super.localGet(this.scratch);
    return this.i32Store((i - FRAME_SLOT) * 4);
  }

  override localTee(i: number): this {
    if (i < FRAME_SLOT) return super.localTee(i);
    this.localSet(i);
    return super.localGet(this.scratch);
  }

  /**
   * The function's instructions, after the frame prologue when it has slots. `malloc` is the
   * runtime's `opa_malloc` (the bump heap, reset per evaluation; exhausting it is the memory limit).
   */
  withPrologue(malloc: number): Code {
    if (this.slots === 0) return this;
    const bytes = this.slots * 4;
    const p = new Code();
    p.i32Const(bytes).call(malloc).localTee(this.fp);
    p.i32Const(0).i32Const(bytes).memoryFill();
    return p.append(this);
  }
}
