/**
 * CEL's full syntax on @bufbuild/cel 0.6.1's parser, which lacks two parts the API server accepts:
 *
 * - **Two-variable comprehensions** (Kubernetes 1.33+, cel-go's `TwoVarComprehensions`):
 *   `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`, `transformList(i, v, [f,] e)`,
 *   `transformMap(k, v, [f,] e)`, `transformMapEntry(k, v, [f,] e)`. The parser reads them as
 *   ordinary calls; `parseCel` expands them into comprehensions with `iterVar2`, as cel-go does.
 * - **Optional syntax** (Kubernetes 1.29+): `a.?f`, `a[?k]`, `[?x]`, `{?k: v}`, and `optMap` /
 *   `optFlatMap`. The parser refuses the `?`; a pre-pass blanks each such `?` (so every offset, and
 *   every diagnostic position, stays that of the user's text) and records where it was; after
 *   parsing, the marked nodes become the optional calls `@optSelect` / `@optIndex` (optionals.ts), optional
 *   list indices and map entries, and selections after an optional become optional chaining.
 *
 * `parseCel` gives the standard AST (what the checker reads); `parseCelForPlan` lowers what
 * @bufbuild/cel's planner cannot run (`iterVar2`, optional list elements and map entries) into
 * calls of internal functions (`@entries`, `@optList`, `@optInsert`, library.ts and optionals.ts).
 * Namespaced calls (`optional.of(x)`, `ip.isCanonical(s)`, `sets.contains(a, b)`) become calls of the
 * qualified name, and `cel.bind(x, init, e)` a comprehension binding `x` (as cel-go expands it).
 */
import { parse } from "@bufbuild/cel";

type Parsed = ReturnType<typeof parse>;
export type CelExpr = NonNullable<Parsed["expr"]>;
type Kind = CelExpr["exprKind"];
type Comprehension = Extract<Kind, { case: "comprehensionExpr" }>["value"];

const ACCU = "@result";
const TWO_VAR = new Set(["all", "exists", "existsOne", "exists_one", "transformList", "transformMap", "transformMapEntry"]);
/** Global functions with a dotted name that CEL code calls as `ns.fn(...)`. */
const QUALIFIED = new Set(["optional.of", "optional.ofNonZeroValue", "optional.none", "ip.isCanonical", "strings.quote", "sets.contains", "sets.equivalent", "sets.intersects"]);
const OPTIONAL_RESULT = new Set(["@optSelect", "@optIndex", "optional.of", "optional.ofNonZeroValue", "optional.none"]);

interface Marks {
  /** Offsets of the `.` of each `.?f`. */
  selects: Set<number>;
  /** Offset of an opening `[` or `{` → indices of its optional elements (`[?k]` is index 0 of its `[`). */
  elements: Map<number, Set<number>>;
}

/** Blanks the `?` of CEL's optional syntax (outside strings and comments) and records where each was. */
function markOptionalSyntax(source: string): { text: string; marks: Marks } {
  const out = source.split("");
  const marks: Marks = { selects: new Set(), elements: new Map() };
  const stack: { ch: string; offset: number; count: number }[] = [];
  let prev = ""; // the last significant character
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const raw = /[rR]/.test(source[i - 1] ?? "") || (/[bB]/.test(source[i - 1] ?? "") && /[rR]/.test(source[i - 2] ?? ""));
      const triple = source.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      i += close.length;
      while (i < source.length && !source.startsWith(close, i)) i += !raw && source[i] === "\\" ? 2 : 1;
      i += close.length;
      prev = c;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") stack.push({ ch: c, offset: i, count: 0 });
    else if (c === ")" || c === "]" || c === "}") stack.pop();
    else if (c === "," && stack.length > 0) stack[stack.length - 1]!.count++;
    else if (c === "?") {
      const top = stack[stack.length - 1];
      if ((prev === "[" || prev === "{" || prev === ",") && top && top.ch !== "(") {
        const set = marks.elements.get(top.offset) ?? new Set<number>();
        set.add(top.count);
        marks.elements.set(top.offset, set);
        out[i] = " ";
      } else if (prev === "." && /[A-Za-z_]/.test(source[i + 1] ?? "")) {
        let dot = i - 1;
        while (source[dot] !== ".") dot--;
        marks.selects.add(dot);
        out[i] = " ";
      }
    }
    prev = c;
    i++;
  }
  return { text: out.join(""), marks };
}

