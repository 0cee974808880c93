/**
 * TypeScript type → structural OpenAPI v3 schema (what a ConstraintTemplate's
 * `validation.openAPIV3Schema` and Kubernetes' structural-schema rules need: a `type` at every level).
 *
 *   string / number / boolean        → { type }            Integer (from "policyc") → { type: integer }
 *   "a" | "b"  (also TS string enums) → { type: string, enum }
 *   T[]                              → { type: array, items }
 *   { a: T; b?: U }                  → { type: object, properties, required: [a] }
 *   Record<string, T>                → { type: object, additionalProperties }
 *   T | null                         → nullable: true
 *   TSDoc text / @minimum @maximum @minLength @maxLength @pattern @format @default @example → keywords
 *   a named type's own TSDoc (interface or alias)  → description where it is used (a property's wins)
 *
 * Anything else (functions, any/unknown, unresolved type parameters, recursive types, tuples, mixed
 * unions) is a diagnostic, never a silent `{}`.
 */
import type * as TS from "typescript";
import ts from "./typescript.js";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { Origin } from "../ir/ir.js";
import type { JsonSchema } from "../ir/schema.js";
import { D } from "../ir/diagnostics.js";

export interface SchemaContext {
  checker: TS.TypeChecker;
  /** The span for a declaration, or undefined when it is not in a user file. */
  originOf: (node: TS.Node | undefined) => Origin | undefined;
  /** Where to report problems whose declaration is not in a user file (the type argument). */
  fallback: Origin;
  diagnostics: Diagnostic[];
}

export function schemaOfParams(ctx: SchemaContext, type: TS.Type, label: string): JsonSchema {
  const deriver = new SchemaDeriver(ctx);
  const t = stripUndefined(type);
  if (!(t.flags & ts.TypeFlags.Object) || ctx.checker.isArrayType(t) || t.getCallSignatures().length > 0) {
    ctx.diagnostics.push(diag(D.paramsNotObject, [label, ctx.checker.typeToString(type)], ctx.fallback));
    return { type: "object" };
  }
  const schema = deriver.derive(t, label, undefined);
  return orderKeys(schema);
}

const KEY_ORDER = [
  "type", "description", "nullable", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum",
  "default", "example", "items", "properties", "required", "additionalProperties",
];

const ORDERED = new Set(KEY_ORDER);

/** Readable, stable key order in the emitted YAML: what a property is before what it contains. */
function orderKeys(s: JsonSchema): JsonSchema {
  const out: Record<string, unknown> = {};
  const src = s as Record<string, unknown>;
  const put = (k: string) => {
    const v = src[k];
    if (v === undefined) return;
    if (k === "properties") {
      const props: Record<string, JsonSchema> = {};
      for (const [p, ps] of Object.entries(s.properties!)) props[p] = orderKeys(ps);
      out[k] = props;
    } else if (k === "items" || (k === "additionalProperties" && typeof v === "object")) {
      out[k] = orderKeys(v as JsonSchema);
    } else out[k] = v;
  };
  for (const k of KEY_ORDER) put(k);
  for (const k of Object.keys(src)) if (!ORDERED.has(k)) put(k);
  return out as JsonSchema;
}

function stripUndefined(t: TS.Type): TS.Type {
  if (!t.isUnion()) return t;
  const rest = t.types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
  if (rest.length === t.types.length) return t;
  // With several members left, `union()` filters undefined itself.
  return rest.length === 1 ? rest[0]! : t;
}

class SchemaDeriver {
  private readonly visiting = new Set<TS.Type>();
  constructor(private readonly ctx: SchemaContext) {}

  private report(def: Parameters<typeof diag>[0], args: unknown[], at: TS.Node | undefined): void {
    this.ctx.diagnostics.push(diag(def, args, this.ctx.originOf(at) ?? this.ctx.fallback));
  }

