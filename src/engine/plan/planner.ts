/**
 * The planner: compiled Rego (src/engine/compiler) → the IR in ir.ts, in the shape of OPA's
 * planner. Expressions are planned in continuation-passing style: planning a term that iterates
 * (a ref with an unbound var, a rule tree branch) opens a nested block, and the rest of the body is
 * planned inside it, so every solution runs the remaining expressions. Each rule group becomes a
 * function of (input, data[, args]); refs into `data` walk the rule tree at plan time, calling rule
 * functions for virtual documents and reading base documents from the `data` local, merging both
 * where a path has both. `with` on input and base data uses `WithStmt`; `with` on rules, functions
 * and built-ins specialises the functions planned under it (a "mock context").
 */
import type { Body, ComprehensionIndex, Expr, Location, RefTerm, Rule, Term } from "../rego/ast.js";

type Comprehension = Extract<Term, { type: "arraycomprehension" | "setcomprehension" | "objectcomprehension" }>;
import type { Block, Func, Local, Operand, Plan, Policy, Stmt } from "./ir.js";
import { compileQuery, isGeneratedVar, type CompiledPolicy, type RuleGroup, type RuleNode } from "../compiler/index.js";
import { groundPath, mkRef, mkStr, mkVar, refName, termString } from "../compiler/ast-util.js";
import { lookupBuiltin } from "../compiler/builtins-table.js";
import { nodeAt } from "../compiler/ruletree.js";
import { DiagnosticError, diag } from "../../diagnostics/index.js";
import { PlanMessages } from "./diagnostics.js";
import {
  FALSE, PlannerCore, RELATIONS, TRUE, forEachExprVar, hasUnboundPatternVars, isScalarTerm, loc, usesLocals,
  type K, type KOp, type Mock, type MockCtx,
} from "./core.js";

export interface PlanOptions {
  /** Entrypoints as `pkg/rule` paths (like `opa build -e`); each becomes a plan of that name. */
  entrypoints: string[];
  /** Ad-hoc queries; each becomes a plan whose result rows bind the query's variables. */
  queries?: { name: string; query: Body; regoVersion?: "v0" | "v1" }[];
  /**
   * Instrument for coverage: a `CoverStmt` before every expression and where a rule produces its
   * value (OPA's coverage counts evaluated expressions and rules that exited). Off by default, so
   * ordinary modules carry no marks.
   */
  coverage?: boolean;
}

export function planPolicy(compiled: CompiledPolicy, opts: PlanOptions): Policy {
  return new Planner(compiled).plan(opts);
}

/** Above this many rule-tree children, iteration reads the merged document instead of branching. */
const MAX_BRANCHES = 8;

class Planner extends PlannerCore {
  private coverage = false;
  /** Ids of indexed comprehensions' table functions, by comprehension term. */
  private comprehensionIds = new Map<Term, number>();

  plan(opts: PlanOptions): Policy {
    this.coverage = opts.coverage === true;
    const plans: Plan[] = [];
    for (const ep of opts.entrypoints) plans.push(this.planEntrypoint(ep));
    for (const q of opts.queries ?? []) plans.push(this.planQuery(q.name, q.query, q.regoVersion));
    return {
      static: this.statics.toStatic(),
      plans: { plans },
      funcs: { funcs: this.funcOrder.map((n) => this.funcs.get(n)!) },
    };
  }

  // -------------------------------------------------------------------------------------------
  // Plans
  // -------------------------------------------------------------------------------------------

  private withPlanState<T>(fn: () => T): T {
    const saved = this.st;
    this.st = this.freshState(this.mockCtxs.get("|0")!);
    try {
      return fn();
    } finally {
      this.st = saved;
    }
  }

  private planEntrypoint(ep: string): Plan {
    const parts = ep.split("/").filter((p) => p.length > 0);
    const ref = mkRef([mkVar("data"), ...parts.map((p) => mkStr(p))]);
    // Like `opa build -e`, an entrypoint must name a rule, a package, or a path inside a rule.
    if (!this.touchesRules(["data", ...parts])) {
      throw new DiagnosticError([diag(PlanMessages.unknownEntrypoint, [ep])]);
    }
    return this.withPlanState(() => {
      const block = this.block(() => {
        this.planTerm(ref, (op) => {
          const obj = this.local();
          this.emit({ type: "MakeObjectStmt", target: obj });
          this.emit({ type: "ObjectInsertStmt", key: this.str("result"), value: op, object: obj });
          this.emit({ type: "ResultSetAddStmt", value: obj });
        });
      });
      return { name: ep, blocks: [block] };
    });
  }

  private planQuery(name: string, query: Body, regoVersion?: "v0" | "v1"): Plan {
    const cq = compileQuery(this.compiled, query, regoVersion ? { regoVersion } : {});
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (n: string) => {
      if (seen.has(n)) return;
      seen.add(n);
      if (cq.names.has(n) || !isGeneratedVar(n)) order.push(n);
    };
    for (const e of cq.body) forEachExprVar(e, visit);
    return this.withPlanState(() => {
      const block = this.block(() => {
        this.planBody(cq.body, 0, () => {
          const obj = this.local();
          this.emit({ type: "MakeObjectStmt", target: obj });
          for (const v of order) {
            const l = this.st.vars.get(v);
            if (l === undefined) continue;
            this.emit({ type: "ObjectInsertStmt", key: this.str(cq.names.get(v) ?? v), value: loc(l), object: obj });
          }
          this.emit({ type: "ResultSetAddStmt", value: obj });
        });
      });
      return { name, blocks: [block] };
    });
  }

  // -------------------------------------------------------------------------------------------
  // Rule groups → functions
  // -------------------------------------------------------------------------------------------

  private funcName(node: RuleNode): string {
    return `g${this.st.mock.id}.${node.path.join(".")}`;
  }

