/**
 * IR → Wasm module: links the runtime with one function per plan and per planned function, the
 * constant helper, and new bodies for the runtime's `eval`, `entrypoints` and `builtins` stubs.
 *
 * Per-evaluation state uses an epoch counter (bumped by `eval`) instead of clearing tables: the
 * constant cache and the memo slots of input/data-only functions are valid only when their stored
 * epoch equals the current one, because the SDK resets the heap between evaluations.
 */
import { Code } from "../binary/code.js";
import { ValType } from "../binary/module.js";
import type { Func, Policy } from "../../plan/ir.js";
import { loadNatives, loadRuntimeWasm, type NativeBuiltin } from "../assets.js";
import { DiagnosticError, diag } from "../../../diagnostics/index.js";
import { WasmDiagnostics } from "../diagnostics.js";
import { Linker, type DeclaredFunc } from "../link.js";
import { GenContext } from "./context.js";
import { FuncGen, Messages } from "./function.js";
import { reserveCoverageTable } from "./coverage.js";

const i32 = ValType.i32;

export interface GenerateOptions {
  /** runtime.wasm bytes; defaults to the committed src/engine/runtime/runtime.wasm. */
  runtime?: Uint8Array;
  natives?: Map<string, NativeBuiltin>;
}

export function generateModule(policy: Policy, options: GenerateOptions = {}): Uint8Array {
  let linker: Linker;
  try {
    linker = new Linker(options.runtime ?? loadRuntimeWasm());
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    throw new DiagnosticError([diag(WasmDiagnostics.runtimeContract, [(e as Error).message])]);
  }
  const ctx = new GenContext(linker, policy, options.natives ?? loadNatives());
  try {
    return build(ctx, policy);
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    // The runtime linked above; a throw while generating code is a defect of the generator.
    throw new DiagnosticError([diag(WasmDiagnostics.codegenDefect, [e instanceof Error ? `${e.name}: ${e.message}` : String(e)])]);
  }
}

function build(ctx: GenContext, policy: Policy): Uint8Array {
  const linker = ctx.linker;
  ctx.epochGlobal = linker.addGlobal(i32, true, 0);
  ctx.fuelGlobal = linker.global("policyc_fuel");
  reserveCoverageTable(ctx, policy);

  // Host fallbacks of natives are always listed so that the runtime can find their ids.
  for (const n of ctx.natives.values()) if (n.host) ctx.hostId(n.host);
  // The runtime's budget tick (policyc_set_tick), answered by policyc's loader.
  ctx.hostId("tick");

  const constHelper = linker.declare("policyc$const", { params: [i32], results: [i32] });
  ctx.constFunc = constHelper.index;

  // Declare everything first so that calls can refer to any function.
  const funcBodies: { func: Func; impl: DeclaredFunc; memo?: DeclaredFunc }[] = [];
  for (const f of policy.funcs.funcs) {
    if (ctx.funcs.has(f.name)) throw ctx.error(WasmDiagnostics.duplicateFunc, [f.name]);
    const type = { params: f.params.map(() => i32), results: [i32] };
    const memoizable = f.params.length === 2;
    const impl = linker.declare(memoizable ? `${f.name}#impl` : f.name, type);
    const memo = memoizable ? linker.declare(f.name, type) : undefined;
    ctx.funcs.set(f.name, { entry: memo ?? impl, arity: f.params.length, path: f.path });
    funcBodies.push({ func: f, impl, memo });
  }
  const plans = policy.plans.plans.map((p) => ({ plan: p, decl: linker.declare(`plan:${p.name}`, { params: [i32], results: [] }) }));

  for (const { func, impl, memo } of funcBodies) {
    const conflict = func.params.length > 2 ? Messages.funcConflict : Messages.varConflict;
    const g = new FuncGen(ctx, func.params.length, undefined, conflict);
    func.params.forEach((p, i) => g.bindParam(p, i));
    g.fuelTick();
    g.blocks(func.blocks);
    g.code.localGet(g.local(func.return));
    linker.define(impl, g.locals, g.finish());
    if (memo) linker.define(memo, [i32], memoWrapper(ctx, impl.index));
  }

  for (const { plan, decl } of plans) {
    const g = new FuncGen(ctx, 1, 0, Messages.varConflict);
    g.code.localGet(0).i32Load(0).localSet(g.local(0));
    g.code.localGet(0).i32Load(4).localSet(g.local(1));
    g.fuelTick();
    g.blocks(plan.blocks);
    linker.define(decl, g.locals, g.finish());
  }

  linker.define(constHelper, [i32, i32, i32], constBody(ctx));
  replaceEval(ctx, plans.map((p) => p.decl.index));
  replaceNameTable(ctx, "entrypoints", plans.map((p) => p.plan.name));
  replaceNameTable(ctx, "builtins", ctx.hostNames);
  linker.setConstGlobal("opa_wasm_abi_version", 1);
  if (!linker.hasExport("opa_wasm_abi_minor_version")) linker.setConstGlobal("opa_wasm_abi_minor_version", 2);
  return linker.finish();
}

