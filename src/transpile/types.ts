/**
 * Questions the transpiler asks the TypeScript checker: can this value be undefined or null, is it a
 * string, a number, a boolean, an array? The answers choose the Rego that behaves like TypeScript
 * (truthiness, message formatting, equality).
 */
import ts from "../frontend/typescript-api.cjs";

export function parts(t: ts.Type): readonly ts.Type[] {
  return t.isUnion() ? t.types : [t];
}

export function isAny(t: ts.Type): boolean {
  return (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

export function mayBeUndefined(t: ts.Type): boolean {
  return parts(t).some((p) => (p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0);
}

export function mayBeNull(t: ts.Type): boolean {
  return parts(t).some((p) => (p.flags & ts.TypeFlags.Null) !== 0);
}

/** The kinds of the non-nullish parts: `string`, `number`, `boolean`, `array`, `object`, `other`. */
export function kinds(t: ts.Type, checker: ts.TypeChecker): Set<string> {
  const out = new Set<string>();
  for (const part of parts(t)) {
    if (part.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void)) continue;
    // A branded primitive (`Integer` is `number & { __policycInteger?: never }`) is its primitive.
    const p = part.isIntersection() ? (part.types.find((x) => x.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike)) ?? part) : part;
    if (p.flags & ts.TypeFlags.StringLike) out.add("string");
    else if (p.flags & ts.TypeFlags.NumberLike) out.add("number");
    else if (p.flags & ts.TypeFlags.BooleanLike) out.add("boolean");
    else if (checker.isArrayType(p) || checker.isTupleType(p)) out.add("array");
    else if (p.flags & ts.TypeFlags.Object) out.add("object");
    else out.add("other");
  }
  return out;
}

export function only(t: ts.Type, checker: ts.TypeChecker, kind: string): boolean {
  const k = kinds(t, checker);
  return k.size === 1 && k.has(kind);
}

/** The element type of an array type (or `undefined`). */
export function elementType(t: ts.Type, checker: ts.TypeChecker): ts.Type | undefined {
  for (const p of parts(t)) {
    if (checker.isArrayType(p) || checker.isTupleType(p)) return checker.getTypeArguments(p as ts.TypeReference)[0];
  }
  return undefined;
}
