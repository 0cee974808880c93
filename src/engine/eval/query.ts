/**
 * Turns an ad-hoc query into something the module compiler can build: a multi-value rule in a
 * private package whose members are objects of the query's variable bindings
 * (`q contains {"x": x} if { data.test.p = x }`). Expression values (what `opa eval` prints per
 * expression) are captured in generated variables for bare-term expressions; the others are `true`.
 */
import { parseQuery, type ParseOptions } from "../rego/index.js";
import type { Body, Expr, Term } from "../rego/ast.js";
import { lookupBuiltin } from "../compiler/builtins-table.js";

export const QUERY_PACKAGE = "__policyc_query__";
export const QUERY_RULE = "q";
export const EXPR_VAR_PREFIX = "__policyc_expr_";

export interface QueryExpression {
  /** The expression's source text, as `opa eval` prints it in `expressions[].text`. */
  text: string;
  row: number;
  col: number;
  /** Variable holding the value of a bare-term expression; absent for others (value `true`). */
  valueVar?: string;
}

export interface WrappedQuery {
  /** Variables the result rows bind, in first-appearance order. */
  vars: string[];
  expressions: QueryExpression[];
  /** A module (in the query's Rego version) defining `data.__policyc_query__.q`. */
  module: string;
  /** Entrypoint path of that rule, `__policyc_query__/q`. */
  entrypoint: string;
  /** The query itself with expression-capturing assignments added (for query plans). */
  queryText: string;
  /** For each line of `queryText` (0-based), the index of the expression it belongs to. */
  lineExpr: number[];
}

export function queryVars(body: Body): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (name: string) => {
    if (name === "_" || name === "data" || name === "input" || name.startsWith("$") || seen.has(name)) return;
    seen.add(name);
    out.push(name);
  };
  const term = (t: Term): void => {
    switch (t.type) {
      case "var":
        add(t.name);
        break;
      case "ref":
        t.terms.forEach((x, i) => {
          if (i === 0 && x.type === "var" && (x.name === "data" || x.name === "input")) return;
          term(x);
        });
        break;
      case "array":
      case "set":
        t.items.forEach(term);
        break;
      case "object":
        t.items.forEach(([k, v]) => {
          term(k);
          term(v);
        });
        break;
      case "call":
        t.args.forEach(term);
        break;
      case "templatestring":
        for (const p of t.parts) if (p.type !== "expr") term(p);
        break;
      default:
        break; // scalars and comprehensions (their variables are local)
    }
  };
  for (const e of body) expr(e, term);
  return out;
}

function expr(e: Expr, term: (t: Term) => void): void {
  const b = e.expr;
  switch (b.kind) {
    case "term":
      term(b.term);
      break;
    case "call":
      b.args.forEach(term);
      break;
    case "some":
      b.symbols.forEach(term);
      break;
    case "every":
      term(b.domain);
      break;
  }
  for (const w of e.with) term(w.value);
}

/** Builds the wrapper module for `query`. Throws the parser's error for a bad query. */
export function wrapQuery(query: string, opts: ParseOptions & { captureExpressions?: boolean }): WrappedQuery {
  const body = parseQuery(query, opts);
  const vars = queryVars(body);
  const expressions: QueryExpression[] = [];
  const exprTexts: string[] = [];
  const lineExpr: number[] = [];
  body.forEach((e, i) => {
    const before = exprTexts.length;
    const text = query.slice(e.loc.offset, e.loc.end);
    const x: QueryExpression = { text, row: e.loc.row, col: e.loc.col };
    const bare = !e.negated && e.with.length === 0 && producesValue(e, opts.regoVersion);
    if (opts.captureExpressions && bare) {
      x.valueVar = `${EXPR_VAR_PREFIX}${i}`;
      // A bare expression still fails the query when its value is false.
      exprTexts.push(`${x.valueVar} = ${text}`, `${x.valueVar} != false`);
    } else exprTexts.push(text);
    for (const t of exprTexts.slice(before)) for (let k = 0; k < t.split("\n").length; k++) lineExpr.push(i);
    expressions.push(x);
  });
  const bound = [...vars, ...expressions.flatMap((x) => (x.valueVar ? [x.valueVar] : []))];
  const head = `{${bound.map((v) => `${JSON.stringify(v)}: ${v}`).join(", ")}}`;
  const v0 = opts.regoVersion === "v0";
  const rule = v0 ? `${QUERY_RULE}[${head}] {\n` : `${QUERY_RULE} contains ${head} if {\n`;
  const module = `package ${QUERY_PACKAGE}\n\n${rule}${exprTexts.map((t) => `\t${t.replace(/\n/g, "\n\t")}\n`).join("")}}\n`;
  return { vars, expressions, module, entrypoint: `${QUERY_PACKAGE}/${QUERY_RULE}`, queryText: exprTexts.join("\n"), lineExpr };
}

const RELATIONS = new Set(["eq", "assign", "equal", "neq", "lt", "lte", "gt", "gte", "internal.member_2", "internal.member_3"]);

/**
 * Whether `opa eval` reports a value for the expression: bare terms and calls without an output
 * argument do; unifications, assignments, comparisons and membership report `true`.
 */
function producesValue(e: Expr, version: "v0" | "v1"): boolean {
  const b = e.expr;
  if (b.kind === "term") return b.term.type !== "call" || callProducesValue(b.term.operator, b.term.args.length, version);
  if (b.kind === "call") return callProducesValue(b.operator, b.args.length, version);
  return false;
}

function callProducesValue(operator: Term, nargs: number, version: "v0" | "v1"): boolean {
  if (operator.type !== "ref") return false;
  const name = operator.terms.map((x) => (x.type === "var" ? x.name : x.type === "string" ? x.value : "?")).join(".");
  if (RELATIONS.has(name)) return false;
  const info = lookupBuiltin(name, version);
  if (info) return !info.void && info.arity === nargs;
  return true;
}
