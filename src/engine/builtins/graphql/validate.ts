/**
 * GraphQL schema building and validation (the checks gqlparser's LoadSchema makes) and query
 * validation against a schema (the core executable-document rules: fields and arguments exist,
 * required arguments are given, leaf/composite selections, fragments, variables, directives and
 * literal values). Both work on the pruned AST shape produced by parser.ts.
 */
import { GraphQLError, type Json, type Obj } from "./parser.js";

interface TypeRef {
  NamedType: string;
  Elem?: TypeRef;
  NonNull: boolean;
}

interface FieldDef {
  name: string;
  type: TypeRef;
  args: Map<string, { type: TypeRef; hasDefault: boolean }>;
}

interface TypeDef {
  kind: string;
  name: string;
  fields: Map<string, FieldDef>;
  interfaces: string[];
  types: string[];
  enumValues: Set<string>;
  builtIn: boolean;
}

interface DirectiveDef {
  name: string;
  args: Map<string, { type: TypeRef; hasDefault: boolean }>;
  locations: string[];
}

export interface Schema {
  types: Map<string, TypeDef>;
  directives: Map<string, DirectiveDef>;
  query?: string;
  mutation?: string;
  subscription?: string;
}

const arr = (v: Json | undefined): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: Json | undefined): string => (typeof v === "string" ? v : "");

function fail(msg: string): never {
  throw new GraphQLError(msg);
}

function typeRef(v: Json | undefined): TypeRef {
  const o = (v ?? {}) as Obj;
  const t: TypeRef = { NamedType: str(o.NamedType), NonNull: o.NonNull === true };
  if (o.Elem) t.Elem = typeRef(o.Elem);
  return t;
}

function named(t: TypeRef): string {
  return t.Elem ? named(t.Elem) : t.NamedType;
}

function typeString(t: TypeRef): string {
  return (t.Elem ? `[${typeString(t.Elem)}]` : t.NamedType) + (t.NonNull ? "!" : "");
}

function argMap(list: Json | undefined): Map<string, { type: TypeRef; hasDefault: boolean }> {
  const m = new Map<string, { type: TypeRef; hasDefault: boolean }>();
  for (const a of arr(list)) {
    const name = str(a.Name);
    if (m.has(name)) fail(`Argument ${name} is defined twice`);
    m.set(name, { type: typeRef(a.Type), hasDefault: a.DefaultValue !== undefined && a.DefaultValue !== null });
  }
  return m;
}

const BUILTIN_SCALARS = ["Int", "Float", "String", "Boolean", "ID"];

function newType(kind: string, name: string, builtIn = false): TypeDef {
  return { kind, name, fields: new Map(), interfaces: [], types: [], enumValues: new Set(), builtIn };
}

