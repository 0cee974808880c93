/**
 * The structure of Kubernetes' built-in kinds for the CEL type-checker, derived from the
 * `kubernetes-types` package (the typings the DSL's check bodies are checked against, so both
 * checkers see one Kubernetes release). Each interface becomes a named object shape whose fields
 * are scalars (`string`, `int`, `bool`), lists, maps, references to other shapes, or `dyn` where the
 * API server's schema is open or two-typed (int-or-string, `Time`, `RawExtension`, JSON). A
 * `Quantity` is a string, as in the API server's CEL. Every interface with literal `apiVersion` and
 * `kind` is a kind. `npm run prepare` writes the table once to `dist/.cache/kubernetes-shapes.json`
 * (`kubernetes-shapes-write.ts`); without it (or for another `kubernetes-types` release) the table is
 * derived here on first use, by reading the typings' syntax (no type-checker: ~0.2 s).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type * as TS from "typescript";
import { packageRoot } from "../../frontend/paths.js";

/**
 * A field's type: a scalar, `dyn`, a list, a map with string keys, a reference to a named shape of the
 * table, or an object written in place (parameters schemas).
 */
export type Shape =
  | "string"
  | "int"
  | "double"
  | "bool"
  | "dyn"
  | { list: Shape }
  | { map: Shape }
  | { ref: string }
  | ObjectShape;

export interface ObjectShape {
  obj: Record<string, Shape>;
  /** Shown in messages: `apps/v1.DeploymentSpec`, `parameters`. */
  name: string;
  /** For a kind's top-level shape: its `kind`, so `object.kind == "Pod"` narrows to it. */
  kind?: string;
  /** Fields it does not declare may exist (`dyn`): an object of a kind without a schema. */
  open?: boolean;
}

export interface KindEntry {
  group: string;
  version: string;
  kind: string;
  /** The name of its shape in `shapes`. */
  shape: string;
}

export interface KubernetesShapes {
  /** Names the source: `kubernetes-types <version>`; a cached table is used only under its own key. */
  key: string;
  shapes: Record<string, ObjectShape>;
  kinds: KindEntry[];
}

const require = createRequire(import.meta.url);

export const shapesCacheFile = path.join(packageRoot, "dist", ".cache", "kubernetes-shapes.json");

function typesRoot(): string {
  return path.dirname(require.resolve("kubernetes-types/package.json"));
}

export function shapesKey(): string {
  const pkg = JSON.parse(readFileSync(path.join(typesRoot(), "package.json"), "utf8")) as { version: string };
  return `kubernetes-types ${pkg.version}; shapes 2`;
}

let loaded: KubernetesShapes | undefined;
let byKind: Map<string, KindEntry[]> | undefined;

/** The table: the precompiled one when its key matches, else derived now (once per process). */
export function kubernetesShapes(): KubernetesShapes {
  if (loaded) return loaded;
  const key = shapesKey();
  if (existsSync(shapesCacheFile)) {
    try {
      const cached = JSON.parse(readFileSync(shapesCacheFile, "utf8")) as KubernetesShapes;
      if (cached.key === key) return (loaded = cached);
    } catch {
      // A damaged cache is ignored: the table is derived again below.
    }
  }
  return (loaded = deriveShapes(key));
}

/**
 * The kinds with this `kind` in one of `groups` (`*` for any), every served version. Empty when
 * kubernetes-types does not know the kind (a custom resource).
 */
export function kindsNamed(kind: string, groups: readonly string[]): KindEntry[] {
  if (!byKind) {
    byKind = new Map();
    for (const k of kubernetesShapes().kinds) {
      const list = byKind.get(k.kind) ?? [];
      list.push(k);
      byKind.set(k.kind, list);
    }
  }
  const all = byKind.get(kind) ?? [];
  return groups.includes("*") ? all : all.filter((k) => groups.includes(k.group));
}