/** Builds and rewrites nodes of one parsed expression, keeping `sourceInfo.positions` complete. */
class Ast {
  private next: bigint;
  readonly optional = new WeakSet<CelExpr>();
  constructor(readonly parsed: Parsed) {
    const ids = Object.keys(parsed.sourceInfo?.positions ?? {}).map((k) => BigInt(k));
    this.next = ids.reduce((a, b) => (a > b ? a : b), 0n) + 1n;
  }
  offset(e: CelExpr): number {
    return Number((this.parsed.sourceInfo!.positions as Record<string, number>)[String(e.id)] ?? 0);
  }
  node(at: number, exprKind: Kind): CelExpr {
    const id = this.next++;
    (this.parsed.sourceInfo!.positions as Record<string, number>)[String(id)] = at;
    return { $typeName: "cel.expr.Expr", id, exprKind } as CelExpr;
  }
  ident(at: number, name: string): CelExpr {
    return this.node(at, { case: "identExpr", value: { $typeName: "cel.expr.Expr.Ident", name } } as Kind);
  }
  constant(at: number, constantKind: { case: "stringValue"; value: string } | { case: "int64Value"; value: bigint } | { case: "boolValue"; value: boolean } | { case: "nullValue"; value: 0 }): CelExpr {
    return this.node(at, { case: "constExpr", value: { $typeName: "cel.expr.Constant", constantKind } } as Kind);
  }
  call(at: number, fn: string, args: CelExpr[], target?: CelExpr): CelExpr {
    return this.node(at, { case: "callExpr", value: { $typeName: "cel.expr.Expr.Call", function: fn, args, ...(target ? { target } : {}) } } as Kind);
  }
  list(at: number, elements: CelExpr[]): CelExpr {
    return this.node(at, { case: "listExpr", value: { $typeName: "cel.expr.Expr.CreateList", elements, optionalIndices: [] } } as Kind);
  }
  map(at: number): CelExpr {
    return this.node(at, { case: "structExpr", value: { $typeName: "cel.expr.Expr.CreateStruct", entries: [], messageName: "" } } as Kind);
  }
  comprehension(at: number, c: Omit<Comprehension, "$typeName">): CelExpr {
    return this.node(at, { case: "comprehensionExpr", value: { $typeName: "cel.expr.Expr.Comprehension", ...c } } as Kind);
  }
}

function isOptionalExpr(ast: Ast, e: CelExpr): boolean {
  if (ast.optional.has(e)) return true;
  const k = e.exprKind;
  if (k.case !== "callExpr") return false;
  if (OPTIONAL_RESULT.has(k.value.function) && !k.value.target) return true;
  if (k.value.function === "or" && k.value.target && k.value.args.length === 1) return isOptionalExpr(ast, k.value.target);
  if (k.value.function === "_?_:_") return isOptionalExpr(ast, k.value.args[1]!) && isOptionalExpr(ast, k.value.args[2]!);
  return false;
}