function prelude(): Schema {
  const types = new Map<string, TypeDef>();
  for (const s of BUILTIN_SCALARS) types.set(s, newType("SCALAR", s, true));
  const bool: TypeRef = { NamedType: "Boolean", NonNull: true };
  const directives = new Map<string, DirectiveDef>([
    ["include", { name: "include", args: new Map([["if", { type: bool, hasDefault: false }]]), locations: ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"] }],
    ["skip", { name: "skip", args: new Map([["if", { type: bool, hasDefault: false }]]), locations: ["FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"] }],
    [
      "deprecated",
      { name: "deprecated", args: new Map([["reason", { type: { NamedType: "String", NonNull: false }, hasDefault: true }]]), locations: ["FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INPUT_FIELD_DEFINITION", "ENUM_VALUE"] },
    ],
    ["specifiedBy", { name: "specifiedBy", args: new Map([["url", { type: { NamedType: "String", NonNull: true }, hasDefault: false }]]), locations: ["SCALAR"] }],
    ["oneOf", { name: "oneOf", args: new Map(), locations: ["INPUT_OBJECT"] }],
  ]);
  return { types, directives };
}

function addMembers(t: TypeDef, d: Obj): void {
  for (const f of arr(d.Fields)) {
    const name = str(f.Name);
    if (t.fields.has(name)) fail(`Field ${t.name}.${name} can only be defined once.`);
    t.fields.set(name, { name, type: typeRef(f.Type), args: argMap(f.Arguments) });
  }
  for (const i of Array.isArray(d.Interfaces) ? d.Interfaces : []) if (typeof i === "string") t.interfaces.push(i);
  for (const u of Array.isArray(d.Types) ? d.Types : []) if (typeof u === "string") t.types.push(u);
  for (const e of arr(d.EnumValues)) {
    const name = str(e.Name);
    if (t.enumValues.has(name)) fail(`Enum value ${t.name}.${name} can only be defined once.`);
    t.enumValues.add(name);
  }
}

const isInput = (t: TypeDef | undefined) => !!t && (t.kind === "SCALAR" || t.kind === "ENUM" || t.kind === "INPUT_OBJECT");
const isOutput = (t: TypeDef | undefined) => !!t && t.kind !== "INPUT_OBJECT";

/** Builds and validates a schema from a schema document AST. */
export function buildSchema(doc: Obj): Schema {
  const s = prelude();
  const { types } = s;
  for (const d of arr(doc.Definitions)) {
    const name = str(d.Name);
    const existing = types.get(name);
    if (existing && !existing.builtIn) fail(`Cannot redeclare type ${name}.`);
    const t = newType(str(d.Kind), name);
    addMembers(t, d);
    types.set(name, t);
  }
  for (const d of arr(doc.Extensions)) {
    const name = str(d.Name);
    let t = types.get(name);
    if (!t) {
      t = newType(str(d.Kind), name);
      types.set(name, t);
    } else if (t.kind !== str(d.Kind)) fail(`Cannot extend type ${name} because the base type is a ${t.kind}, not ${str(d.Kind)}.`);
    addMembers(t, d);
  }
  for (const d of arr(doc.Directives)) {
    const name = str(d.Name);
    if (s.directives.has(name) && !["include", "skip", "deprecated", "specifiedBy", "oneOf"].includes(name)) fail(`Cannot redeclare directive ${name}.`);
    s.directives.set(name, { name, args: argMap(d.Arguments), locations: (Array.isArray(d.Locations) ? d.Locations : []).map(String) });
  }
  for (const sd of [...arr(doc.Schema), ...arr(doc.SchemaExtension)]) {
    for (const op of arr(sd.OperationTypes)) {
      const o = str(op.Operation);
      const ty = str(op.Type);
      if (!types.has(ty)) fail(`Schema root ${o} refers to a type ${ty} that does not exist.`);
      if (o === "query") s.query = ty;
      else if (o === "mutation") s.mutation = ty;
      else if (o === "subscription") s.subscription = ty;
    }
    checkDirectives(s, sd.Directives, "SCHEMA");
  }
  if (arr(doc.Schema).length === 0) {
    if (types.has("Query")) s.query = "Query";
    if (types.has("Mutation")) s.mutation = "Mutation";
    if (types.has("Subscription")) s.subscription = "Subscription";
  }
  for (const d of [...arr(doc.Definitions), ...arr(doc.Extensions)]) {
    const kindLoc: Record<string, string> = { SCALAR: "SCALAR", OBJECT: "OBJECT", INTERFACE: "INTERFACE", UNION: "UNION", ENUM: "ENUM", INPUT_OBJECT: "INPUT_OBJECT" };
    checkDirectives(s, d.Directives, kindLoc[str(d.Kind)] ?? "");
    for (const f of arr(d.Fields)) {
      checkDirectives(s, f.Directives, str(d.Kind) === "INPUT_OBJECT" ? "INPUT_FIELD_DEFINITION" : "FIELD_DEFINITION");
      for (const a of arr(f.Arguments)) checkDirectives(s, a.Directives, "ARGUMENT_DEFINITION");
    }
    for (const e of arr(d.EnumValues)) checkDirectives(s, e.Directives, "ENUM_VALUE");
  }
  for (const t of types.values()) validateType(s, t);
  for (const d of s.directives.values()) {
    for (const [n, a] of d.args) if (!isInput(types.get(named(a.type)))) fail(`Argument ${n} of @${d.name} must be an input type.`);
  }
  return s;
}

function checkDirectives(s: Schema, list: Json | undefined, location: string): void {
  for (const d of arr(list)) {
    const def = s.directives.get(str(d.Name));
    if (!def) fail(`Undefined directive ${str(d.Name)}.`);
    if (location && !def.locations.includes(location)) fail(`Directive ${str(d.Name)} is not applicable on ${location}.`);
  }
}

function validateType(s: Schema, t: TypeDef): void {
  if (t.builtIn) return;
  if (t.name.startsWith("__")) fail(`Name "${t.name}" must not begin with "__", which is reserved by GraphQL introspection.`);
  const types = s.types;
  switch (t.kind) {
    case "OBJECT":
    case "INTERFACE": {
      if (t.fields.size === 0) fail(`${t.kind} ${t.name}: must define one or more fields.`);
      for (const f of t.fields.values()) {
        const ft = types.get(named(f.type));
        if (!ft) fail(`Undefined type ${named(f.type)}.`);
        if (!isOutput(ft)) fail(`${t.name}.${f.name} must be an output type.`);
        for (const [an, a] of f.args) {
          const at = types.get(named(a.type));
          if (!at) fail(`Undefined type ${named(a.type)}.`);
          if (!isInput(at)) fail(`${t.name}.${f.name}(${an}) must be an input type.`);
        }
      }
      const seen = new Set<string>();
      for (const i of t.interfaces) {
        const it = types.get(i);
        if (!it) fail(`Undefined type ${i}.`);
        if (it.kind !== "INTERFACE") fail(`${t.name} must only implement Interface types, it implements ${i}.`);
        seen.add(i);
      }
      for (const i of t.interfaces) {
        const it = types.get(i)!;
        for (const ii of it.interfaces) if (!seen.has(ii)) fail(`${t.name} must implement ${ii} because it is implemented by ${i}.`);
        for (const f of it.fields.values()) {
          const mine = t.fields.get(f.name);
          if (!mine) fail(`For ${t.name} to implement ${i} it must have a field called ${f.name}.`);
          if (!isSubtype(s, mine.type, f.type)) fail(`For ${t.name} to implement ${i} the field ${f.name} must have type ${typeString(f.type)}.`);
        }
      }
      break;
    }
    case "UNION":
      if (t.types.length === 0) fail(`UNION ${t.name}: must define one or more unique member types.`);
      for (const u of t.types) {
        const ut = types.get(u);
        if (!ut) fail(`Undefined type ${u}.`);
        if (ut.kind !== "OBJECT") fail(`UNION type "${u}" must be OBJECT.`);
      }
      break;
    case "ENUM":
      if (t.enumValues.size === 0) fail(`ENUM ${t.name}: must define one or more unique enum values.`);
      break;
    case "INPUT_OBJECT":
      if (t.fields.size === 0) fail(`INPUT_OBJECT ${t.name}: must define one or more input fields.`);
      for (const f of t.fields.values()) {
        const ft = types.get(named(f.type));
        if (!ft) fail(`Undefined type ${named(f.type)}.`);
        if (!isInput(ft)) fail(`${t.name}.${f.name} must be an input type.`);
      }
      break;
  }
}

function isSubtype(s: Schema, sub: TypeRef, sup: TypeRef): boolean {
  if (sup.NonNull && !sub.NonNull) return false;
  if (sub.NonNull && !sup.NonNull) return isSubtype(s, { ...sub, NonNull: false }, sup);
  if (sup.Elem || sub.Elem) return !!sup.Elem && !!sub.Elem && isSubtype(s, sub.Elem, sup.Elem);
  if (sub.NamedType === sup.NamedType) return true;
  const st = s.types.get(sub.NamedType);
  const pt = s.types.get(sup.NamedType);
  if (!st || !pt) return false;
  if (pt.kind === "INTERFACE") return st.interfaces.includes(pt.name);
  if (pt.kind === "UNION") return pt.types.includes(st.name);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Query validation
// ---------------------------------------------------------------------------------------------

interface Ctx {
  s: Schema;
  fragments: Map<string, Obj>;
  usedVars: Set<string>;
  varDefs: Map<string, TypeRef & { hasDefault: boolean }>;
  visitedFragments: Set<string>;
}

const LEAF = new Set(["SCALAR", "ENUM"]);

export function validateQuery(s: Schema, doc: Obj): void {
  const ops = arr(doc.Operations);
  const fragments = new Map<string, Obj>();
  for (const f of arr(doc.Fragments)) {
    const n = str(f.Name);
    if (fragments.has(n)) fail(`There can be only one fragment named "${n}".`);
    fragments.set(n, f);
  }
  const names = new Set<string>();
  for (const op of ops) {
    const n = str(op.Name);
    if (n === "" && ops.length > 1) fail("This anonymous operation must be the only defined operation.");
    if (n && names.has(n)) fail(`There can be only one operation named "${n}".`);
    names.add(n);
  }
  const usedFragments = new Set<string>();
  for (const op of ops) {
    const kind = str(op.Operation);
    const rootName = kind === "mutation" ? s.mutation : kind === "subscription" ? s.subscription : s.query;
    if (!rootName) fail(`Schema is not configured for ${kind === "query" ? "queries" : kind + "s"}.`);
    const varDefs = new Map<string, TypeRef & { hasDefault: boolean }>();
    for (const v of arr(op.VariableDefinitions)) {
      const vn = str(v.Variable);
      if (varDefs.has(vn)) fail(`There can be only one variable named "$${vn}".`);
      const tr = typeRef(v.Type);
      const vt = s.types.get(named(tr));
      if (!vt) fail(`Unknown type "${named(tr)}".`);
      if (!isInput(vt)) fail(`Variable "$${vn}" cannot be non-input type "${typeString(tr)}".`);
      varDefs.set(vn, { ...tr, hasDefault: v.DefaultValue !== undefined && v.DefaultValue !== null });
      if (v.DefaultValue) checkValue(s, v.DefaultValue as Obj, tr, undefined);
    }
    const ctx: Ctx = { s, fragments, usedVars: new Set(), varDefs, visitedFragments: new Set() };
    checkDirectivesAt(ctx, op.Directives, kind.toUpperCase());
    checkSelections(ctx, arr(op.SelectionSet), s.types.get(rootName)!, rootName === s.query);
    for (const f of ctx.visitedFragments) usedFragments.add(f);
    for (const vn of varDefs.keys()) if (!ctx.usedVars.has(vn)) fail(`Variable "$${vn}" is never used.`);
  }
  for (const f of fragments.keys()) if (!usedFragments.has(f)) fail(`Fragment "${f}" is never used.`);
}

function checkDirectivesAt(ctx: Ctx, list: Json | undefined, location: string): void {
  for (const d of arr(list)) {
    const def = ctx.s.directives.get(str(d.Name));
    if (!def) fail(`Unknown directive "@${str(d.Name)}".`);
    if (!def.locations.includes(location)) fail(`Directive "@${def.name}" may not be used on ${location}.`);
    checkArguments(ctx, def.args, d.Arguments, `Directive "@${def.name}"`);
  }
}

function checkArguments(ctx: Ctx, defs: Map<string, { type: TypeRef; hasDefault: boolean }>, given: Json | undefined, what: string): void {
  const seen = new Set<string>();
  for (const a of arr(given)) {
    const n = str(a.Name);
    const def = defs.get(n);
    if (!def) fail(`Unknown argument "${n}" on ${what}.`);
    if (seen.has(n)) fail(`There can be only one argument named "${n}".`);
    seen.add(n);
    checkValue(ctx.s, a.Value as Obj, def.type, ctx);
  }
  for (const [n, d] of defs) {
    if (d.type.NonNull && !d.hasDefault && !seen.has(n)) fail(`${what} argument "${n}" of type "${typeString(d.type)}" is required, but it was not provided.`);
  }
}

function checkValue(s: Schema, v: Obj | undefined, t: TypeRef, ctx: Ctx | undefined): void {
  if (!v) return;
  const kind = v.Kind as number;
  const raw = str(v.Raw);
  if (kind === 0) {
    if (!ctx) fail("Variables are not allowed here.");
    const def = ctx.varDefs.get(raw);
    if (!def) fail(`Variable "$${raw}" is not defined.`);
    ctx.usedVars.add(raw);
    const effective = def.hasDefault ? { ...def, NonNull: true } : def;
    if (!isSubtype(s, effective, t)) fail(`Variable "$${raw}" of type "${typeString(def)}" used in position expecting type "${typeString(t)}".`);
    return;
  }
  if (kind === 6) {
    if (t.NonNull) fail(`Expected value of type "${typeString(t)}", found null.`);
    return;
  }
  if (t.Elem) {
    if (kind === 8) for (const c of arr(v.Children)) checkValue(s, c.Value as Obj, t.Elem, ctx);
    else checkValue(s, v, t.Elem, ctx);
    return;
  }
  const ty = s.types.get(t.NamedType);
  if (!ty) return;
  const bad = () => fail(`Expected value of type "${typeString(t)}", found ${raw || "a composite value"}.`);
  switch (ty.kind) {
    case "SCALAR":
      if (t.NamedType === "Int" && kind !== 1) bad();
      if (t.NamedType === "Float" && kind !== 1 && kind !== 2) bad();
      if (t.NamedType === "String" && kind !== 3 && kind !== 4) bad();
      if (t.NamedType === "Boolean" && kind !== 5) bad();
      if (t.NamedType === "ID" && kind !== 1 && kind !== 3 && kind !== 4) bad();
      break;
    case "ENUM":
      if (kind !== 7 || !ty.enumValues.has(raw)) bad();
      break;
    case "INPUT_OBJECT": {
      if (kind !== 9) bad();
      const given = new Set<string>();
      for (const c of arr(v.Children)) {
        const n = str(c.Name);
        const f = ty.fields.get(n);
        if (!f) fail(`Field "${n}" is not defined by type "${ty.name}".`);
        given.add(n);
        checkValue(s, c.Value as Obj, f.type, ctx);
      }
      for (const f of ty.fields.values()) if (f.type.NonNull && !given.has(f.name)) fail(`Field "${ty.name}.${f.name}" of required type "${typeString(f.type)}" was not provided.`);
      break;
    }
  }
}

function checkSelections(ctx: Ctx, sels: Obj[], parent: TypeDef, isQueryRoot: boolean): void {
  for (const sel of sels) {
    if ("TypeCondition" in sel || (sel.SelectionSet !== undefined && sel.Alias === undefined && sel.Name === undefined)) {
      // inline fragment
      const cond = str(sel.TypeCondition);
      const t = cond ? ctx.s.types.get(cond) : parent;
      if (!t) fail(`Unknown type "${cond}".`);
      if (LEAF.has(t.kind) || t.kind === "INPUT_OBJECT") fail(`Fragment cannot condition on non composite type "${cond}".`);
      checkDirectivesAt(ctx, sel.Directives, "INLINE_FRAGMENT");
      checkSelections(ctx, arr(sel.SelectionSet), t, false);
      continue;
    }
    if (sel.Alias === undefined) {
      // fragment spread
      const n = str(sel.Name);
      const frag = ctx.fragments.get(n);
      if (!frag) fail(`Unknown fragment "${n}".`);
      checkDirectivesAt(ctx, sel.Directives, "FRAGMENT_SPREAD");
      if (ctx.visitedFragments.has(n)) continue;
      ctx.visitedFragments.add(n);
      const t = ctx.s.types.get(str(frag.TypeCondition));
      if (!t) fail(`Unknown type "${str(frag.TypeCondition)}".`);
      if (LEAF.has(t.kind) || t.kind === "INPUT_OBJECT") fail(`Fragment "${n}" cannot condition on non composite type "${t.name}".`);
      checkDirectivesAt(ctx, frag.Directives, "FRAGMENT_DEFINITION");
      checkSelections(ctx, arr(frag.SelectionSet), t, false);
      continue;
    }
    const name = str(sel.Name);
    checkDirectivesAt(ctx, sel.Directives, "FIELD");
    if (name === "__typename") {
      if (sel.SelectionSet) fail(`Field "__typename" must not have a selection since type "String!" has no subfields.`);
      continue;
    }
    if (isQueryRoot && (name === "__schema" || name === "__type")) continue;
    const f = parent.kind === "OBJECT" || parent.kind === "INTERFACE" ? parent.fields.get(name) : undefined;
    if (!f) fail(`Cannot query field "${name}" on type "${parent.name}".`);
    checkArguments(ctx, f.args, sel.Arguments, `field "${name}"`);
    const ft = ctx.s.types.get(named(f.type))!;
    const sub = arr(sel.SelectionSet);
    if (LEAF.has(ft.kind)) {
      if (sub.length) fail(`Field "${name}" must not have a selection since type "${typeString(f.type)}" has no subfields.`);
    } else {
      if (!sub.length) fail(`Field "${name}" of type "${typeString(f.type)}" must have a selection of subfields.`);
      checkSelections(ctx, sub, ft, false);
    }
  }
}
