/**
 * Compiles one IR body (a plan or a planned function) into Wasm instructions. IR blocks become
 * `block`s; a statement that is undefined branches to the end of the innermost IR block. The block
 * of a ScanStmt is the body of a `loop`, so leaving it continues with the next element, as in OPA's
 * back end.
 */
import { Code } from "../binary/code.js";
import { FrameCode, REGISTERS } from "./frame.js";
import { ValType } from "../binary/module.js";
import type { Block, IrLocation, Local, Operand, Stmt } from "../../plan/ir.js";
import { WasmDiagnostics } from "../diagnostics.js";
import type { GenContext } from "./context.js";
import { intrinsic } from "./intrinsics.js";
import { parseSimpleFormat, sprintfPieceFunc, type FormatPiece } from "./sprintf.js";
import { regexMatchFunc } from "./regex.js";

const TYPE = { array: 5, object: 6, set: 7 } as const;

export const Messages = {
  varConflict: "var assignment conflict: complete rules must not produce multiple outputs",
  funcConflict: "var assignment conflict: functions must not produce multiple outputs for same inputs",
  objectConflict: "object insert conflict: object keys must be unique",
  badEntrypoint: "internal: illegal entrypoint id",
};

export class FuncGen {
  readonly code = new FrameCode();
  readonly locals: number[] = [];
  private readonly map = new Map<Local, number>();
  private labels = 0;
  /** Label ids of the open IR blocks (innermost last). */
  private readonly irBlocks: number[] = [];
  /** Open WithStmt blocks: their IR block's index in `irBlocks` and what to restore on leaving. */
  private readonly withFrames: { irIndex: number; local: number; save: number }[] = [];

  constructor(
    private readonly ctx: GenContext,
    private readonly nparams: number,
    /** Wasm local holding the eval context (plans only). */
    private readonly ctxLocal: number | undefined,
    private readonly conflictMessage: string,
  ) {}

  bindParam(ir: Local, wasm: number): void {
    this.map.set(ir, wasm);
  }

  local(ir: Local): number {
    let w = this.map.get(ir);
    if (w === undefined) {
      w = this.temp();
      this.map.set(ir, w);
    }
    return w;
  }

  temp(type: number = ValType.i32): number {
    if (this.nparams + this.locals.length >= REGISTERS && type === ValType.i32) {
      if (this.code.slots === 0) this.code.useFrame(this.declare(ValType.i32), this.declare(ValType.i32));
      return this.code.slot();
    }
    return this.declare(type);
  }

  private declare(type: number): number {
    this.locals.push(type);
    return this.nparams + this.locals.length - 1;
  }

  /** The instructions to link, with the frame prologue when locals were spilled (frame.ts). */
  finish(): Code {
    return this.code.withPrologue(this.ctx.rt("opa_malloc").index);
  }

  private open(kind: "block" | "loop" | "if", result?: number): number {
    if (kind === "block") this.code.block(result ?? "void");
    else if (kind === "loop") this.code.loop(result ?? "void");
    else this.code.if(result ?? "void");
    return ++this.labels;
  }

  private close(): void {
    this.code.end();
    this.labels--;
  }

  private depthTo(label: number): number {
    return this.labels - label;
  }

  private brUndefinedIf(): void {
    this.code.brIf(this.depthTo(this.irBlocks[this.irBlocks.length - 1]!));
  }

  private brUndefined(): void {
    this.code.br(this.depthTo(this.irBlocks[this.irBlocks.length - 1]!));
  }

  private call(name: string): void {
    this.code.call(this.ctx.rt(name).index);
  }

  fuelTick(): void {
    const c = this.code;
    c.globalGet(this.ctx.fuelGlobal).i32Const(0).i32LeS();
    this.open("if");
    this.call("policyc_fuel_exhausted");
    this.close();
    c.globalGet(this.ctx.fuelGlobal).i32Const(1).i32Sub().globalSet(this.ctx.fuelGlobal);
  }

  abort(text: string, loc?: IrLocation): void {
    this.code.i32Const(this.ctx.message(text, loc));
    this.call("opa_abort");
    this.code.unreachable();
  }

  read(op: Operand): void {
    switch (op.type) {
      case "local":
        this.code.localGet(this.local(op.value));
        return;
      case "bool":
        this.code.i32Const(this.ctx.boolConst(op.value)).call(this.ctx.constFunc);
        return;
      case "string_index":
        this.code.i32Const(this.ctx.stringValue(op.value));
        return;
      default:
        throw this.ctx.error(WasmDiagnostics.badOperand, [JSON.stringify(op)]);
    }
  }

