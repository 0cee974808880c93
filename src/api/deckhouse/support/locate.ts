/**
 * Narrows a builder's call-site span to the exact property a diagnostic is about. The user's file
 * is parsed with the TypeScript compiler API, the call expression at the recorded position is
 * found, and the manifest path (`spec.policies.allowedCapabilities[2]`) is followed through the
 * object literals passed to the builder. When the value is not written inline (a variable, a
 * spread), the closest enclosing node that is is used instead.
 */
import { readFileSync } from "node:fs";
import type * as TS from "typescript";
import ts from "../../../frontend/typescript.js";
import type { Span } from "../../../diagnostics/index.js";

const cache = new Map<string, TS.SourceFile | null>();

function sourceOf(file: string): TS.SourceFile | undefined {
  if (!cache.has(file)) {
    let sf: TS.SourceFile | null = null;
    try {
      sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    } catch {
      sf = null;
    }
    cache.set(file, sf);
  }
  return cache.get(file) ?? undefined;
}

/** Forgets parsed files (tests rewrite fixtures between runs). */
export function clearLocateCache(): void {
  cache.clear();
}

function spanOf(sf: TS.SourceFile, node: TS.Node): Span {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  return { file: sf.fileName, line: start.line + 1, col: start.character + 1, endLine: end.line + 1, endCol: end.character + 1 };
}

function findCall(sf: TS.SourceFile, line: number, col: number): TS.CallExpression | undefined {
  let pos: number;
  try {
    pos = sf.getPositionOfLineAndCharacter(line - 1, col - 1);
  } catch {
    return undefined;
  }
  let best: TS.CallExpression | undefined;
  const visit = (node: TS.Node): void => {
    if (pos < node.getFullStart() || pos > node.getEnd()) return;
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
      if (pos >= nameNode.getStart(sf) && pos <= node.arguments.pos) best = node;
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return best;
}

function propertyName(p: TS.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name)) return p.name.text;
  return undefined;
}

function unwrap(node: TS.Node): TS.Node {
  while (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  return node;
}

/** Follows `steps` from `node`; returns the deepest node reached and whether the whole path was found. */
function follow(node: TS.Node, steps: readonly (string | number)[]): { node: TS.Node; complete: boolean } {
  let cur = node;
  for (const step of steps) {
    const n = unwrap(cur);
    let next: TS.Node | undefined;
    if (typeof step === "number" && ts.isArrayLiteralExpression(n)) {
      next = n.elements[step];
    } else if (ts.isObjectLiteralExpression(n)) {
      const prop = n.properties.find((p) => propertyName(p) === String(step));
      if (prop) next = ts.isPropertyAssignment(prop) ? prop.initializer : prop;
    }
    if (!next) return { node: cur, complete: false };
    cur = next;
  }
  return { node: cur, complete: true };
}

/** Finds the span of the property at a manifest path (`["spec", "policies", "allowedCapabilities", 2]`). */
export type Locator = (path: readonly (string | number)[], keyOnly?: boolean) => Span | undefined;

/**
 * How builder arguments mirror the manifest: every policyc builder takes one object literal whose
 * keys are the manifest's `metadata` fields (`name`, `namespace`, `labels`, `annotations`) and its
 * `spec` fields, flattened. Returns the steps inside that literal, or undefined for paths with no
 * counterpart (`apiVersion`, `kind`).
 */
export function builderPath(path: readonly (string | number)[]): (string | number)[] | undefined {
  if (path[0] === "metadata" || path[0] === "spec") return path.slice(1);
  return undefined;
}

/** A locator that parses the user's file and follows the path through the builder call at `origin`. */
export function callLocator(origin: Span | undefined, mapPath: (p: readonly (string | number)[]) => (string | number)[] | undefined = builderPath): Locator {
  return (path, keyOnly = false) => {
    if (!origin) return undefined;
    const sf = sourceOf(origin.file);
    if (!sf) return origin;
    const call = findCall(sf, origin.line, origin.col);
    if (!call) return origin;
    const steps = mapPath(path);
    const arg = call.arguments.find((a) => ts.isObjectLiteralExpression(unwrap(a))) ?? call.arguments[0];
    if (!steps || !arg) return spanOf(sf, call);
    const { node, complete } = follow(arg, steps);
    if (keyOnly && complete && node.parent && ts.isPropertyAssignment(node.parent) && node.parent.initializer === node) return spanOf(sf, node.parent.name);
    return spanOf(sf, node);
  };
}

/**
 * A locator over the front end's field origins (dotted paths of the literal written at the call),
 * falling back to the nearest written ancestor and finally to the call site.
 */
export function fieldsLocator(
  origin: Span,
  fields: Record<string, Span>,
  mapPath: (p: readonly (string | number)[]) => (string | number)[] | undefined = builderPath,
): Locator {
  return (path) => {
    const steps = mapPath(path);
    if (!steps) return origin;
    for (let n = steps.length; n > 0; n--) {
      const hit = fields[steps.slice(0, n).join(".")];
      if (hit) return hit;
    }
    return origin;
  };
}
