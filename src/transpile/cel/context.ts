/**
 * The state of one TypeScript body → CEL emission: the checker, the bindings of TypeScript names,
 * the variables hoisted so far (Gatekeeper's `variables.<name>`) and the first construct that has no
 * faithful CEL form (`CelBlocked`, thrown and caught once per check).
 */
import ts from "../../frontend/typescript-api.cjs";
import { isAny, mayBeUndefined } from "../types.js";
import { RESERVED, type Cel } from "./syntax.js";

/**
 * A TypeScript value in CEL: `cel` is the value wherever `defined` holds; `defined` lists the
 * conditions under which the TypeScript value is not `undefined` (empty: always). `loopVars` names
 * the comprehension variables it reads (a value without any can become a shared variable).
 */
export interface CelValue {
  cel: Cel;
  defined: Cel[];
  loopVars: ReadonlySet<string>;
  /** `review`: its properties map to `request`, `variables.anyObject` and `oldObject`. */
  review?: true;
}

export type CelBinding = { kind: "value"; value: CelValue } | { kind: "macro"; expr: ts.Expression; scope: CelScope };
export type CelScope = Map<ts.Symbol, CelBinding>;

/** A construct with no faithful CEL form: the check stays Rego-only. */
export class CelBlocked extends Error {
  constructor(
    readonly construct: string,
    readonly node: ts.Node,
  ) {
    super(construct);
  }
}

/** Roots of Gatekeeper's CEL environment: never used as comprehension variable names. */
const ROOTS = new Set(["object", "oldObject", "params", "request", "variables", "namespaceObject", "authorizer", "has", "size", "string", "int", "double", "bool", "type", "dyn", "list", "map"]);

export class CelContext {
  /** Hoisted variables in order: each may read the ones before it. */
  readonly variables: { name: string; expression: Cel; node: ts.Node }[] = [];
  private readonly names = new Set<string>(["anyObject", "params"]);
  private readonly typeCache = new Map<ts.Node, ts.Type>();

  constructor(
    readonly checker: ts.TypeChecker,
    readonly sourceFile: ts.SourceFile,
    readonly symbols: { review?: ts.Symbol; params?: ts.Symbol; report?: ts.Symbol },
  ) {}

  typeOf(node: ts.Node): ts.Type {
    let t = this.typeCache.get(node);
    if (!t) {
      t = this.checker.getTypeAtLocation(node);
      this.typeCache.set(node, t);
    }
    return t;
  }

  symbolOf(node: ts.Node): ts.Symbol | undefined {
    let s = this.checker.getSymbolAtLocation(node);
    if (s && s.flags & ts.SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
    return s;
  }

  text(node: ts.Node): string {
    return node.getText(this.sourceFile);
  }

  block(construct: string, node: ts.Node): never {
    throw new CelBlocked(construct, node);
  }

  /** Whether `node` is `any`/`unknown` (CEL would be guessing its type). */
  isAny(node: ts.Node): boolean {
    return isAny(this.typeOf(node));
  }

  /** Whether `t` is a number (also the DSL's branded `Integer`, `number & {...}`). */
  isNumber(t: ts.Type): boolean {
    const parts = t.isUnion() ? t.types : [t];
    return parts.every((p) => (p.flags & ts.TypeFlags.NumberLike) !== 0 || (p.isIntersection() && p.types.some((x) => (x.flags & ts.TypeFlags.NumberLike) !== 0)) || (p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) !== 0) && parts.some((p) => !(p.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
  }

  /** Whether a name declared as possibly undefined is narrowed to a value where `use` reads it. */
  narrowedDefined(sym: ts.Symbol, use: ts.Node): boolean {
    const declared = this.checker.getTypeOfSymbol(sym);
    return mayBeUndefined(declared) && !mayBeUndefined(this.typeOf(use));
  }

  /** A fresh variable name (Gatekeeper's `variables.<name>`). */
  variableName(wanted: string): string {
    const base = /^[A-Za-z_][A-Za-z0-9_]*$/.test(wanted) && !RESERVED.has(wanted) ? wanted : "value";
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}${i}`;
    this.names.add(name);
    return name;
  }

  /** A shared variable for `expression`, computed from the TypeScript at `node`. */
  hoist(wanted: string, expression: Cel, node: ts.Node): string {
    // A \`const\` the body reads several times is compiled at each read: one variable serves them all.
    const same = this.variables.find((v) => v.expression.text === expression.text);
    if (same) return same.name;
    const name = this.variableName(wanted);
    this.variables.push({ name, expression, node });
    return name;
  }

  /** A comprehension variable for TypeScript's `wanted`, distinct from the roots and `inScope`. */
  loopName(wanted: string, inScope: ReadonlySet<string>): string {
    const base = /^[A-Za-z_][A-Za-z0-9_]*$/.test(wanted) && !RESERVED.has(wanted) && !ROOTS.has(wanted) ? wanted : `${wanted.replace(/[^A-Za-z0-9_]/g, "") || "x"}_`;
    let name = base;
    for (let i = 2; inScope.has(name) || ROOTS.has(name); i++) name = `${base}${i}`;
    return name;
  }
}
