/**
 * Maps a definition's call site (read from a stack trace at run time) to its CallExpression in the
 * ts.SourceFile, and the properties of the object literals written in that call to their spans, so
 * diagnostics can point at `name: "Bad_Name"` rather than at the whole call.
 */
import type * as TS from "typescript";
import ts from "./typescript.js";
import type { FieldOrigins, Origin } from "../ir/ir.js";

export function spanOf(file: string, sf: TS.SourceFile, node: TS.Node): Origin {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file, line: start.line + 1, col: start.character + 1, endLine: end.line + 1, endCol: end.character + 1 };
}

const callsByFile = new WeakMap<TS.SourceFile, TS.CallExpression[]>();

function callsOf(sf: TS.SourceFile): TS.CallExpression[] {
  let calls = callsByFile.get(sf);
  if (!calls) {
    const found: TS.CallExpression[] = [];
    const visit = (n: TS.Node): void => {
      if (ts.isCallExpression(n)) found.push(n);
      n.forEachChild(visit);
    };
    visit(sf);
    calls = found;
    callsByFile.set(sf, calls);
  }
  return calls;
}

/** The position V8 reports for a call: the callee's last name (`f` in `a.f(...)`). */
function calleeAnchor(call: TS.CallExpression): TS.Node {
  const e = call.expression;
  if (ts.isPropertyAccessExpression(e)) return e.name;
  return e;
}

/**
 * The call expression at 1-based `line`/`col`: the call whose callee starts there, else the
 * innermost call on that line whose callee name contains "define", else the first call on the line.
 */
export function findCall(sf: TS.SourceFile, line: number, col: number): TS.CallExpression | undefined {
  let pos: number;
  try {
    pos = sf.getPositionOfLineAndCharacter(line - 1, col - 1);
  } catch {
    return undefined;
  }
  const calls = callsOf(sf);
  const exact = calls.find((c) => calleeAnchor(c).getStart(sf) === pos);
  if (exact) return exact;
  const onLine = calls.filter((c) => sf.getLineAndCharacterOfPosition(calleeAnchor(c).getStart(sf)).line === line - 1);
  const containing = calls.filter((c) => c.getStart(sf) <= pos && pos < c.getEnd());
  const byName = (cs: TS.CallExpression[]) => cs.filter((c) => /define|register/i.test(calleeAnchor(c).getText(sf)));
  return byName(onLine).at(-1) ?? byName(containing).at(-1) ?? onLine[0] ?? containing.at(-1);
}

/** Origins of every property of every object literal argument of `call`, by dotted path. */
export function fieldOriginsOf(file: string, sf: TS.SourceFile, call: TS.CallExpression): FieldOrigins {
  const fields: FieldOrigins = {};
  const visit = (node: TS.Expression, prefix: string): void => {
    if (ts.isObjectLiteralExpression(node)) {
      for (const p of node.properties) {
        const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) ? p.name.text : undefined;
        if (name === undefined) continue;
        const key = prefix ? `${prefix}.${name}` : name;
        fields[key] ??= spanOf(file, sf, p);
        if (ts.isPropertyAssignment(p)) visit(p.initializer, key);
      }
    } else if (ts.isArrayLiteralExpression(node)) {
      node.elements.forEach((el, i) => {
        const key = prefix ? `${prefix}.${i}` : String(i);
        fields[key] ??= spanOf(file, sf, el);
        visit(el, key);
      });
    } else if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) {
      visit(node.expression, prefix);
    }
  };
  for (const arg of call.arguments) visit(arg, "");
  return fields;
}

/** `X` when the call is the initializer of `export const X = ...`. */
export function exportNameOf(call: TS.CallExpression): string | undefined {
  const decl = call.parent;
  if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
  const stmt = decl.parent?.parent;
  if (stmt && ts.isVariableStatement(stmt) && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
    return decl.name.text;
  }
  return undefined;
}