  /**
   * A statement reading an undefined local (address 0) is undefined, as the IR's execution model
   * says; the check also keeps address 0 away from runtime functions that dereference values.
   */
  private requireDefined(...ops: Operand[]): void {
    for (const op of ops) {
      if (op.type !== "local") continue;
      this.code.localGet(this.local(op.value)).i32Eqz();
      this.brUndefinedIf();
    }
  }

  /** Compiles `block` as its own IR block (a Wasm `block`). */
  block(block: Block): void {
    const label = this.open("block");
    this.irBlocks.push(label);
    this.stmts(block.stmts);
    this.irBlocks.pop();
    this.close();
  }

  /** The top-level blocks of a plan or function, each its own IR block. */
  blocks(blocks: Block[]): void {
    for (const b of blocks) this.block(b);
  }

  private stmts(stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    const c = this.code;
    switch (s.type) {
      case "ReturnLocalStmt":
        if (this.withFrames.length > 0) this.leaveWith(this.withFrames.length);
        c.localGet(this.local(s.source)).return();
        return;
      case "CallStmt":
        this.callStmt(s.func, s.args, s.result);
        return;
      case "CallDynamicStmt":
        this.callDynamic(s.args, s.path, s.result);
        return;
      case "BlockStmt":
        for (const b of s.blocks) this.block(b);
        return;
      case "BreakStmt": {
        const targetIndex = this.irBlocks.length - 1 - s.index;
        const target = this.irBlocks[targetIndex];
        if (target === undefined) throw this.ctx.error(WasmDiagnostics.badBreak, [s.index]);
        // Leaving a WithStmt's block by more than its own end skips its restore code: restore here.
        this.leaveWith(this.withFrames.filter((f) => f.irIndex > targetIndex).length);
        c.br(this.depthTo(target));
        return;
      }
      case "DotStmt":
        this.requireDefined(s.key);
        this.read(s.source);
        this.read(s.key);
        this.call("opa_value_get");
        c.localTee(this.local(s.target)).i32Eqz();
        this.brUndefinedIf();
        return;
      case "LenStmt":
        this.requireDefined(s.source);
        this.read(s.source);
        this.call("opa_value_length");
        c.i64ExtendI32U();
        this.call("opa_number_int");
        c.localSet(this.local(s.target));
        return;
      case "ScanStmt":
        this.scan(s.source, s.key, s.value, s.block);
        return;
      case "NotStmt": {
        const cond = this.temp();
        c.i32Const(1).localSet(cond);
        const label = this.open("block");
        this.irBlocks.push(label);
        this.stmts(s.block.stmts);
        this.irBlocks.pop();
        c.i32Const(0).localSet(cond);
        this.close();
        c.localGet(cond).i32Eqz();
        this.brUndefinedIf();
        return;
      }
      case "AssignIntStmt":
      case "MakeNumberIntStmt":
        c.i64Const(BigInt(s.value));
        this.call("opa_number_int");
        c.localSet(this.local(s.target));
        return;
      case "AssignVarStmt":
        this.read(s.source);
        c.localSet(this.local(s.target));
        return;
      case "AssignVarOnceStmt": {
        this.requireDefined(s.source);
        const t = this.local(s.target);
        this.open("block");
        this.open("block");
        c.localGet(t).i32Eqz().brIf(0);
        c.localGet(t);
        this.read(s.source);
        this.call("opa_value_compare");
        c.i32Eqz().brIf(1);
        this.abort(this.conflictMessage, s.loc);
        this.close();
        this.read(s.source);
        c.localSet(t);
        this.close();
        return;
      }
      case "ResetLocalStmt":
        c.i32Const(0).localSet(this.local(s.target));
        return;
      case "MakeNullStmt":
        this.call("opa_null");
        c.localSet(this.local(s.target));
        return;
      case "MakeNumberRefStmt": {
        const [addr, len] = this.ctx.linker.string(this.ctx.string(s.index));
        c.i32Const(addr).i32Const(len);
        this.call("opa_number_ref");
        c.localSet(this.local(s.target));
        return;
      }
      case "MakeArrayStmt":
        c.i32Const(s.capacity);
        this.call("opa_array_with_cap");
        c.localSet(this.local(s.target));
        return;
      case "MakeObjectStmt":
        this.call("opa_object");
        c.localSet(this.local(s.target));
        return;
      case "MakeSetStmt":
        this.call("opa_set");
        c.localSet(this.local(s.target));
        return;
      case "EqualStmt":
      case "NotEqualStmt":
        this.requireDefined(s.a, s.b);
        this.read(s.a);
        this.read(s.b);
        this.call("opa_value_compare");
        if (s.type === "NotEqualStmt") c.i32Eqz();
        this.brUndefinedIf();
        return;
      case "IsArrayStmt":
        this.typeCheck(s.source, TYPE.array);
        return;
      case "IsObjectStmt":
        this.typeCheck(s.source, TYPE.object);
        return;
      case "IsSetStmt":
        this.typeCheck(s.source, TYPE.set);
        return;
      case "IsDefinedStmt":
        c.localGet(this.local(s.source)).i32Eqz();
        this.brUndefinedIf();
        return;
      case "IsUndefinedStmt":
        c.localGet(this.local(s.source));
        this.brUndefinedIf();
        return;
      case "ArrayAppendStmt":
        this.requireDefined(s.value);
        c.localGet(this.local(s.array));
        this.read(s.value);
        this.callVoid("opa_array_append");
        return;
      case "ObjectInsertStmt":
        this.requireDefined(s.key, s.value);
        c.localGet(this.local(s.object));
        this.read(s.key);
        this.read(s.value);
        this.callVoid("opa_object_insert");
        return;
      case "ObjectInsertOnceStmt":
        this.requireDefined(s.key, s.value);
        c.localGet(this.local(s.object));
        this.read(s.key);
        this.read(s.value);
        this.call("policyc_object_insert_once");
        this.open("if");
        this.abort(Messages.objectConflict, s.loc);
        this.close();
        return;
      case "ObjectMergeStmt":
        this.requireDefined({ type: "local", value: s.a }, { type: "local", value: s.b });
        c.localGet(this.local(s.a)).localGet(this.local(s.b));
        this.call("policyc_object_merge");
        c.localSet(this.local(s.target));
        return;
      case "SetAddStmt":
        this.requireDefined(s.value);
        c.localGet(this.local(s.set));
        this.read(s.value);
        this.callVoid("opa_set_add");
        return;
      case "WithStmt":
        this.withStmt(s.local, s.path, s.value, s.block);
        return;
      case "NopStmt":
        return;
      case "CoverStmt":
        // One byte per covered row, set to 1; the host reads them after evaluation.
        c.i32Const(this.ctx.coverageAddress(s.loc)).i32Const(1).i32Store8();
        return;
      case "ResultSetAddStmt":
        if (this.ctxLocal === undefined) throw this.ctx.error(WasmDiagnostics.unknownStmt, ["ResultSetAddStmt outside a plan"]);
        c.localGet(this.ctxLocal).i32Load(8);
        c.localGet(this.local(s.value));
        this.callVoid("opa_set_add");
        return;
      default:
        throw this.ctx.error(WasmDiagnostics.unknownStmt, [(s as { type: string }).type]);
    }
  }