  /** Returns the name of the function computing `node`'s rules, planning it on first use. */
  private ensureFunc(node: RuleNode): string {
    const name = this.funcName(node);
    if (this.funcs.has(name)) return name;
    const group = (node.static ?? node.dynamic)!;
    const func: Func = { name, path: name.split("."), params: [], return: 0, blocks: [] };
    this.funcs.set(name, func);
    const saved = this.st;
    this.st = this.freshState(saved.mock);
    try {
      const params: Local[] = [0, 1];
      const nargs = group.kind === "function" ? group.arity! : 0;
      for (let i = 0; i < nargs; i++) params.push(this.local());
      for (let i = 0; i < saved.mockLocals.length; i++) {
        const l = this.local();
        params.push(l);
        this.st.mockLocals.push(l);
      }
      const ret = this.local();
      func.params = params;
      func.return = ret;
      const blocks: Block[] = [];
      if (group.kind === "set") blocks.push({ stmts: [{ type: "MakeSetStmt", target: ret }] });
      if (group.kind === "dynamic") blocks.push({ stmts: [{ type: "MakeObjectStmt", target: ret }] });
      group.rules.forEach((rule, i) => {
        blocks.push(this.block(() => this.planRuleChain(group, rule, i, ret, params.slice(2, 2 + nargs))));
      });
      if (group.kind === "dynamic") {
        const depth = Math.max(...group.suffixes!.map((sfx) => sfx.length - 1));
        blocks.push(this.block(() => this.mergeChildrenInto(ret, node, depth)));
      }
      if (group.default) {
        const d = group.default;
        blocks.push(
          this.block(() => {
            this.emit({ type: "IsUndefinedStmt", source: ret });
            this.cover(d.loc);
            this.planTerm(d.head.value ?? { type: "boolean", value: true, loc: d.loc }, (op) => {
              this.emit({ type: "AssignVarStmt", source: op, target: ret });
            });
          }),
        );
      }
      blocks.push({ stmts: [{ type: "ReturnLocalStmt", source: ret }] });
      func.blocks = blocks;
    } finally {
      this.st = saved;
    }
    this.funcOrder.push(name);
    return name;
  }

  /** One definition (and its `else` chain) of a group. */
  private planRuleChain(group: RuleGroup, rule: Rule, index: number, ret: Local, args: Local[]): void {
    const chain: Rule[] = [];
    for (let r: Rule | undefined = rule; r; r = r.else) chain.push(r);
    if (chain.length === 1) {
      this.planRuleBody(group, rule, index, args, ret);
      return;
    }
    const cr = this.local();
    this.emit({ type: "ResetLocalStmt", target: cr });
    chain.forEach((r, j) => {
      this.blockStmt(() => {
        if (j > 0) this.emit({ type: "IsUndefinedStmt", source: cr });
        this.planRuleBody(group, { ...r, head: { ...r.head, args: r.head.args ?? rule.head.args } }, index, args, cr);
      });
    });
    this.emit({ type: "IsDefinedStmt", source: cr });
    this.emit({ type: "AssignVarOnceStmt", source: loc(cr), target: ret });
  }

  private planRuleBody(group: RuleGroup, rule: Rule, index: number, args: Local[], target: Local): void {
    const headArgs = rule.head.args ?? [];
    const unifyArgs = (i: number, k: K): void => {
      if (i >= headArgs.length) return k();
      this.unifyLocal(headArgs[i]!, args[i]!, () => unifyArgs(i + 1, k));
    };
    unifyArgs(0, () =>
      this.planBody(rule.body, 0, () => {
        this.cover(rule.head.loc);
        switch (group.kind) {
          case "complete":
          case "function":
            this.planTerm(rule.head.value ?? { type: "boolean", value: true, loc: rule.loc }, (op) => {
              this.emit({ type: "AssignVarOnceStmt", source: op, target, loc: this.irLoc(rule.loc) } as Stmt);
            });
            return;
          case "set":
            this.planTerm(rule.head.key!, (op) => this.emit({ type: "SetAddStmt", value: op, set: target }));
            return;
          case "dynamic":
            this.planDynamicInsert(group.suffixes![index]!, rule, target);
            return;
        }
      }),
    );
  }

  /** `p[a][b] := v` / `p[a] contains v`: inserts into the object of the group's prefix. */
  private planDynamicInsert(suffix: Term[], rule: Rule, obj: Local): void {
    const multi = rule.head.kind === "multi";
    const planKeys = (i: number, ops: Operand[], k: (ops: Operand[]) => void): void => {
      if (i >= suffix.length) return k(ops);
      this.planTerm(suffix[i]!, (op) => planKeys(i + 1, [...ops, op], k));
    };
    planKeys(0, [], (keys) => {
      let cur = obj;
      const levels = multi ? keys.length : keys.length - 1;
      for (let i = 0; i < levels; i++) cur = this.getOrCreate(cur, keys[i]!, multi && i === levels - 1 ? "set" : "object");
      if (multi) {
        this.planTerm(rule.head.key!, (op) => this.emit({ type: "SetAddStmt", value: op, set: cur }));
      } else {
        this.planTerm(rule.head.value ?? { type: "boolean", value: true, loc: rule.loc }, (op) => {
          this.emit({ type: "ObjectInsertOnceStmt", key: keys[keys.length - 1]!, value: op, object: cur, loc: this.irLoc(rule.loc) } as Stmt);
        });
      }
    });
  }

  /** `obj[key]`, created empty if absent; a conflict error if present with another type. */
  private getOrCreate(obj: Local, key: Operand, kind: "object" | "set"): Local {
    const t = this.local();
    this.emit({ type: "ResetLocalStmt", target: t });
    this.blockStmt(() => this.emit({ type: "DotStmt", source: loc(obj), key, target: t }));
    this.blockStmt(() => {
      this.emit({ type: "IsUndefinedStmt", source: t });
      this.emit({ type: kind === "set" ? "MakeSetStmt" : "MakeObjectStmt", target: t });
      this.emit({ type: "ObjectInsertStmt", key, value: loc(t), object: obj });
    });
    this.blockStmt(() => {
      this.emit({ type: "NotStmt", block: this.block(() => this.emit({ type: kind === "set" ? "IsSetStmt" : "IsObjectStmt", source: loc(t) })) });
      const c = this.local();
      this.emit({ type: kind === "set" ? "MakeSetStmt" : "MakeObjectStmt", target: c });
      this.emit({ type: "ObjectInsertOnceStmt", key, value: loc(c), object: obj });
    });
    return t;
  }