/** Reads every `.d.ts` of kubernetes-types and builds the table. */
export function deriveShapes(key = shapesKey()): KubernetesShapes {
  const ts = require("typescript") as typeof TS;
  const root = typesRoot();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".d.ts")) files.push(p);
    }
  };
  walk(root);
  const moduleName = (file: string) => path.relative(root, file).split(path.sep).join("/").replace(/\.d\.ts$/, "");
  const shapes: Record<string, ObjectShape> = {};
  const kinds: KindEntry[] = [];
  for (const file of files) {
    const mod = moduleName(file);
    const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, false);
    // Imported names resolve to the module they come from; the rest are this module's.
    const imported = new Map<string, string>();
    const aliases = new Map<string, TS.TypeNode>();
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
        const target = path.posix.join(path.posix.dirname(mod), st.moduleSpecifier.text);
        for (const el of st.importClause.namedBindings.elements) imported.set(el.name.text, `${target}.${(el.propertyName ?? el.name).text}`);
      } else if (ts.isTypeAliasDeclaration(st)) aliases.set(st.name.text, st.type);
    }
    const refName = (name: string) => imported.get(name) ?? `${mod}.${name}`;
    const shapeOf = (t: TS.TypeNode): Shape => {
      if (t.kind === ts.SyntaxKind.StringKeyword) return "string";
      if (t.kind === ts.SyntaxKind.NumberKeyword) return "int";
      if (t.kind === ts.SyntaxKind.BooleanKeyword) return "bool";
      if (ts.isLiteralTypeNode(t)) return ts.isStringLiteral(t.literal) ? "string" : t.literal.kind === ts.SyntaxKind.TrueKeyword || t.literal.kind === ts.SyntaxKind.FalseKeyword ? "bool" : "dyn";
      if (ts.isArrayTypeNode(t)) return { list: shapeOf(t.elementType) };
      if (ts.isParenthesizedTypeNode(t)) return shapeOf(t.type);
      if (ts.isUnionTypeNode(t)) {
        const parts = t.types.map(shapeOf);
        return parts.every((p) => JSON.stringify(p) === JSON.stringify(parts[0])) ? parts[0]! : "dyn";
      }
      if (ts.isTypeLiteralNode(t)) {
        const index = t.members.find(ts.isIndexSignatureDeclaration);
        if (index?.type && t.members.length === 1) return { map: shapeOf(index.type) };
        return "dyn";
      }
      if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
        const name = t.typeName.text;
        if (name === "Array" && t.typeArguments?.length === 1) return { list: shapeOf(t.typeArguments[0]!) };
        // Quantity is a string in the API server's CEL; Time and MicroTime are timestamps there but
        // strings in Gatekeeper's untyped objects, so neither type is assumed.
        if (name === "Quantity") return "string";
        if (name === "Time" || name === "MicroTime") return "dyn";
        const alias = aliases.get(name);
        if (alias) return shapeOf(alias);
        return { ref: refName(name) };
      }
      return "dyn";
    };
    for (const st of sf.statements) {
      if (!ts.isInterfaceDeclaration(st)) continue;
      const name = `${mod}.${st.name.text}`;
      const obj: Record<string, Shape> = {};
      let apiVersion: string | undefined;
      let kind: string | undefined;
      for (const m of st.members) {
        if (!ts.isPropertySignature(m) || !m.type) continue;
        const field = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : undefined;
        if (field === undefined) continue;
        obj[field] = shapeOf(m.type);
        if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
          if (field === "apiVersion") apiVersion = m.type.literal.text;
          if (field === "kind") kind = m.type.literal.text;
        }
      }
      shapes[name] = { obj, name };
      if (apiVersion && kind) {
        shapes[name].kind = kind;
        const [group, version] = apiVersion.includes("/") ? (apiVersion.split("/") as [string, string]) : ["", apiVersion];
        kinds.push({ group, version, kind, shape: name });
      }
    }
  }
  // An interface without fields (RawExtension, JSON, FieldsV1) holds anything.
  for (const s of Object.values(shapes)) {
    for (const [f, v] of Object.entries(s.obj)) s.obj[f] = openEmpty(v, shapes);
  }
  for (const [name, fields] of Object.entries(shapes)) {
    const missing = OMITTED_BY_TYPINGS[name.replace(/^[^/]+\/[^.]+\./, "")];
    if (missing && name.startsWith("admissionregistration/")) Object.assign(fields.obj, missing);
  }
  return { key, shapes, kinds };
}

/**
 * Fields the API has but the kubernetes-types typings (1.30) lack: the admission rules' own
 * `resources` and `scope`. Without them, webhook and ValidatingAdmissionPolicy rules would lack the
 * fields every rule sets, and CEL reading them would be refused.
 */
const OMITTED_BY_TYPINGS: Record<string, Record<string, Shape>> = {
  RuleWithOperations: { resources: { list: "string" }, scope: "string" },
  NamedRuleWithOperations: { resources: { list: "string" }, scope: "string" },
};

function openEmpty(s: Shape, shapes: Record<string, ObjectShape>): Shape {
  if (typeof s === "string") return s;
  if ("list" in s) return { list: openEmpty(s.list, shapes) };
  if ("map" in s) return { map: openEmpty(s.map, shapes) };
  if ("ref" in s) {
    const target = shapes[s.ref];
    return !target || Object.keys(target.obj).length === 0 ? "dyn" : s;
  }
  return s;
}