  /** Undoes the innermost `count` WithStmts (for exits that jump past their restore code). */
  private leaveWith(count: number): void {
    const c = this.code;
    for (let i = 0; i < count; i++) {
      const f = this.withFrames[this.withFrames.length - 1 - i]!;
      c.localGet(f.save).localSet(f.local);
    }
  }

  private callVoid(name: string): void {
    this.call(name);
    if (this.ctx.returns(name)) this.code.drop();
  }

  private typeCheck(op: Operand, type: number): void {
    if (op.type !== "local") {
      // Constants are strings or booleans: never collections.
      this.brUndefined();
      return;
    }
    this.requireDefined(op);
    this.code.localGet(this.local(op.value));
    this.call("opa_value_type");
    this.code.i32Const(type).i32Ne();
    this.brUndefinedIf();
  }

  private scan(source: Local, key: Local, value: Local, block: Block): void {
    const c = this.code;
    const src = this.local(source);
    const k = this.local(key);
    // When the body never reads the key, an array is iterated by position: no number value is
    // made per element (a scan over a million-element array would otherwise allocate a million).
    const byIndex = !mentions(block, key) ? this.temp() : undefined;
    c.i32Const(0).localSet(k);
    const outer = this.open("block");
    // An undefined source (address 0) has nothing to iterate.
    c.localGet(src).i32Eqz().brIf(0);
    if (byIndex !== undefined) c.localGet(src).i32Load8U(0).i32Const(TYPE.array).i32Eq().if().i32Const(0).localSet(byIndex).else().i32Const(-1).localSet(byIndex).end();
    const loop = this.open("loop");
    this.fuelTick();
    if (byIndex !== undefined) {
      c.localGet(byIndex).i32Const(0).i32GeS().if();
      c.localGet(src).localGet(byIndex);
      this.call("policyc_array_at");
      c.localTee(this.local(value)).i32Eqz().brIf(this.depthTo(outer) + 1);
      c.localGet(byIndex).i32Const(1).i32Add().localSet(byIndex);
      c.else();
    }
    c.localGet(src).localGet(k);
    this.call("opa_value_iter");
    c.localTee(k).i32Eqz().brIf(this.depthTo(outer) + (byIndex !== undefined ? 1 : 0));
    c.localGet(src).localGet(k);
    this.call("opa_value_get");
    c.localSet(this.local(value));
    if (byIndex !== undefined) c.end();
    this.irBlocks.push(loop);
    this.stmts(block.stmts);
    this.irBlocks.pop();
    c.br(this.depthTo(loop));
    this.close();
    this.close();
  }