export class CelSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Expands a two-variable macro call into a comprehension with `iterVar2`, as cel-go's `TwoVarComprehensions` do. */
function expandTwoVar(ast: Ast, at: number, fn: string, range: CelExpr, args: CelExpr[]): CelExpr {
  const names = args.slice(0, 2).map((a) => (a.exprKind.case === "identExpr" ? a.exprKind.value.name : undefined));
  if (names.some((n) => n === undefined)) throw new CelSyntaxError(`${fn}(): the first two arguments must be simple names`, at);
  const [iterVar, iterVar2] = names as [string, string];
  if (iterVar === iterVar2) throw new CelSyntaxError(`${fn}(): duplicate variable name '${iterVar}'`, at);
  if (iterVar === ACCU || iterVar2 === ACCU) throw new CelSyntaxError(`${fn}(): '${ACCU}' is reserved`, at);
  const accu = () => ast.ident(at, ACCU);
  const t = (value: boolean) => ast.constant(at, { case: "boolValue", value });
  const base = { accuVar: ACCU, iterVar, iterVar2, iterRange: range, result: accu() };
  const filtered = (f: CelExpr | undefined, step: CelExpr) => (f ? ast.call(at, "_?_:_", [f, step, accu()]) : step);
  switch (fn) {
    case "all":
      return ast.comprehension(at, { ...base, accuInit: t(true), loopCondition: ast.call(at, "@not_strictly_false", [accu()]), loopStep: ast.call(at, "_&&_", [accu(), args[2]!]) });
    case "exists":
      return ast.comprehension(at, { ...base, accuInit: t(false), loopCondition: ast.call(at, "@not_strictly_false", [ast.call(at, "!_", [accu()])]), loopStep: ast.call(at, "_||_", [accu(), args[2]!]) });
    case "existsOne":
    case "exists_one": {
      const one = () => ast.constant(at, { case: "int64Value", value: 1n });
      return ast.comprehension(at, {
        ...base,
        accuInit: ast.constant(at, { case: "int64Value", value: 0n }),
        loopCondition: t(true),
        loopStep: ast.call(at, "_?_:_", [args[2]!, ast.call(at, "_+_", [accu(), one()]), accu()]),
        result: ast.call(at, "_==_", [accu(), one()]),
      });
    }
    default: {
      const [f, e] = args.length === 4 ? [args[2], args[3]!] : [undefined, args[2]!];
      const step =
        fn === "transformList"
          ? ast.call(at, "_+_", [accu(), ast.list(at, [e])])
          : fn === "transformMap"
            ? ast.call(at, "cel.@mapInsert", [accu(), ast.ident(at, iterVar), e])
            : ast.call(at, "cel.@mapInsert", [accu(), e]);
      return ast.comprehension(at, { ...base, accuInit: fn === "transformList" ? ast.list(at, []) : ast.map(at), loopCondition: t(true), loopStep: filtered(f, step) });
    }
  }
}

/** `o.optMap(y, e)` and `o.optFlatMap(y, e)`: `e` with `y` bound to the value, when there is one. */
function expandOptMap(ast: Ast, at: number, flat: boolean, target: CelExpr, name: string, e: CelExpr): CelExpr {
  const bound = ast.comprehension(at, {
    accuVar: ACCU,
    iterVar: name,
    iterVar2: "",
    iterRange: ast.list(at, [ast.call(at, "value", [], target)]),
    accuInit: ast.constant(at, { case: "nullValue", value: 0 }),
    loopCondition: ast.constant(at, { case: "boolValue", value: true }),
    loopStep: e,
    result: ast.ident(at, ACCU),
  });
  const out = ast.call(at, "_?_:_", [ast.call(at, "hasValue", [], target), flat ? bound : ast.call(at, "optional.of", [bound]), ast.call(at, "optional.none", [])]);
  ast.optional.add(out);
  return out;
}

/**
 * `cel.bind(x, init, e)` (Kubernetes' bindings extension): `e` with `x` bound to `init`, evaluated
 * once. As cel-go expands it: a comprehension over no elements whose accumulator is `x`.
 */
function expandBind(ast: Ast, at: number, args: CelExpr[]): CelExpr {
  const [v, init, e] = args as [CelExpr, CelExpr, CelExpr];
  if (v.exprKind.case !== "identExpr") throw new CelSyntaxError("cel.bind(): the first argument must be a simple name", at);
  const name = v.exprKind.value.name;
  return ast.comprehension(at, {
    accuVar: name,
    accuInit: init,
    iterVar: "#unused",
    iterVar2: "",
    iterRange: ast.list(at, []),
    loopCondition: ast.constant(at, { case: "boolValue", value: false }),
    loopStep: ast.ident(at, name),
    result: e,
  });
}

