/**
 * The user's small pure helper functions → Rego functions. A helper is a list of
 * `if (cond) return x;` statements and a final `return y;` (consts allowed in between), which maps
 * onto a Rego function with an `else` chain; a boolean helper with a single `return` becomes the
 * idiomatic `f(x) { ... }` that a condition calls directly.
 */
import ts from "../frontend/typescript-api.cjs";
import { build, type Body, type Term } from "../engine/rego/index.js";
import type { Context, Path } from "./context.js";
import { T } from "./diagnostics.js";
import { bindVar, cond, unwrap, valueOf } from "./expressions.js";
import { snakeCase } from "./names.js";
import { only } from "./types.js";

const { bool } = build;

interface Clause {
  when: ts.Expression[];
  result: ts.Expression;
}

/** `argShapes`: what the first call passes, so reads inside the helper count for the generators. */
export function compileFunction(cx: Context, decl: ts.FunctionDeclaration, argShapes: (string[] | undefined)[] = []): { name: string; bool: boolean; singleCond: boolean } {
  const known = cx.functions.get(decl);
  if (known) return known;
  const sig = cx.checker.getSignatureFromDeclaration(decl);
  const isBool = sig ? only(cx.checker.getReturnTypeOfSignature(sig), cx.checker, "boolean") : false;
  const name = cx.ruleName(snakeCase(decl.name?.text ?? "helper"));
  const info = { name, bool: isBool, singleCond: false };
  cx.functions.set(decl, info);
  cx.compiling.add(decl);
  try {
    const p: Path = { body: [], locals: new Set(), scope: new Map() };
    const args: Term[] = decl.parameters.map((param, i) => bindVar(cx, p, param.name, argShapes[i]));
    const clauses = clausesOf(cx, decl, p);
    if (!clauses) return info;
    const from = cx.lineOf(decl);
    const argSpec = args.length > 0 ? { args } : {};
    const last = clauses[clauses.length - 1]!;
    if (isBool && clauses.length === 1) {
      info.singleCond = true;
      cx.helpers.push({ rule: build.rule({ name, ...argSpec, body: cond(cx, last.result, p) }), from });
      return info;
    }
    const cases: [Body, Term][] = [];
    const condsOf = (c: Clause): Body => c.when.flatMap((w) => cond(cx, w, p));
    for (const c of clauses.slice(0, -1)) {
      const when = condsOf(c);
      const lit = boolLiteral(c.result);
      if (isBool && lit === undefined) {
        cases.push([[...when, ...cond(cx, c.result, p)], bool(true)], [when, bool(false)]);
      } else cases.push([when, lit !== undefined ? bool(lit) : valueOf(cx, c.result, p)]);
    }
    let otherwise: Term;
    const lastLit = boolLiteral(last.result);
    if (isBool && lastLit === undefined) {
      cases.push([cond(cx, last.result, p), bool(true)]);
      otherwise = bool(false);
    } else otherwise = lastLit !== undefined ? bool(lastLit) : valueOf(cx, last.result, p);
    if (cases.length === 0) {
      cx.helpers.push({ rule: build.rule({ name, ...argSpec, value: otherwise }), from });
    } else {
      const [first, ...rest] = cases;
      const rule = build.rule({ name, ...argSpec, value: first![1], body: first![0], else: [...rest.map(([body, value]) => ({ body, value })), { value: otherwise }] });
      cx.helpers.push({ rule, from });
    }
    return info;
  } finally {
    cx.compiling.delete(decl);
  }
}

function boolLiteral(e: ts.Expression): boolean | undefined {
  const u = unwrap(e);
  if (u.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (u.kind === ts.SyntaxKind.FalseKeyword) return false;
  return undefined;
}

/** `if (c) return x;` ... `return y;` → clauses; consts become bindings in `p`. */
function clausesOf(cx: Context, decl: ts.FunctionDeclaration, p: Path): Clause[] | undefined {
  const name = decl.name?.text ?? "function";
  const out: Clause[] = [];
  const bad = (node: ts.Node) => {
    cx.error(T.helperBody, [name], node);
    return undefined;
  };
  const single = (s: ts.Statement): ts.ReturnStatement | undefined => {
    if (ts.isReturnStatement(s)) return s;
    if (ts.isBlock(s) && s.statements.length === 1 && ts.isReturnStatement(s.statements[0]!)) return s.statements[0] as ts.ReturnStatement;
    return undefined;
  };
  const stmts = decl.body!.statements;
  for (const [i, s] of stmts.entries()) {
    if (ts.isVariableStatement(s)) {
      if (!(s.declarationList.flags & ts.NodeFlags.Const)) return bad(s);
      for (const d of s.declarationList.declarations) {
        const sym = ts.isIdentifier(d.name) ? cx.symbolOf(d.name) : undefined;
        if (!sym || !d.initializer) return bad(d);
        p.scope.set(sym, { kind: "macro", expr: d.initializer, scope: p.scope });
      }
      continue;
    }
    if (ts.isIfStatement(s) && !s.elseStatement) {
      const r = single(s.thenStatement);
      if (!r?.expression) return bad(s);
      out.push({ when: [s.expression], result: r.expression });
      continue;
    }
    if (ts.isReturnStatement(s) && s.expression && i === stmts.length - 1) {
      out.push({ when: [], result: s.expression });
      continue;
    }
    return bad(s);
  }
  if (out.length === 0 || out[out.length - 1]!.when.length > 0) return bad(decl.name ?? decl);
  return out;
}