  private withStmt(target: Local, path: number[], value: Operand, block: Block): void {
    const c = this.code;
    const l = this.local(target);
    const save = this.temp();
    const undef = this.temp();
    c.localGet(l).localSet(save);
    if (path.length === 0) {
      this.read(value);
      c.localSet(l);
    } else {
      const p = this.temp();
      c.i32Const(path.length);
      this.call("opa_array_with_cap");
      c.localSet(p);
      for (const idx of path) {
        c.localGet(p);
        this.read({ type: "string_index", value: idx });
        this.callVoid("opa_array_append");
      }
      c.localGet(l).localGet(p);
      this.read(value);
      this.call("policyc_value_upsert_path");
      c.localSet(l);
    }
    c.i32Const(1).localSet(undef);
    const label = this.open("block");
    this.irBlocks.push(label);
    this.withFrames.push({ irIndex: this.irBlocks.length - 1, local: l, save });
    this.stmts(block.stmts);
    this.withFrames.pop();
    this.irBlocks.pop();
    c.i32Const(0).localSet(undef);
    this.close();
    c.localGet(save).localSet(l);
    c.localGet(undef);
    this.brUndefinedIf();
  }

  private callStmt(func: string, args: Operand[], result: Local): void {
    const c = this.code;
    const planned = this.ctx.funcs.get(func);
    if (planned) {
      if (planned.arity !== args.length) throw this.ctx.error(WasmDiagnostics.funcArity, [func, args.length, planned.arity]);
      // input (first) may be undefined and data never is; any other undefined argument makes the call undefined.
      this.requireDefined(...args.slice(2));
      for (const a of args) this.read(a);
      c.call(planned.entry.index).localTee(this.local(result)).i32Eqz();
      this.brUndefinedIf();
      return;
    }
    // An undefined argument (e.g. `input` when none was given) makes a built-in call undefined.
    this.requireDefined(...args);
    const native = this.ctx.natives.get(func);
    if (native && native.arity === args.length) {
      for (const a of args) this.read(a);
      this.call(native.export);
      c.localTee(this.local(result)).i32Eqz();
      this.brUndefinedIf();
      return;
    }
    const generated = intrinsic(this.ctx, func, args.length);
    if (generated) {
      for (const a of args) this.read(a);
      c.call(generated.index).localTee(this.local(result)).i32Eqz();
      this.brUndefinedIf();
      return;
    }
    if (args.length > 4) throw this.ctx.error(WasmDiagnostics.tooManyHostArgs, [func, args.length]);
    if (this.ctx.builtinDecls.get(func)?.void) {
      this.hostCall(func, args);
      c.drop();
      return;
    }
    const format = func === "sprintf" && args[0]?.type === "string_index" ? parseSimpleFormat(this.ctx.string(args[0].value)) : undefined;
    const regex = (func === "regex.match" || func === "re_match") && args.length === 2 && args[0]?.type === "string_index" ? regexMatchFunc(this.ctx, this.ctx.string(args[0].value)) : undefined;
    if (format && args[1]?.type === "local") this.sprintfFast(format, args, args[1].value);
    else if (regex) this.fastOrHost(regex.index, args[1]!, func, args);
    else this.hostCall(func, args);
    c.localTee(this.local(result)).i32Eqz();
    this.brUndefinedIf();
  }

  /** Calls host built-in `func` (tagged arguments); leaves the untagged result or 0 on the stack. */
  private hostCall(func: string, args: Operand[]): void {
    const c = this.code;
    c.i32Const(this.ctx.hostId(func)).i32Const(0);
    for (const a of args) {
      this.read(a);
      this.call("policyc_host_tag");
    }
    this.call(`opa_builtin${args.length}`);
    if (!this.ctx.builtinDecls.get(func)?.void) this.call("policyc_host_untag");
  }