function rewrite(ast: Ast, marks: Marks, e: CelExpr): CelExpr {
  const k = e.exprKind;
  const at = ast.offset(e);
  switch (k.case) {
    case "selectExpr": {
      const operand = rewrite(ast, marks, k.value.operand!);
      k.value.operand = operand;
      const field = ast.constant(at, { case: "stringValue", value: k.value.field });
      if (marks.selects.has(at) || isOptionalExpr(ast, operand)) {
        return k.value.testOnly ? ast.call(at, "@optHas", [operand, field]) : ast.call(at, "@optSelect", [operand, field]);
      }
      return e;
    }
    case "callExpr": {
      const c = k.value;
      if (c.target) c.target = rewrite(ast, marks, c.target);
      c.args = c.args.map((a) => rewrite(ast, marks, a));
      const target = c.target;
      if (target && target.exprKind.case === "identExpr" && QUALIFIED.has(`${target.exprKind.value.name}.${c.function}`)) {
        return ast.call(at, `${target.exprKind.value.name}.${c.function}`, c.args);
      }
      if (c.function === "_[_]" && (marks.elements.get(at)?.has(0) || isOptionalExpr(ast, c.args[0]!))) return ast.call(at, "@optIndex", c.args);
      if (target && TWO_VAR.has(c.function) && (c.args.length === 3 || (c.args.length === 4 && c.function.startsWith("transform")))) {
        return expandTwoVar(ast, at, c.function, target, c.args);
      }
      if (target && target.exprKind.case === "identExpr" && target.exprKind.value.name === "cel" && c.function === "bind" && c.args.length === 3) {
        return expandBind(ast, at, c.args);
      }
      if (target && (c.function === "optMap" || c.function === "optFlatMap") && c.args.length === 2) {
        const v = c.args[0]!;
        if (v.exprKind.case !== "identExpr") throw new CelSyntaxError(`${c.function}(): the first argument must be a simple name`, at);
        return expandOptMap(ast, at, c.function === "optFlatMap", target, v.exprKind.value.name, c.args[1]!);
      }
      return e;
    }
    case "listExpr": {
      k.value.elements = k.value.elements.map((x) => rewrite(ast, marks, x));
      const optional = marks.elements.get(at);
      if (optional) k.value.optionalIndices = [...optional].sort((a, b) => a - b);
      return e;
    }
    case "structExpr": {
      for (const entry of k.value.entries) {
        if (entry.keyKind.case === "mapKey") entry.keyKind.value = rewrite(ast, marks, entry.keyKind.value);
        entry.value = rewrite(ast, marks, entry.value!);
      }
      const optional = marks.elements.get(at);
      if (optional) k.value.entries.forEach((entry, i) => (entry.optionalEntry = optional.has(i)));
      return e;
    }
    case "comprehensionExpr": {
      const c = k.value;
      c.iterRange = rewrite(ast, marks, c.iterRange!);
      c.accuInit = rewrite(ast, marks, c.accuInit!);
      c.loopCondition = rewrite(ast, marks, c.loopCondition!);
      c.loopStep = rewrite(ast, marks, c.loopStep!);
      c.result = rewrite(ast, marks, c.result!);
      return e;
    }
    default:
      return e;
  }
}

function parseWith(source: string): { ast: Ast; parsed: Parsed } {
  const { text, marks } = markOptionalSyntax(source);
  const parsed = parse(text);
  const ast = new Ast(parsed);
  parsed.expr = rewrite(ast, marks, parsed.expr!);
  return { ast, parsed };
}

/**
 * Parses CEL as the API server does: the standard AST, with two-variable comprehensions
 * (`iterVar2`) and optional syntax. Throws the parser's Error, or a `CelSyntaxError`, on bad input.
 */
export function parseCel(source: string): Parsed {
  return parseWith(source).parsed;
}

// ---------------------------------------------------------------- lowering for the planner