  /**
   * Inserts the values of `node`'s children (rules below a prefix) into `obj`, merging sets and
   * prefixes. `depth` is how many levels below `obj` may hold objects that dynamic rules created as
   * containers (which children may extend); deeper existing values are rule values, and a child
   * that differs from one is a conflict. Into a `fresh` object (made empty just before) each key
   * is new, so a child's value is inserted without the checks: a package of thousands of rules
   * stays a few instructions per rule.
   */
  private mergeChildrenInto(obj: Local, node: RuleNode, depth: number, fresh = false): void {
    for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const k = this.str(key);
      const mock = this.st.mock.mocks.get(child.path.join("."));
      if ((child.static || child.dynamic || mock) && fresh) {
        this.blockStmt(() => this.emit({ type: "ObjectInsertStmt", key: k, value: loc(this.nodeValueLocal(child)), object: obj }));
      } else if (child.static || child.dynamic || mock) {
        this.blockStmt(() => {
          const v = this.nodeValueLocal(child);
          const ex = this.local();
          this.emit({ type: "ResetLocalStmt", target: ex });
          this.blockStmt(() => this.emit({ type: "DotStmt", source: loc(obj), key: k, target: ex }));
          this.blockStmt(
            () => {
              this.emit({ type: "IsUndefinedStmt", source: ex });
              this.emit({ type: "ObjectInsertStmt", key: k, value: loc(v), object: obj });
            },
            () => {
              this.emit({ type: "IsDefinedStmt", source: ex });
              this.emit({ type: "IsSetStmt", source: loc(ex) });
              this.emit({ type: "IsSetStmt", source: loc(v) });
              const u = this.local();
              this.builtinCall("or", [loc(ex), loc(v)], u);
              this.emit({ type: "ObjectInsertStmt", key: k, value: loc(u), object: obj });
            },
            () => {
              this.emit({ type: "IsDefinedStmt", source: ex });
              this.emit({ type: "NotStmt", block: this.block(() => { this.emit({ type: "IsSetStmt", source: loc(ex) }); this.emit({ type: "IsSetStmt", source: loc(v) }); }) });
              this.emit({ type: "ObjectInsertOnceStmt", key: k, value: loc(v), object: obj });
            },
          );
        });
      } else if (depth > 0) {
        const sub = this.getOrCreate(obj, k, "object");
        this.mergeChildrenInto(sub, child, depth - 1);
      } else {
        const fresh = this.local();
        this.emit({ type: "MakeObjectStmt", target: fresh });
        this.mergeChildrenInto(fresh, child, 0, true);
        this.emit({ type: "ObjectInsertOnceStmt", key: k, value: loc(fresh), object: obj });
      }
    }
  }

  private builtinCall(name: string, args: Operand[], result: Local): void {
    this.statics.builtin(name, args.length);
    this.emit({ type: "CallStmt", func: name, args, result });
  }

  private callFunc(name: string, args: Operand[], l?: Location): Local {
    const r = this.local();
    const extra = this.st.mockLocals.map(loc);
    this.emit({ type: "CallStmt", func: name, args: [loc(this.st.input), loc(this.st.data), ...args, ...extra], result: r, loc: this.irLoc(l) } as Stmt);
    return r;
  }

  /**
   * The value of the virtual document at `node` merged over the base document at the same path.
   * Emits into the current block; the result local is undefined if the document is.
   */
  private nodeValueLocal(node: RuleNode): Local {
    const mock = this.st.mock.mocks.get(node.path.join("."));
    if (mock) return this.mockValue(mock);
    if (node.static) {
      if (node.static.kind === "function") {
        if (node.static.arity === 0) return this.callFunc(this.ensureFunc(node), []);
        const u = this.local();
        this.emit({ type: "ResetLocalStmt", target: u });
        return u;
      }
      return this.callFunc(this.ensureFunc(node), []);
    }
    let obj: Local;
    if (node.dynamic) {
      obj = this.callFunc(this.ensureFunc(node), []);
    } else {
      obj = this.local();
      this.emit({ type: "MakeObjectStmt", target: obj });
      this.mergeChildrenInto(obj, node, 0, true);
    }
    const res = this.local();
    this.emit({ type: "AssignVarStmt", source: loc(obj), target: res });
    this.blockStmt(() => {
      const b = this.baseLocal(node.path);
      this.emit({ type: "IsObjectStmt", source: loc(b) });
      // Where base and virtual documents overlap, the base document wins (as OPA's topdown).
      this.emit({ type: "ObjectMergeStmt", a: b, b: obj, target: res });
    });
    return res;
  }

  private mockValue(m: Mock): Local {
    if (m.slot !== undefined) return this.st.mockLocals[m.slot]!;
    let out: Local | undefined;
    this.planTerm(m.value, (op) => { out = this.toLocal(op); });
    return out!;
  }

  /** DotStmts from the data local down `path` (which starts with "data"). */
  private baseLocal(path: string[]): Local {
    let cur = this.st.data;
    for (const k of path.slice(1)) {
      const t = this.local();
      this.emit({ type: "DotStmt", source: loc(cur), key: this.str(k), target: t });
      cur = t;
    }
    return cur;
  }

  // -------------------------------------------------------------------------------------------
  // Bodies and expressions
  // -------------------------------------------------------------------------------------------

  private planBody(body: Body, i: number, k: K): void {
    if (i >= body.length) return k();
    this.planExpr(body[i]!, () => this.planBody(body, i + 1, k));
  }

  /** Coverage mode: marks `l` (a row of the user's source) as reached. */
  private cover(l: Location | undefined): void {
    if (!this.coverage) return;
    const at = this.irLoc(l);
    if (at) this.emit({ type: "CoverStmt", loc: at });
  }

  private planExpr(e: Expr, k: K): void {
    if (e.expr.kind !== "some") this.cover(e.loc);
    if (e.with.length > 0) return this.planWith(e, k);
    if (e.negated) {
      this.emit({ type: "IsUndefinedStmt", source: this.succeeds((k2) => this.planExprInner(e, k2)) });
      return k();
    }
    this.planExprInner(e, k);
  }

  /**
   * Plans `fn` in a nested block and returns a local that is defined iff it found a solution.
   * (A block that merely runs to its end is not enough: solutions live in nested blocks.)
   */
  private succeeds(fn: (k: K) => void): Local {
    const ok = this.local();
    this.emit({ type: "ResetLocalStmt", target: ok });
    this.blockStmt(() => fn(() => this.emit({ type: "AssignVarStmt", source: TRUE, target: ok })));
    return ok;
  }

  private planExprInner(e: Expr, k: K): void {
    const x = e.expr;
    switch (x.kind) {
      case "term":
        return this.planTerm(x.term, (op) => {
          this.emit({ type: "NotEqualStmt", a: op, b: FALSE });
          k();
        });
      case "some":
        return k();
      case "every":
        return this.planEvery(x, k);
      case "call":
        return this.planCallExpr(x.operator, x.args, e.loc, k);
    }
  }

  private planCallExpr(operator: RefTerm, args: Term[], l: Location, k: K): void {
    const name = refName(operator);
    if (name === "eq" && args.length === 2) return this.planUnify(args[0]!, args[1]!, k);
    const arity = name !== undefined ? this.arityOf(name) : undefined;
    if (name !== undefined && RELATIONS.has(name) && arity !== undefined && args.length === arity + 1 && !this.st.mock.mocks.has(name)) {
      // A relation (`walk`) yields every solution: the built-in returns them as an array to scan.
      return this.planCall(operator, args.slice(0, arity), l, (op) => {
        const kl = this.local();
        const vl = this.local();
        const block = this.block(() => this.unifyLocal(args[arity]!, vl, k));
        this.emit({ type: "ScanStmt", source: this.toLocal(op), key: kl, value: vl, block });
      });
    }
    if (arity !== undefined && args.length === arity + 1) {
      return this.planCall(operator, args.slice(0, arity), l, (op) => this.unifyLocal(args[arity]!, this.toLocal(op), k));
    }
    if ((name === "equal" || name === "neq") && args.length === 2 && !this.st.mock.mocks.has(name)) {
      return this.planTerms(args, ([a, b]) => {
        this.emit({ type: name === "equal" ? "EqualStmt" : "NotEqualStmt", a: a!, b: b! });
        k();
      });
    }
    // A built-in without a result (`internal.print`) always succeeds; there is nothing to test.
    if (name !== undefined && lookupBuiltin(name, "v0", this.compiled.extraBuiltins)?.void && !this.st.mock.mocks.has(name)) {
      return this.planCall(operator, args, l, () => k());
    }
    this.planCall(operator, args, l, (op) => {
      this.emit({ type: "NotEqualStmt", a: op, b: FALSE });
      k();
    });
  }

  private arityOf(name: string): number | undefined {
    if (name.startsWith("data.")) {
      const n = nodeAt(this.compiled.root, name.split("."));
      return n?.static?.kind === "function" ? n.static.arity : undefined;
    }
    const b = lookupBuiltin(name, "v0", this.compiled.extraBuiltins);
    return b && b.arity >= 0 ? b.arity : undefined;
  }

  private planEvery(x: Extract<Expr["expr"], { kind: "every" }>, k: K): void {
    this.planTerm(x.domain, (dop) => {
      const d = this.toLocal(dop);
      const ok = this.local();
      this.emit({ type: "ResetLocalStmt", target: ok });
      this.emit({
        type: "BlockStmt",
        blocks: (["IsArrayStmt", "IsObjectStmt", "IsSetStmt"] as const).map((t) => ({
          stmts: [{ type: t, source: loc(d) }, { type: "AssignVarStmt", source: TRUE, target: ok }] as Stmt[],
        })),
      });
      this.emit({ type: "IsDefinedStmt", source: ok });
      // A member for which the body fails sets `bad`; every holds when no member did.
      const bad = this.local();
      this.emit({ type: "ResetLocalStmt", target: bad });
      const kl = this.local();
      const vl = this.local();
      const scan = this.block(() => {
        if (x.key?.type === "var") this.st.vars.set(x.key.name, kl);
        if (x.value.type === "var") this.st.vars.set(x.value.name, vl);
        this.emit({ type: "IsUndefinedStmt", source: this.succeeds((k2) => this.planBody(x.body, 0, k2)) });
        this.emit({ type: "AssignVarStmt", source: TRUE, target: bad });
      });
      this.emit({ type: "ScanStmt", source: d, key: kl, value: vl, block: scan });
      this.emit({ type: "IsUndefinedStmt", source: bad });
      k();
    });
  }

  // -------------------------------------------------------------------------------------------
  // with
  // -------------------------------------------------------------------------------------------

  private planWith(e: Expr, k: K): void {
    const inner: Expr = { ...e, with: [] };
    const mocks = new Map(this.st.mock.mocks);
    let mocked = false;
    const plain: { target: "input" | "data"; path: string[]; value: Term }[] = [];
    for (const w of e.with) {
      const p = groundPath(w.target);
      if (!p) this.internal(`unsupported with target ${termString(w.target)}`, w.loc);
      if (p[0] === "input") {
        plain.push({ target: "input", path: p.slice(1), value: w.value });
      } else if (p[0] === "data" && !this.touchesRules(p)) {
        plain.push({ target: "data", path: p.slice(1), value: w.value });
      } else {
        const key = p.join(".");
        const fname = w.value.type === "ref" || w.value.type === "var" ? this.functionName(w.value) : undefined;
        const isFn = this.isFunctionTarget(p);
        const m: Mock = { value: w.value };
        if (isFn) m.onFunction = true;
        if (isFn && fname) m.fn = fname;
        mocks.set(key, m);
        mocked = true;
      }
    }
    // Mock values that are not constants are evaluated here, in the caller.
    const evalMocks = (entries: [string, Mock][], i: number, k2: K): void => {
      if (i >= entries.length) return k2();
      const [key, m] = entries[i]!;
      if (m.fn || m.slot !== undefined || !usesLocals(m.value) || this.st.mock.mocks.get(key) === m) return evalMocks(entries, i + 1, k2);
      this.planTerm(m.value, (op) => {
        mocks.set(key, { ...m, slot: newLocals.length });
        newLocals.push(this.toLocal(op));
        evalMocks(entries, i + 1, k2);
      });
    };
    let negatedOk: Local | undefined;
    const newLocals = [...this.st.mockLocals];
    evalMocks([...mocks], 0, () => {
      const outer = { input: this.st.input, data: this.st.data, mock: this.st.mock, mockLocals: this.st.mockLocals };
      const applyPlain = (i: number): void => {
        if (i >= plain.length) {
          if (mocked) {
            this.st.mockLocals = newLocals;
            this.st.mock = this.mockContext(mocks);
          }
          this.planExprInner(inner.negated ? { ...inner, negated: false } : inner, () => {
            const inside = { input: this.st.input, data: this.st.data, mock: this.st.mock, mockLocals: this.st.mockLocals };
            Object.assign(this.st, outer);
            if (!inner.negated) k();
            else this.emit({ type: "AssignVarStmt", source: TRUE, target: negatedOk! });
            Object.assign(this.st, inside);
          });
          return;
        }
        const w = plain[i]!;
        this.planTerm(w.value, (vop) => {
          const target = this.local();
          const src = w.target === "input" ? this.st.input : this.st.data;
          // input (or data) may be undefined: copy it only if defined.
          this.emit({ type: "ResetLocalStmt", target });
          this.blockStmt(() => this.emit({ type: "AssignVarStmt", source: loc(src), target }));
          const block = this.block(() => {
            if (w.target === "input") this.st.input = target;
            else this.st.data = target;
            applyPlain(i + 1);
          });
          this.emit({ type: "WithStmt", local: target, path: w.path.map((s) => this.statics.string(s)), value: vop, block });
          Object.assign(this.st, outer);
        });
      };
      if (inner.negated) {
        const ok = this.local();
        this.emit({ type: "ResetLocalStmt", target: ok });
        this.blockStmt(() => {
          negatedOk = ok;
          applyPlain(0);
        });
        this.emit({ type: "IsUndefinedStmt", source: ok });
        k();
      } else {
        applyPlain(0);
      }
    });
  }

  private mockContext(mocks: Map<string, Mock>): MockCtx {
    const entries = [...mocks]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, m]) => `${k}=${m.fn ?? (m.slot !== undefined ? `#${m.slot}` : termString(m.value))}`);
    // Functions planned under a context take one extra parameter per evaluated mock value.
    const key = `${entries.join(";")}|${this.st.mockLocals.length}`;
    let c = this.mockCtxs.get(key);
    if (!c) {
      c = { id: this.mockCtxs.size, key, mocks };
      this.mockCtxs.set(key, c);
    }
    return c;
  }

  /** True when a `data` path is, contains, or lies inside a rule (so `with` must mock it). */
  private touchesRules(p: string[]): boolean {
    let n: RuleNode | undefined = this.compiled.root;
    for (const k of p.slice(1)) {
      if (n.static || n.dynamic) return true;
      n = n.children.get(k);
      if (!n) return false;
    }
    return true;
  }

  private isFunctionTarget(p: string[]): boolean {
    if (p[0] === "data") return nodeAt(this.compiled.root, p)?.static?.kind === "function";
    return true;
  }

  /** The callable a `with` value names: a built-in or a `data` function; undefined for values. */
  private functionName(t: Term): string | undefined {
    const r = t.type === "var" ? mkRef([t]) : (t as RefTerm);
    const name = refName(r);
    if (!name) return undefined;
    if (name.startsWith("data.")) return nodeAt(this.compiled.root, name.split("."))?.static?.kind === "function" ? name : undefined;
    return lookupBuiltin(name, "v0", this.compiled.extraBuiltins) ? name : undefined;
  }

  // -------------------------------------------------------------------------------------------
  // Calls
  // -------------------------------------------------------------------------------------------

  /** Plans terms, bare vars last (they may be bound by iteration in the others: `x == xs[x]`). */
  private planTerms(ts: Term[], k: (ops: Operand[]) => void): void {
    const order = ts.map((_, i) => i).sort((a, b) => Number(ts[a]!.type === "var") - Number(ts[b]!.type === "var"));
    const ops: Operand[] = new Array(ts.length);
    const step = (j: number): void => {
      // Flat terms call their continuation at once and open no scope: plan them in a loop, so a
      // 100,000-item literal does not nest 100,000 continuations on the stack.
      for (; j < order.length && isFlat(ts[order[j]!]!, this.st.vars); j++) {
        let got: Operand | undefined;
        this.planTerm(ts[order[j]!]!, (op) => { got = op; });
        ops[order[j]!] = got!;
      }
      if (j >= order.length) return k([...ops]);
      this.planTerm(ts[order[j]!]!, (op) => {
        ops[order[j]!] = op;
        step(j + 1);
      });
    };
    step(0);
  }

  private planCall(operator: RefTerm, args: Term[], l: Location, k: KOp): void {
    const name = refName(operator);
    if (name === undefined) this.internal(`dynamic call ${termString(operator)} is not supported`, l);
    const mock = this.st.mock.mocks.get(name);
    this.planTerms(args, (ops) => {
      if (mock && !mock.fn) {
        for (const op of ops) if (op.type === "local") this.emit({ type: "IsDefinedStmt", source: op.value });
        return k(loc(this.mockValue(mock)));
      }
      if (mock?.fn && mock.fn !== name) {
        // A replacement function runs without function mocks (it may call the original); its
        // arguments were evaluated above, under the mocks.
        const outer = this.st.mock;
        this.st.mock = this.mockContext(new Map([...outer.mocks].filter(([, m]) => !m.onFunction)));
        const r = this.emitCall(mock.fn, ops, l);
        this.st.mock = outer;
        return k(loc(r));
      }
      k(loc(this.emitCall(name, ops, l)));
    });
  }

  /** A call to a rule function (`data.…`) or a built-in, with evaluated arguments. */
  private emitCall(name: string, ops: Operand[], l: Location): Local {
    if (name.startsWith("data.")) {
      const node = nodeAt(this.compiled.root, name.split("."));
      if (!node || !(node.static || node.dynamic)) this.internal(`undefined function ${name}`, l);
      return this.callFunc(this.ensureFunc(node), ops, l);
    }
    const r = this.local();
    this.statics.builtin(name, ops.length);
    this.emit({ type: "CallStmt", func: name, args: ops, result: r, loc: this.irLoc(l) } as Stmt);
    return r;
  }

  // -------------------------------------------------------------------------------------------
  // Terms
  // -------------------------------------------------------------------------------------------

  private planTerm(t: Term, k: KOp): void {
    switch (t.type) {
      case "null": {
        const l = this.local();
        this.emit({ type: "MakeNullStmt", target: l });
        return k(loc(l));
      }
      case "boolean":
        return k({ type: "bool", value: t.value });
      case "string":
        return k(this.str(t.value));
      case "number":
        return k(loc(this.number(t.value)));
      case "var": {
        const l = this.st.vars.get(t.name);
        if (l === undefined) {
          if (t.name === "input") return k(loc(this.st.input));
          if (t.name === "data") return this.planRef(mkRef([t], t.loc), k);
          this.internal(`var ${t.name} is unbound during planning`, t.loc);
        }
        return k(loc(l));
      }
      case "ref":
        return this.planRef(t, k);
      case "array":
        return this.planTerms(t.items, (ops) => {
          const a = this.local();
          this.emit({ type: "MakeArrayStmt", capacity: ops.length, target: a });
          for (const op of ops) this.emit({ type: "ArrayAppendStmt", value: op, array: a });
          k(loc(a));
        });
      case "set":
        return this.planTerms(t.items, (ops) => {
          const s = this.local();
          this.emit({ type: "MakeSetStmt", target: s });
          for (const op of ops) this.emit({ type: "SetAddStmt", value: op, set: s });
          k(loc(s));
        });
      case "object":
        return this.planTerms(t.items.flat(), (ops) => {
          const o = this.local();
          this.emit({ type: "MakeObjectStmt", target: o });
          for (let i = 0; i < ops.length; i += 2) this.emit({ type: "ObjectInsertStmt", key: ops[i]!, value: ops[i + 1]!, object: o });
          k(loc(o));
        });
      case "arraycomprehension":
      case "setcomprehension":
      case "objectcomprehension":
        if (t.index && this.planIndexedComprehension(t, t.index, k)) return;
        return this.planComprehension(t, k);
      case "call": {
        const name = refName(t.operator);
        if (name !== undefined && RELATIONS.has(name) && !this.st.mock.mocks.has(name)) {
          return this.planCall(t.operator, t.args, t.loc, (op) => {
            const kl = this.local();
            const vl = this.local();
            const block = this.block(() => k(loc(vl)));
            this.emit({ type: "ScanStmt", source: this.toLocal(op), key: kl, value: vl, block });
          });
        }
        return this.planCall(t.operator, t.args, t.loc, k);
      }
      case "templatestring":
        return this.internal("template strings must be rewritten by the compiler", t.loc);
    }
  }

  /** A comprehension evaluated where it appears (the whole body, with the vars bound around it). */
  private planComprehension(t: Comprehension, k: KOp): void {
    switch (t.type) {
      case "arraycomprehension": {
        const a = this.local();
        this.emit({ type: "MakeArrayStmt", capacity: 0, target: a });
        this.blockStmt(() => this.planBody(t.body, 0, () => this.planTerm(t.term, (op) => this.emit({ type: "ArrayAppendStmt", value: op, array: a }))));
        return k(loc(a));
      }
      case "setcomprehension": {
        const s = this.local();
        this.emit({ type: "MakeSetStmt", target: s });
        this.blockStmt(() => this.planBody(t.body, 0, () => this.planTerm(t.term, (op) => this.emit({ type: "SetAddStmt", value: op, set: s }))));
        return k(loc(s));
      }
      case "objectcomprehension": {
        const o = this.local();
        this.emit({ type: "MakeObjectStmt", target: o });
        this.blockStmt(() =>
          this.planBody(t.body, 0, () =>
            this.planTerm(t.key, (ko) => this.planTerm(t.value, (vo) => this.emit({ type: "ObjectInsertOnceStmt", key: ko, value: vo, object: o }))),
          ),
        );
        return k(loc(o));
      }
    }
  }

  /**
   * An indexed comprehension (OPA's comprehension index): the grouped table is computed once per
   * memo scope by a function of (input, data) with the keys free, then read at the keys' values;
   * a key tuple the table lacks means the empty collection. Not under mocks that pass values (such
   * functions are not memoized), nor when a key is unbound here.
   */
  private planIndexedComprehension(t: Comprehension, index: ComprehensionIndex, k: KOp): boolean {
    if (this.st.mockLocals.length > 0) return false;
    const keyLocals: Local[] = [];
    for (const name of index.keys) {
      const l = this.st.vars.get(name);
      if (l === undefined) return false;
      keyLocals.push(l);
    }
    const func = this.ensureComprehensionTable(t, index);
    const table = this.local();
    this.emit({ type: "CallStmt", func, args: [loc(this.st.input), loc(this.st.data)], result: table });
    const key = this.local();
    this.emit({ type: "MakeArrayStmt", capacity: keyLocals.length, target: key });
    for (const l of keyLocals) this.emit({ type: "ArrayAppendStmt", value: loc(l), array: key });
    const r = this.local();
    this.emit({ type: "ResetLocalStmt", target: r });
    this.blockStmt(() => this.emit({ type: "DotStmt", source: loc(table), key: loc(key), target: r }));
    this.blockStmt(() => {
      this.emit({ type: "IsUndefinedStmt", source: r });
      this.makeCollection(t, r);
    });
    k(loc(r));
    return true;
  }

  private makeCollection(t: Comprehension, target: Local): void {
    if (t.type === "arraycomprehension") this.emit({ type: "MakeArrayStmt", capacity: 0, target });
    else if (t.type === "setcomprehension") this.emit({ type: "MakeSetStmt", target });
    else this.emit({ type: "MakeObjectStmt", target });
  }

  /** The function computing an indexed comprehension's table: key tuple → collection. */
  private ensureComprehensionTable(t: Comprehension, index: ComprehensionIndex): string {
    let id = this.comprehensionIds.get(t);
    if (id === undefined) {
      id = this.comprehensionIds.size;
      this.comprehensionIds.set(t, id);
    }
    const name = `g${this.st.mock.id}.$comprehension.${id}`;
    if (this.funcs.has(name)) return name;
    const func: Func = { name, path: name.split("."), params: [0, 1], return: 0, blocks: [] };
    this.funcs.set(name, func);
    const saved = this.st;
    this.st = this.freshState(saved.mock);
    try {
      const ret = this.local();
      func.return = ret;
      const fill = this.block(() =>
        this.planBody(index.body, 0, () => {
          const key = this.local();
          this.emit({ type: "MakeArrayStmt", capacity: index.keys.length, target: key });
          for (const name of index.keys) {
            const l = this.st.vars.get(name);
            if (l === undefined) this.internal(`comprehension index key ${name} is unbound`, t.loc);
            this.emit({ type: "ArrayAppendStmt", value: loc(l), array: key });
          }
          const group = this.local();
          this.emit({ type: "ResetLocalStmt", target: group });
          this.blockStmt(() => this.emit({ type: "DotStmt", source: loc(ret), key: loc(key), target: group }));
          this.blockStmt(() => {
            this.emit({ type: "IsUndefinedStmt", source: group });
            this.makeCollection(t, group);
            this.emit({ type: "ObjectInsertStmt", key: loc(key), value: loc(group), object: ret });
          });
          if (t.type === "arraycomprehension") this.planTerm(t.term, (op) => this.emit({ type: "ArrayAppendStmt", value: op, array: group }));
          else if (t.type === "setcomprehension") this.planTerm(t.term, (op) => this.emit({ type: "SetAddStmt", value: op, set: group }));
          // As OPA's table (obj.Insert): a key seen twice in a group keeps the last value, no conflict.
          else this.planTerm(t.key, (ko) => this.planTerm(t.value, (vo) => this.emit({ type: "ObjectInsertStmt", key: ko, value: vo, object: group })));
        }),
      );
      func.blocks = [{ stmts: [{ type: "MakeObjectStmt", target: ret }] }, fill, { stmts: [{ type: "ReturnLocalStmt", source: ret }] }];
    } finally {
      this.st = saved;
    }
    this.funcOrder.push(name);
    return name;
  }

  private number(text: string): Local {
    const l = this.local();
    // "-0" stays text: OPA keeps a literal as written and prints it so.
    if (/^-?\d+$/.test(text) && text !== "-0" && Math.abs(Number(text)) <= 2147483647) {
      this.emit({ type: "MakeNumberIntStmt", value: Number(text), target: l });
    } else {
      this.emit({ type: "MakeNumberRefStmt", index: this.statics.string(text), target: l });
    }
    return l;
  }

  private planRef(ref: RefTerm, k: KOp): void {
    const head = ref.terms[0]!;
    if (head.type === "var") {
      if (head.name === "data" && !this.st.vars.has("data")) return this.planRefData(this.compiled.root, ref, 1, k);
      if (head.name === "input" && !this.st.vars.has("input")) return this.planRefRest(this.st.input, ref.terms, 1, k);
      const l = this.st.vars.get(head.name);
      if (l === undefined) this.internal(`var ${head.name} is unbound during planning`, head.loc);
      return this.planRefRest(l, ref.terms, 1, k);
    }
    this.planTerm(head, (op) => this.planRefRest(this.toLocal(op), ref.terms, 1, k));
  }

  /** Walks the rule tree along `ref` from `node` (whose path is ref.terms[0..i)). */
  private planRefData(node: RuleNode, ref: RefTerm, i: number, k: KOp): void {
    const mock = this.st.mock.mocks.get(node.path.join("."));
    if (mock && !mock.fn) return this.planRefRest(this.mockValue(mock), ref.terms, i, k);
    if (node.static || node.dynamic || i >= ref.terms.length) {
      const v = this.nodeValueLocal(node);
      return this.planRefRest(v, ref.terms, i, k);
    }
    const t = ref.terms[i]!;
    if (t.type === "string") {
      const child = node.children.get(t.value);
      if (child) return this.planRefData(child, ref, i + 1, k);
      return this.planRefRest(this.baseLocal(node.path), ref.terms, i, k, true);
    }
    if (isScalarTerm(t)) return this.planRefRest(this.baseLocal(node.path), ref.terms, i, k, true);
    const children = [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (this.isUnboundVar(t)) {
      if (node.children.size > MAX_BRANCHES) {
        // Iterating over many children: one branch per child would copy the rest of the body
        // that many times (and multiply at each level); compute the merged document once and
        // look into it. (Every child is evaluated either way, as in OPA.)
        return this.planRefRest(this.nodeValueLocal(node), ref.terms, i, k);
      }
      const name = (t as { name: string }).name;
      const keyL = this.local();
      const blocks: (() => void)[] = children.map(([key, child]) => () => {
        this.emit({ type: "AssignVarStmt", source: this.str(key), target: keyL });
        this.st.vars.set(name, keyL);
        this.planRefData(child, ref, i + 1, k);
      });
      blocks.push(() => {
        const base = this.baseLocal(node.path);
        const kl = this.local();
        const vl = this.local();
        const scan = this.block(() => {
          for (const [key] of children) this.emit({ type: "NotEqualStmt", a: loc(kl), b: this.str(key) });
          this.st.vars.set(name, kl);
          this.planRefRest(vl, ref.terms, i + 1, k, true);
        });
        this.emit({ type: "ScanStmt", source: base, key: kl, value: vl, block: scan });
      });
      return this.blockStmt(...blocks);
    }
    if (hasUnboundPatternVars(t, this.st.vars)) {
      // A composite key pattern never names a rule (rule keys are strings): base data only.
      return this.planRefRest(this.baseLocal(node.path), ref.terms, i, k, true);
    }
    this.planTerm(t, (kop) => this.planRefDataKey(node, children, ref, i, kop, k));
  }

  /**
   * A key known only at run time (`data.t[k].d` with `k` bound) into a node with rule children:
   * each child is a branch taken when the key equals its name, and only that child's rules run,
   * as in OPA's evaluator (a sibling's rules, and their conflicts, are never evaluated). The
   * branches compute the value of the ref's following single-valued stretch (constant keys and
   * bound vars) into one local, so the rest of the body is planned once, not once per child.
   */
  private planRefDataKey(node: RuleNode, children: [string, RuleNode][], ref: RefTerm, i: number, kop: Operand, k: KOp): void {
    let j = i + 1;
    while (j < ref.terms.length) {
      const x = ref.terms[j]!;
      if (!(x.type === "string" || (x.type === "var" && this.st.vars.has(x.name)))) break;
      j++;
    }
    const stretch: RefTerm = { ...ref, terms: ref.terms.slice(0, j) };
    const res = this.local();
    this.emit({ type: "ResetLocalStmt", target: res });
    const assign: KOp = (op) => this.emit({ type: "AssignVarStmt", source: op, target: res });
    const blocks: (() => void)[] = children.map(([key, child]) => () => {
      this.emit({ type: "EqualStmt", a: kop, b: this.str(key) });
      this.planRefData(child, stretch, i + 1, assign);
    });
    blocks.push(() => {
      for (const [key] of children) this.emit({ type: "NotEqualStmt", a: kop, b: this.str(key) });
      const base = this.baseLocal(node.path);
      const v = this.local();
      this.emit({ type: "DotStmt", source: loc(base), key: kop, target: v });
      this.planRefRest(v, stretch.terms, i + 1, assign, true);
    });
    this.blockStmt(...blocks);
    this.emit({ type: "IsDefinedStmt", source: res });
    this.planRefRest(res, ref.terms, j, k);
  }

  private isUnboundVar(t: Term): boolean {
    return t.type === "var" && !this.st.vars.has(t.name) && t.name !== "input" && t.name !== "data";
  }

  /** `base`: `src` is (inside) a base document, read from `data` as stored. */
  private planRefRest(src: Local, terms: Term[], i: number, k: KOp, base = false): void {
    if (i >= terms.length) return k(loc(src));
    const t = terms[i]!;
    if (base && t.type === "number") {
      // OPA reads stored documents by path: a number key also finds an object key of its text.
      const v = this.local();
      const num = this.number(t.value);
      this.emit({ type: "ResetLocalStmt", target: v });
      this.blockStmt(() => this.emit({ type: "DotStmt", source: loc(src), key: loc(num), target: v }));
      this.blockStmt(() => {
        this.emit({ type: "IsUndefinedStmt", source: v });
        this.emit({ type: "DotStmt", source: loc(src), key: this.str(t.value), target: v });
      });
      return this.planRefRest(v, terms, i + 1, k, true);
    }
    if (this.isUnboundVar(t) || hasUnboundPatternVars(t, this.st.vars)) {
      const kl = this.local();
      const vl = this.local();
      const block = this.block(() => {
        if (t.type === "var") {
          this.st.vars.set(t.name, kl);
          this.planRefRest(vl, terms, i + 1, k, base);
        } else {
          this.unifyLocal(t, kl, () => this.planRefRest(vl, terms, i + 1, k, base));
        }
      });
      this.emit({ type: "ScanStmt", source: src, key: kl, value: vl, block });
      return;
    }
    this.planTerm(t, (kop) => {
      const v = this.local();
      this.emit({ type: "DotStmt", source: loc(src), key: kop, target: v });
      this.planRefRest(v, terms, i + 1, k, base);
    });
  }

  // -------------------------------------------------------------------------------------------
  // Unification
  // -------------------------------------------------------------------------------------------

  private planUnify(a: Term, b: Term, k: K): void {
    if (this.isUnboundVar(a)) return this.planTerm(b, (op) => this.bindVar(a as { name: string }, op, k));
    if (this.isUnboundVar(b)) return this.planTerm(a, (op) => this.bindVar(b as { name: string }, op, k));
    if (a.type === "array" && b.type === "array") {
      if (a.items.length !== b.items.length) return this.fail();
      const step = (i: number): void => {
        if (i >= a.items.length) return k();
        this.planUnify(a.items[i]!, b.items[i]!, () => step(i + 1));
      };
      return step(0);
    }
    if (a.type === "object" && b.type === "object" && (hasUnboundPatternVars(a, this.st.vars) || hasUnboundPatternVars(b, this.st.vars))) {
      if (a.items.length !== b.items.length) return this.fail();
      const pairs: [Term, Term][] = [];
      for (const [ka, va] of a.items) {
        const m = b.items.find(([kb]) => termString(kb) === termString(ka));
        if (!m) return this.fail();
        pairs.push([va, m[1]]);
      }
      const step = (i: number): void => {
        if (i >= pairs.length) return k();
        this.planUnify(pairs[i]![0], pairs[i]![1], () => step(i + 1));
      };
      return step(0);
    }
    if (hasUnboundPatternVars(a, this.st.vars)) return this.planTerm(b, (op) => this.unifyLocal(a, this.toLocal(op), k));
    if (hasUnboundPatternVars(b, this.st.vars)) return this.planTerm(a, (op) => this.unifyLocal(b, this.toLocal(op), k));
    this.planTerm(a, (oa) =>
      this.planTerm(b, (ob) => {
        this.emit({ type: "EqualStmt", a: oa, b: ob });
        k();
      }),
    );
  }

  private bindVar(v: { name: string }, op: Operand, k: K): void {
    this.st.vars.set(v.name, this.toLocal(op));
    k();
  }

  /** Fails unless the collection in `l` has exactly `n` elements. */
  private lengthIs(l: Local, n: number): void {
    const len = this.local();
    this.emit({ type: "LenStmt", source: loc(l), target: len });
    const want = this.local();
    this.emit({ type: "MakeNumberIntStmt", value: n, target: want });
    this.emit({ type: "EqualStmt", a: loc(len), b: loc(want) });
  }

  /** Unifies a term (possibly a pattern with unbound vars) with a value held in a local. */
  private unifyLocal(t: Term, l: Local, k: K): void {
    if (this.isUnboundVar(t)) {
      this.st.vars.set((t as { name: string }).name, l);
      return k();
    }
    if (t.type === "array" && hasUnboundPatternVars(t, this.st.vars)) {
      this.emit({ type: "IsArrayStmt", source: loc(l) });
      this.lengthIs(l, t.items.length);
      const step = (i: number): void => {
        if (i >= t.items.length) return k();
        const idx = this.local();
        this.emit({ type: "MakeNumberIntStmt", value: i, target: idx });
        const e = this.local();
        this.emit({ type: "DotStmt", source: loc(l), key: loc(idx), target: e });
        this.unifyLocal(t.items[i]!, e, () => step(i + 1));
      };
      return step(0);
    }
    if (t.type === "object" && hasUnboundPatternVars(t, this.st.vars)) {
      this.emit({ type: "IsObjectStmt", source: loc(l) });
      this.lengthIs(l, t.items.length);
      const step = (i: number): void => {
        if (i >= t.items.length) return k();
        const [key, value] = t.items[i]!;
        this.planTerm(key, (ko) => {
          const e = this.local();
          this.emit({ type: "DotStmt", source: loc(l), key: ko, target: e });
          this.unifyLocal(value, e, () => step(i + 1));
        });
      };
      return step(0);
    }
    this.planTerm(t, (op) => {
      this.emit({ type: "EqualStmt", a: op, b: loc(l) });
      k();
    });
  }
}

/**
 * Whether planning `t` calls its continuation exactly once, synchronously, in the current scope:
 * scalars, bound vars and collections of them (no refs, calls or comprehensions).
 */
function isFlat(t: Term, vars: ReadonlyMap<string, unknown>): boolean {
  switch (t.type) {
    case "null": case "boolean": case "string": case "number": return true;
    case "var": return vars.has(t.name);
    case "array": case "set": return t.items.every((x) => isFlat(x, vars));
    case "object": return t.items.every(([a, b]) => isFlat(a, vars) && isFlat(b, vars));
    default: return false;
  }
}