  /** Calls generated `fast(arg)`; where it answers 0, the host built-in instead. Leaves the result. */
  private fastOrHost(fast: number, arg: Operand, func: string, args: Operand[]): void {
    const c = this.code;
    const out = this.temp();
    const done = this.open("block");
    this.read(arg);
    c.call(fast).localTee(out).brIf(this.depthTo(done));
    this.hostCall(func, args);
    c.localSet(out);
    this.close();
    c.localGet(out);
  }

  /** `sprintf` with a simple constant format, in Wasm when every argument allows it, else the host's. */
  private sprintfFast(format: FormatPiece[], args: Operand[], arrayLocal: Local): void {
    const c = this.code;
    const arr = this.local(arrayLocal);
    const out = this.temp();
    const parts = this.temp();
    const piece = this.temp();
    const verbs = format.filter((p) => "verb" in p).length;
    const pieceFunc = sprintfPieceFunc(this.ctx);
    const done = this.open("block");
    const slow = this.open("block");
    c.localGet(arr);
    this.call("opa_value_type");
    c.i32Const(TYPE.array).i32Ne().brIf(this.depthTo(slow));
    c.localGet(arr);
    this.call("opa_value_length");
    c.i32Const(verbs).i32Ne().brIf(this.depthTo(slow));
    c.i32Const(format.length);
    this.call("opa_array_with_cap");
    c.localSet(parts);
    let k = 0;
    for (const p of format) {
      if ("lit" in p) {
        const [addr, len] = this.ctx.linker.string(p.lit);
        c.localGet(parts).i32Const(addr).i32Const(len);
        this.call("opa_string");
      } else {
        c.localGet(arr).i64Const(k++);
        this.call("opa_number_int");
        this.call("opa_value_get");
        c.i32Const(p.verb === "s" ? 1 : 0).call(pieceFunc.index).localTee(piece).i32Eqz().brIf(this.depthTo(slow));
        c.localGet(parts).localGet(piece);
      }
      this.callVoid("opa_array_append");
    }
    const [empty] = this.ctx.linker.string("");
    c.i32Const(empty).i32Const(0);
    this.call("opa_string");
    c.localGet(parts);
    this.call("policyc_bi_concat");
    c.localSet(out).br(this.depthTo(done));
    this.close();
    this.hostCall("sprintf", args);
    c.localSet(out);
    this.close();
    c.localGet(out);
  }

  /**
   * `data.x[y](...)`: the path is compared against every planned function with a matching path at
   * run time; the first match is called directly. No match is undefined.
   */
  private callDynamic(args: Local[], path: Operand[], result: Local): void {
    const c = this.code;
    const candidates: { entry: number; rest: Operand[]; parts: string[] }[] = [];
    for (const f of this.ctx.funcs.values()) {
      if (f.arity !== args.length) continue;
      let parts: string[] | undefined;
      if (f.path.length === path.length) parts = f.path;
      else if (f.path.length === path.length + 1) parts = f.path.slice(1);
      if (!parts) continue;
      const p = parts;
      const matchesStatically = path.every((op, i) => op.type !== "string_index" || this.ctx.string(op.value) === p[i]);
      if (!matchesStatically) continue;
      candidates.push({ entry: f.entry.index, rest: path, parts: p });
    }
    const r = this.local(result);
    c.i32Const(0).localSet(r);
    const done = this.open("block");
    for (const cand of candidates) {
      const next = this.open("block");
      cand.rest.forEach((op, i) => {
        if (op.type !== "local") return;
        const [addr, len] = this.ctx.linker.string(cand.parts[i]!);
        c.localGet(this.local(op.value)).i32Const(addr).i32Const(len);
        this.call("opa_string");
        this.call("opa_value_compare");
        c.brIf(this.depthTo(next));
      });
      for (const a of args) c.localGet(this.local(a));
      c.call(cand.entry).localSet(r).br(this.depthTo(done));
      this.close();
    }
    this.close();
    c.localGet(r).i32Eqz();
    this.brUndefinedIf();
  }
}

/**
 * Whether any statement in `block` may refer to local `n`: any number equal to it outside locations
 * counts (operands, targets, constants alike), so the answer errs on the side of "yes".
 */
function mentions(block: Block, n: Local): boolean {
  const seen = (v: unknown): boolean => {
    if (v === n) return true;
    if (Array.isArray(v)) return v.some(seen);
    if (typeof v === "object" && v !== null) {
      for (const [key, x] of Object.entries(v)) if (key !== "loc" && seen(x)) return true;
    }
    return false;
  };
  return seen(block);
}
