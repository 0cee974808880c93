/**
 * The planner's plumbing: the per-function planning state (current block, var bindings, locals,
 * the active `with` mocks), statement emission and nested blocks, plus pure helpers over terms.
 * `Planner` (planner.ts) builds on it.
 */
import type { Expr, Location, Term } from "../rego/ast.js";
import type { Block, Func, IrLocation, Local, Operand, Stmt } from "./ir.js";
import { DiagnosticError, diag } from "../../diagnostics/index.js";
import type { CompiledPolicy } from "../compiler/index.js";
import { PlanMessages } from "./diagnostics.js";
import { Statics } from "./statics.js";

export type K = () => void;
export type KOp = (op: Operand) => void;

/** What a `with` replaces: a rule path or a function name, by a value or another function. */
export interface Mock {
  value: Term;
  /** Set when the replacement is a function (built-in name or `data` ref to a function). */
  fn?: string;
  /**
   * Set when the value reads locals of the function holding the `with`: it is evaluated there and
   * passed to every function planned under the mock as an extra parameter (slot N).
   */
  slot?: number;
  /** The target is a function or built-in (not a document). */
  onFunction?: boolean;
}

export interface MockCtx {
  id: number;
  key: string;
  mocks: Map<string, Mock>;
}

export interface State {
  curr: Stmt[];
  vars: Map<string, Local>;
  nextLocal: number;
  input: Local;
  data: Local;
  mock: MockCtx;
  /** Locals holding the evaluated mock values, by slot. */
  mockLocals: Local[];
}

/** Built-ins that are relations in OPA: called with an output argument they enumerate solutions. */
export const RELATIONS = new Set(["walk"]);

export const TRUE: Operand = { type: "bool", value: true };
export const FALSE: Operand = { type: "bool", value: false };
export const loc = (l: Local): Operand => ({ type: "local", value: l });

export abstract class PlannerCore {
  protected statics = new Statics();
  protected funcs = new Map<string, Func>();
  protected funcOrder: string[] = [];
  protected mockCtxs = new Map<string, MockCtx>();
  protected st: State;

  constructor(protected compiled: CompiledPolicy) {
    const root: MockCtx = { id: 0, key: "|0", mocks: new Map() };
    this.mockCtxs.set(root.key, root);
    this.st = this.freshState(root);
  }

  protected freshState(mock: MockCtx): State {
    return { curr: [], vars: new Map(), nextLocal: 2, input: 0, data: 1, mock, mockLocals: [] };
  }

  // -------------------------------------------------------------------------------------------
  // Plumbing
  // -------------------------------------------------------------------------------------------

  protected local(): Local {
    return this.st.nextLocal++;
  }

  protected emit(s: Stmt): void {
    this.st.curr.push(s);
  }

  /** Runs `fn` collecting statements into a new block; bindings made inside do not leak. */
  protected block(fn: () => void): Block {
    const saved = this.st.curr;
    const vars = this.st.vars;
    this.st.curr = [];
    this.st.vars = new Map(vars);
    try {
      fn();
      return { stmts: this.st.curr };
    } finally {
      this.st.curr = saved;
      this.st.vars = vars;
    }
  }

  protected blockStmt(...fns: (() => void)[]): void {
    this.emit({ type: "BlockStmt", blocks: fns.map((f) => this.block(f)) });
  }

  protected irLoc(l: Location | undefined): IrLocation | undefined {
    if (!l || !l.file) return undefined;
    return { file: this.statics.file(l.file), row: l.row, col: l.col };
  }

  protected str(s: string): Operand {
    return { type: "string_index", value: this.statics.string(s) };
  }

  protected toLocal(op: Operand): Local {
    if (op.type === "local") return op.value;
    const l = this.local();
    this.emit({ type: "AssignVarStmt", source: op, target: l });
    return l;
  }

  protected fail(): void {
    this.emit({ type: "EqualStmt", a: TRUE, b: FALSE });
  }

  protected internal(message: string, l?: Location): never {
    throw new DiagnosticError([diag(PlanMessages.unsupported, [message], l ? { file: l.file, line: l.row, col: l.col } : undefined)]);
  }
}

export function isScalarTerm(t: Term): boolean {
  return t.type === "null" || t.type === "boolean" || t.type === "number" || t.type === "string";
}

export function isConstant(t: Term): boolean {
  switch (t.type) {
    case "null": case "boolean": case "number": case "string": return true;
    case "array": case "set": return t.items.every(isConstant);
    case "object": return t.items.every(([k, v]) => isConstant(k) && isConstant(v));
    default: return false;
  }
}

/** True if `t` has unbound vars in pattern positions (vars, array items, object values). */
export function hasUnboundPatternVars(t: Term, vars: Map<string, Local>): boolean {
  switch (t.type) {
    case "var": return !vars.has(t.name) && t.name !== "input" && t.name !== "data";
    case "array": return t.items.some((x) => hasUnboundPatternVars(x, vars));
    case "object": return t.items.some(([, v]) => hasUnboundPatternVars(v, vars));
    default: return false;
  }
}

export function forEachExprVar(e: Expr, fn: (name: string) => void): void {
  const term = (t: Term): void => {
    switch (t.type) {
      case "var": fn(t.name); return;
      case "ref": t.terms.forEach(term); return;
      case "array": case "set": t.items.forEach(term); return;
      case "object": t.items.forEach(([a, b]) => { term(a); term(b); }); return;
      case "call": t.args.forEach(term); return;
      default: return;
    }
  };
  const x = e.expr;
  if (x.kind === "term") term(x.term);
  else if (x.kind === "call") x.args.forEach(term);
  else if (x.kind === "every") term(x.domain);
}

/** True if a term reads vars bound in the current function (so it cannot be re-planned elsewhere). */
export function usesLocals(t: Term): boolean {
  let found = false;
  const walk = (x: Term): void => {
    if (found) return;
    switch (x.type) {
      case "var": if (x.name !== "input" && x.name !== "data") found = true; return;
      case "ref": {
        const h = x.terms[0]!;
        if (h.type !== "var" || (h.name !== "data" && h.name !== "input")) found = true;
        x.terms.slice(1).forEach(walk);
        return;
      }
      case "array": case "set": x.items.forEach(walk); return;
      case "object": x.items.forEach(([a, b]) => { walk(a); walk(b); }); return;
      case "call": x.args.forEach(walk); return;
      case "arraycomprehension": case "setcomprehension": case "objectcomprehension": found = true; return;
      default: return;
    }
  };
  walk(t);
  return found;
}
