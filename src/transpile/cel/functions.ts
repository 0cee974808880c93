/**
 * Helper functions a check body calls (`function hasProbe(c, p) { ... }` in a policy file) are
 * inlined into the CEL: parameters bound to the arguments' values, `const`s substituted, and
 * `if (...) return a;` ... `return b;` read as `cond ? a : b`, as CEL has no functions of its own.
 */
import ts from "../../frontend/typescript-api.cjs";
import type { CelContext, CelScope, CelValue } from "./context.js";
import { cond, value, type CelEnv } from "./expressions.js";
import * as c from "./syntax.js";

const inlining = new Set<ts.Node>();

export function inlineFunction(cx: CelContext, decl: ts.FunctionDeclaration, args: CelValue[], env: CelEnv, call: ts.Node): CelValue {
  if (inlining.has(decl)) return cx.block(`the recursive function \`${decl.name?.text ?? "?"}\``, call);
  if (/[\\/]node_modules[\\/]/.test(decl.getSourceFile().fileName)) return cx.block(`calling \`${decl.name?.text ?? "?"}\` from a package`, call);
  const scope: CelScope = new Map();
  decl.parameters.forEach((p, i) => {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken || p.initializer) cx.block("a helper parameter that is destructured, optional or rest", p);
    const sym = cx.symbolOf(p.name);
    const arg = args[i];
    if (!arg) cx.block("calling a helper with fewer arguments than parameters", call);
    if (sym) scope.set(sym, { kind: "value", value: arg });
  });
  inlining.add(decl);
  try {
    return body(cx, decl.body!.statements, { scope, loops: env.loops }, decl);
  } finally {
    inlining.delete(decl);
  }
}

function body(cx: CelContext, stmts: readonly ts.Statement[], env: CelEnv, fn: ts.Node): CelValue {
  const [s, ...rest] = stmts;
  if (!s) return cx.block("a helper that can end without `return`", fn);
  if (ts.isVariableStatement(s)) {
    if (!(s.declarationList.flags & ts.NodeFlags.Const)) return cx.block("`let` in a helper", s);
    const scope = new Map(env.scope);
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer) return cx.block("this declaration in a helper", d);
      const sym = cx.symbolOf(d.name);
      if (sym) scope.set(sym, { kind: "macro", expr: d.initializer, scope });
    }
    return body(cx, rest, { ...env, scope }, fn);
  }
  if (ts.isReturnStatement(s) && s.expression) return value(cx, s.expression, env);
  if (ts.isIfStatement(s)) {
    const then = single(s.thenStatement);
    if (!then || !ts.isReturnStatement(then) || !then.expression) return cx.block("a helper `if` that does not return", s);
    const test = cond(cx, s.expression, env);
    const a = value(cx, then.expression, env);
    const elseStmt = s.elseStatement && single(s.elseStatement);
    const b = elseStmt ? body(cx, [elseStmt], env, fn) : body(cx, rest, env, fn);
    const defined = a.defined.length + b.defined.length === 0 ? [] : [c.ternary(test, c.and(a.defined), c.and(b.defined))];
    return { cel: c.ternary(test, a.cel, b.cel), defined, loopVars: new Set([...a.loopVars, ...b.loopVars]) };
  }
  return cx.block(`the statement \`${cx.text(s).split("\n")[0]}\` in a helper`, s);
}

function single(s: ts.Statement): ts.Statement | undefined {
  if (ts.isBlock(s)) return s.statements.length === 1 ? s.statements[0] : undefined;
  return s;
}