  derive(type: TS.Type, path: string, at: TS.Node | undefined, typeNode?: TS.TypeNode): JsonSchema {
    const { checker } = this.ctx;
    const f = type.flags;
    const name = () => checker.typeToString(type);
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      this.report(D.unsupportedAny, [path, name()], at);
      return {};
    }
    if (f & ts.TypeFlags.TypeParameter) {
      this.report(D.unresolvedGeneric, [path, name()], at);
      return {};
    }
    if (f & ts.TypeFlags.Boolean) return { type: "boolean" };
    if (f & ts.TypeFlags.StringLiteral) return { type: "string", enum: [(type as TS.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral) return { type: "number", enum: [(type as TS.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLiteral) return { type: "boolean", enum: [name() === "true"] };
    if (f & ts.TypeFlags.String) return { type: "string" };
    if (f & ts.TypeFlags.Number) return { type: "number" };
    if (type.isUnion()) return this.union(type, path, at, typeNode);
    if (type.isIntersection()) {
      if (isInteger(checker, type)) return { type: "integer" };
      return this.object(type, path, at);
    }
    if (f & ts.TypeFlags.Object) {
      if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
        this.report(D.unsupportedFunction, [path], at);
        return {};
      }
      if (checker.isTupleType(type)) {
        this.report(D.unsupportedType, [path, name(), "tuples have no structural schema; use an array"], at);
        return {};
      }
      if (checker.isArrayType(type)) {
        const item = checker.getTypeArguments(type as TS.TypeReference)[0];
        const itemNode = typeNode && ts.isArrayTypeNode(typeNode) ? typeNode.elementType : undefined;
        return { type: "array", items: item ? this.derive(item, `${path}[]`, at, itemNode) : {} };
      }
      return this.object(type, path, at);
    }
    this.report(D.unsupportedType, [path, name(), "not JSON data"], at);
    return {};
  }

  private union(type: TS.UnionType, path: string, at: TS.Node | undefined, typeNode?: TS.TypeNode): JsonSchema {
    const { checker } = this.ctx;
    const members = sourceOrder(type, typeNode).filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nullable = members.some((m) => m.flags & ts.TypeFlags.Null);
    const rest = members.filter((m) => !(m.flags & ts.TypeFlags.Null));
    let schema: JsonSchema | undefined;
    if (rest.length === 1) schema = this.derive(rest[0]!, path, at);
    else if (rest.length > 0 && rest.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) schema = { type: "boolean" };
    else if (rest.length > 0 && rest.every((m) => m.flags & ts.TypeFlags.StringLiteral)) {
      schema = { type: "string", enum: rest.map((m) => (m as TS.StringLiteralType).value) };
    } else if (rest.length > 0 && rest.every((m) => m.flags & ts.TypeFlags.NumberLiteral)) {
      schema = { type: "number", enum: rest.map((m) => (m as TS.NumberLiteralType).value) };
    }
    if (!schema) {
      this.report(
        D.unsupportedType,
        [path, checker.typeToString(type), "a union must be of string literals, number literals, or one type plus null/undefined"],
        at,
      );
      return {};
    }
    return nullable ? { ...schema, nullable: true } : schema;
  }

  private object(type: TS.Type, path: string, at: TS.Node | undefined): JsonSchema {
    const { checker } = this.ctx;
    if (this.visiting.has(type)) {
      this.report(D.recursiveType, [path, checker.typeToString(type)], at);
      return {};
    }
    this.visiting.add(type);
    try {
      const schema: JsonSchema = { type: "object" };
      // A named object type's own TSDoc (on its interface or type alias) describes it wherever it is
      // used (the whole parameters, a list's items); a property's TSDoc, applied after, wins.
      const named = type.aliasSymbol ?? type.getSymbol();
      if (named && !named.getName().startsWith("__")) {
        const text = ts.displayPartsToString(named.getDocumentationComment(checker)).trim();
        if (text) schema.description = text;
      }
      const properties: Record<string, JsonSchema> = {};
      const required: string[] = [];
      for (const prop of checker.getPropertiesOfType(type)) {
        const decl = prop.valueDeclaration ?? prop.declarations?.[0];
        const propPath = `${path}.${prop.name}`;
        if (decl && (ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl))) {
          this.report(D.unsupportedFunction, [propPath], decl);
          continue;
        }
        const optional = (prop.flags & ts.SymbolFlags.Optional) !== 0;
        const propType = checker.getTypeOfSymbol(prop);
        const node = decl && (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
        const s = this.derive(optional ? stripUndefined(propType) : propType, propPath, decl ?? at, node);
        Object.assign(s, docKeywords(this.ctx, prop, propPath, decl ?? at, s.type));
        properties[prop.name] = s;
        if (!optional) required.push(prop.name);
      }
      if (Object.keys(properties).length > 0) schema.properties = properties;
      if (required.length > 0) schema.required = required;
      const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
      if (index) schema.additionalProperties = this.derive(index.type, `${path}[string]`, index.declaration ?? at);
      return schema;
    } finally {
      this.visiting.delete(type);
    }
  }
}

/**
 * Union members in the order the user wrote them. The checker orders them by internal type id, which
 * depends on what else the program contains, so enums would change when unrelated files do.
 */
function sourceOrder(type: TS.UnionType, typeNode: TS.TypeNode | undefined): TS.Type[] {
  let node = typeNode;
  const alias = type.aliasSymbol?.declarations?.[0];
  if (alias && ts.isTypeAliasDeclaration(alias)) node = alias.type;
  while (node && ts.isParenthesizedTypeNode(node)) node = node.type;
  const order: string[] = [];
  if (node && ts.isUnionTypeNode(node)) {
    for (const m of node.types) {
      if (ts.isLiteralTypeNode(m)) order.push(m.literal.getText());
    }
  }
  const key = (t: TS.Type) =>
    t.isStringLiteral() ? JSON.stringify(t.value) : t.isNumberLiteral() ? String(t.value) : undefined;
  const rank = (t: TS.Type) => {
    const k = key(t);
    const i = k === undefined ? -1 : order.findIndex((o) => o === k || o.slice(1, -1) === k.slice(1, -1));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const fallback = (a: TS.Type, b: TS.Type) => ((key(a) ?? "") < (key(b) ?? "") ? -1 : (key(a) ?? "") > (key(b) ?? "") ? 1 : 0);
  return [...type.types].sort((a, b) => rank(a) - rank(b) || fallback(a, b));
}

/** `Integer` from "policyc" is `number & { __policycInteger?: never }`. */
function isInteger(checker: TS.TypeChecker, type: TS.IntersectionType): boolean {
  return (
    type.types.some((m) => m.flags & ts.TypeFlags.Number) &&
    type.types.some((m) => checker.getPropertyOfType(m, "__policycInteger") !== undefined)
  );
}

const numberTags = new Set(["minimum", "maximum"]);
const lengthTags = new Set(["minLength", "maxLength"]);

/** `description` from the TSDoc text and keywords from the supported tags. */
function docKeywords(
  ctx: SchemaContext,
  symbol: TS.Symbol,
  path: string,
  at: TS.Node | undefined,
  type: JsonSchema["type"],
): JsonSchema {
  const out: JsonSchema = {};
  let text = ts.displayPartsToString(symbol.getDocumentationComment(ctx.checker)).trim();
  let tags = symbol.getJsDocTags(ctx.checker).map((t) => ({ name: t.name, value: ts.displayPartsToString(t.text).trim() }));
  if (!text && tags.length === 0) ({ text, tags } = sameLineDoc(symbol) ?? { text, tags });
  if (text) out.description = text;
  const bad = (tag: string, why: string) =>
    ctx.diagnostics.push(diag(D.badDocTag, [path, tag, why], ctx.originOf(at) ?? ctx.fallback));
  for (const tag of tags) {
    const value = tag.value;
    if (numberTags.has(tag.name)) {
      const n = Number(value);
      if (value === "" || !Number.isFinite(n)) bad(tag.name, `needs a number, got \`${value}\``);
      else if (type !== "number" && type !== "integer") bad(tag.name, "applies to numbers only");
      else out[tag.name as "minimum" | "maximum"] = n;
    } else if (lengthTags.has(tag.name)) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || value === "") bad(tag.name, `needs a non-negative integer, got \`${value}\``);
      else if (type !== "string") bad(tag.name, "applies to strings only");
      else out[tag.name as "minLength" | "maxLength"] = n;
    } else if (tag.name === "pattern") {
      try {
        new RegExp(value);
        if (type !== "string") bad(tag.name, "applies to strings only");
        else out.pattern = value;
      } catch {
        bad(tag.name, `is not a valid regular expression: \`${value}\``);
      }
    } else if (tag.name === "format") {
      if (!value) bad(tag.name, "needs a format name");
      else out.format = value;
    } else if (tag.name === "default") {
      try {
        out.default = JSON.parse(value);
      } catch {
        if (type === "string") out.default = value;
        else bad(tag.name, `needs a JSON value, got \`${value}\``);
      }
    } else if (tag.name === "example") {
      // OpenAPI's `example`: JSON when it parses, otherwise the text itself.
      if (!value) bad(tag.name, "needs a value");
      else {
        try {
          out.example = JSON.parse(value);
        } catch {
          out.example = value;
        }
      }
    }
  }
  return out;
}

/**
 * TSDoc on the line of the token before the property (`{ /** The key. *\/ key: string }`): TypeScript
 * takes such a comment as trailing the `{` or `;`, not as the property's documentation, yet it is
 * plainly written for the property. Parsed as the JSDoc of a stand-in declaration.
 */
function sameLineDoc(symbol: TS.Symbol): { text: string; tags: { name: string; value: string }[] } | undefined {
  const decl = symbol.declarations?.[0];
  if (!decl || !(ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl))) return undefined;
  const source = decl.getSourceFile().text;
  const doc = (ts.getTrailingCommentRanges(source, decl.pos) ?? []).filter((r) => source.startsWith("/**", r.pos) && r.end <= decl.getStart()).pop();
  if (!doc) return undefined;
  const stand = ts.createSourceFile("doc.ts", `${source.slice(doc.pos, doc.end)}\ndeclare const x: unknown;\n`, ts.ScriptTarget.Latest, true);
  const statement = stand.statements[0];
  const jsDoc = statement ? ts.getJSDocCommentsAndTags(statement).find(ts.isJSDoc) : undefined;
  if (!jsDoc) return undefined;
  return {
    text: (ts.getTextOfJSDocComment(jsDoc.comment) ?? "").trim(),
    tags: (jsDoc.tags ?? []).map((t) => ({ name: t.tagName.text, value: (ts.getTextOfJSDocComment(t.comment) ?? "").trim() })),
  };
}