/**
 * `f(input, data)`: returns the value computed earlier in this evaluation for the same input and
 * data documents. Documents are compared by address: a `with` block works on a fresh copy, and
 * nothing is freed during an evaluation, so an address names one document for the evaluation
 * (rules stay memoized inside `with`, as OPA's topdown keeps a rule cache per `with`).
 */
function memoWrapper(ctx: GenContext, impl: number): Code {
  const state = ctx.linker.addGlobal(i32, true, 0);
  const input = ctx.linker.addGlobal(i32, true, 0);
  const data = ctx.linker.addGlobal(i32, true, 0);
  const value = ctx.linker.addGlobal(i32, true, 0);
  const c = new Code();
  c.globalGet(state).globalGet(ctx.epochGlobal).i32Eq();
  c.globalGet(input).localGet(0).i32Eq().i32And();
  c.globalGet(data).localGet(1).i32Eq().i32And();
  c.if().globalGet(value).return().end();
  c.localGet(0).localGet(1).call(impl).localSet(2);
  c.globalGet(ctx.epochGlobal).globalSet(state).localGet(0).globalSet(input).localGet(1).globalSet(data).localGet(2).globalSet(value);
  c.localGet(2);
  return c;
}

/**
 * `policyc$const(i)`: string constant i (or false/true after the strings) as a value, created once
 * per evaluation. Table entry i = (address, length); cache entry i = (epoch, value).
 */
function constBody(ctx: GenContext): Code {
  const linker = ctx.linker;
  const strings = ctx.policy.static.strings;
  const table = new Uint8Array(strings.length * 8);
  const view = new DataView(table.buffer);
  strings.forEach((s, i) => {
    const [addr, len] = linker.string(s.value);
    view.setInt32(i * 8, addr, true);
    view.setInt32(i * 8 + 4, len, true);
  });
  const tableAddr = linker.addData(table, 8);
  const cacheAddr = linker.reserve((strings.length + 2) * 8, 8);
  const n = strings.length;
  const [I, P, V] = [0, 1, 2];
  const c = new Code();
  c.localGet(I).i32Const(3).i32Shl().i32Const(cacheAddr).i32Add().localTee(P);
  c.i32Load(0).globalGet(ctx.epochGlobal).i32Eq().if().localGet(P).i32Load(4).return().end();
  c.localGet(I).i32Const(n).i32GeS().if(i32);
  c.localGet(I).i32Const(n).i32Sub().call(ctx.rt("opa_boolean").index);
  c.else();
  c.localGet(I).i32Const(3).i32Shl().i32Const(tableAddr).i32Add().localTee(V).i32Load(0);
  c.localGet(V).i32Load(4).call(ctx.rt("opa_string").index);
  c.end();
  c.localSet(V);
  c.localGet(P).localGet(V).i32Store(4);
  c.localGet(P).globalGet(ctx.epochGlobal).i32Store(0);
  c.localGet(V);
  return c;
}

function replaceEval(ctx: GenContext, plans: number[]): void {
  const evalType = ctx.rt("eval").type;
  const c = new Code();
  c.globalGet(ctx.epochGlobal).i32Const(1).i32Add().globalSet(ctx.epochGlobal);
  c.localGet(0).call(ctx.rt("opa_set").index).i32Store(8);
  plans.forEach((p, i) => {
    c.localGet(0).i32Load(12).i32Const(i).i32Eq().if();
    c.localGet(0).call(p);
    if (evalType.results.length > 0) c.i32Const(0);
    c.return().end();
  });
  c.i32Const(ctx.message(Messages.badEntrypoint)).call(ctx.rt("opa_abort").index).unreachable();
  ctx.linker.replace("eval", [], c);
}

/** `entrypoints()` / `builtins()`: an object mapping each name to its index. */
function replaceNameTable(ctx: GenContext, stub: string, names: string[]): void {
  const c = new Code();
  c.call(ctx.rt("opa_object").index).localSet(0);
  const insertReturns = ctx.returns("opa_object_insert");
  names.forEach((name, id) => {
    const [addr, len] = ctx.linker.string(name);
    c.localGet(0).i32Const(addr).i32Const(len).call(ctx.rt("opa_string").index);
    c.i64Const(id).call(ctx.rt("opa_number_int").index);
    c.call(ctx.rt("opa_object_insert").index);
    if (insertReturns) c.drop();
  });
  c.localGet(0);
  ctx.linker.replace(stub, [i32], c);
}