/** Replaces free occurrences of the names in `subst` (respecting inner bindings) by the built expressions. */
function substitute(e: CelExpr, subst: ReadonlyMap<string, () => CelExpr>): CelExpr {
  if (subst.size === 0) return e;
  const k = e.exprKind;
  switch (k.case) {
    case "identExpr": {
      const make = subst.get(k.value.name);
      return make ? make() : e;
    }
    case "selectExpr":
      k.value.operand = substitute(k.value.operand!, subst);
      return e;
    case "callExpr":
      if (k.value.target) k.value.target = substitute(k.value.target, subst);
      k.value.args = k.value.args.map((a) => substitute(a, subst));
      return e;
    case "listExpr":
      k.value.elements = k.value.elements.map((x) => substitute(x, subst));
      return e;
    case "structExpr":
      for (const entry of k.value.entries) {
        if (entry.keyKind.case === "mapKey") entry.keyKind.value = substitute(entry.keyKind.value, subst);
        entry.value = substitute(entry.value!, subst);
      }
      return e;
    case "comprehensionExpr": {
      const c = k.value;
      c.iterRange = substitute(c.iterRange!, subst);
      c.accuInit = substitute(c.accuInit!, subst);
      const without = (...names: string[]) => new Map([...subst].filter(([n]) => !names.includes(n)));
      const inLoop = without(c.iterVar, c.iterVar2, c.accuVar);
      c.loopCondition = substitute(c.loopCondition!, inLoop);
      c.loopStep = substitute(c.loopStep!, inLoop);
      c.result = substitute(c.result!, without(c.accuVar));
      return e;
    }
    default:
      return e;
  }
}

function lower(ast: Ast, e: CelExpr, counter: { n: number }): CelExpr {
  const k = e.exprKind;
  const at = ast.offset(e);
  switch (k.case) {
    case "selectExpr":
      k.value.operand = lower(ast, k.value.operand!, counter);
      return e;
    case "callExpr":
      if (k.value.target) k.value.target = lower(ast, k.value.target, counter);
      k.value.args = k.value.args.map((a) => lower(ast, a, counter));
      return e;
    case "listExpr": {
      const elements = k.value.elements.map((x) => lower(ast, x, counter));
      const optional = new Set(k.value.optionalIndices);
      if (optional.size === 0) {
        k.value.elements = elements;
        return e;
      }
      let acc = ast.list(at, []);
      elements.forEach((x, i) => {
        acc = optional.has(i) ? ast.call(at, "@optList", [acc, x]) : ast.call(at, "_+_", [acc, ast.list(at, [x])]);
      });
      return acc;
    }
    case "structExpr": {
      for (const entry of k.value.entries) {
        if (entry.keyKind.case === "mapKey") entry.keyKind.value = lower(ast, entry.keyKind.value, counter);
        entry.value = lower(ast, entry.value!, counter);
      }
      if (k.value.messageName !== "" || !k.value.entries.some((x) => x.optionalEntry)) return e;
      let acc = ast.map(at);
      for (const entry of k.value.entries) {
        const key = entry.keyKind.value as CelExpr;
        acc = ast.call(at, entry.optionalEntry ? "@optInsert" : "cel.@mapInsert", [acc, key, entry.value!]);
      }
      return acc;
    }
    case "comprehensionExpr": {
      const c = k.value;
      c.iterRange = lower(ast, c.iterRange!, counter);
      c.accuInit = lower(ast, c.accuInit!, counter);
      c.loopCondition = lower(ast, c.loopCondition!, counter);
      c.loopStep = lower(ast, c.loopStep!, counter);
      c.result = lower(ast, c.result!, counter);
      if (c.iterVar2 === "") return e;
      // (index or key, value) pairs, iterated by one variable: `@entries(range)`, `@itN[0]`, `@itN[1]`.
      const it = `@it${counter.n++}`;
      const part = (i: bigint) => () => ast.call(at, "_[_]", [ast.ident(at, it), ast.constant(at, { case: "int64Value", value: i })]);
      const subst = new Map([
        [c.iterVar, part(0n)],
        [c.iterVar2, part(1n)],
      ]);
      subst.delete(c.accuVar);
      c.loopCondition = substitute(c.loopCondition!, subst);
      c.loopStep = substitute(c.loopStep!, subst);
      c.iterRange = ast.call(at, "@entries", [c.iterRange!]);
      c.iterVar = it;
      c.iterVar2 = "";
      return e;
    }
    default:
      return e;
  }
}

/** `parseCel`, then lowered to what @bufbuild/cel's planner runs. */
export function parseCelForPlan(source: string): Parsed {
  const { ast, parsed } = parseWith(source);
  parsed.expr = lower(ast, parsed.expr!, { n: 0 });
  return parsed;
}
