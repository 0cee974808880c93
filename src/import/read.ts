/**
 * Reads existing Gatekeeper YAML for `policyc import`: every ConstraintTemplate (its kind, metadata,
 * parameters schema and Rego, legacy `rego:` field or a `code[]` Rego entry, and its
 * `K8sNativeValidation` CEL, type-checked here at the template's line with the object typed by the
 * kinds its constraints among the inputs match and the parameters by its schema) and every Constraint,
 * from files and folders, with positions for diagnostics. YAML is read as gator reads it.
 */
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describeFsError, diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { checkK8sNativeValidation } from "../engine/cel/check.js";
import { objectShapes, shapeOfSchema, type MatchedKinds } from "../engine/cel/schema-types.js";
import { isScalar } from "yaml";
import { isDiagnostic, readYamlFile, spanAt, type YamlDoc, type YamlFile } from "../testing/yaml-files.js";
import { PC8 } from "./diagnostics.js";

export interface ImportedTemplate {
  /** Where it came from, relative to the working directory. */
  source: string;
  span: Span;
  kind: string;
  name: string;
  title?: string;
  description?: string;
  shortNames: string[];
  schema?: unknown;
  rego: string;
  libs: string[];
  regoVersion: "v0" | "v1";
  /** The `source` of the template's `K8sNativeValidation` code entry, carried over as `k8sNativeValidation`. */
  cel?: Record<string, unknown>;
  /** Template annotations other than the title and description. */
  annotations: Record<string, string>;
  /** Code and targets the DSL has no place for, named for the generated file's comment. */
  dropped: string[];
}

export interface ImportedConstraint {
  source: string;
  span: Span;
  kind: string;
  name: string;
  spec: Record<string, unknown>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A gator Suite among the inputs; its tests become the imported checks' test cases (suites.ts). */
export interface ImportedSuiteFile {
  /** Relative to the working directory. */
  source: string;
  /** Absolute. */
  file: string;
}

export interface ImportInputs {
  templates: ImportedTemplate[];
  constraints: ImportedConstraint[];
  suites: ImportedSuiteFile[];
  diagnostics: Diagnostic[];
}

const TEMPLATE_API = /^templates\.gatekeeper\.sh\//;
const CONSTRAINT_API = /^constraints\.gatekeeper\.sh\//;
const SUITE_API = /^test\.gatekeeper\.sh\//;
/** Template annotations the DSL has its own fields for. */
const OWN_ANNOTATIONS = new Set(["metadata.gatekeeper.sh/title", "description"]);

/** Every .yaml/.yml file under the given paths (relative to cwd), sorted. */
export function yamlFiles(cwd: string, inputs: readonly string[], diagnostics: Diagnostic[]): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name === "node_modules" || e.name.startsWith(".")) continue;
      const p = path.join(abs, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  for (const input of inputs) {
    const abs = path.resolve(cwd, input);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      diagnostics.push(diag(PC8.noInputs, [input], undefined, [(e as NodeJS.ErrnoException).code === "ENOENT" ? "it does not exist" : `it cannot be read: ${describeFsError(e)}`]));
      continue;
    }
    const before = out.length;
    if (isDir) walk(abs);
    else out.push(abs);
    if (out.length === before) diagnostics.push(diag(PC8.noInputs, [input]));
  }
  return [...new Set(out)];
}

/** A template's CEL waiting for the constraints (they type its object) before it is checked. */
interface PendingCel {
  template: ImportedTemplate;
  source: Record<string, unknown>;
  /** The span of a path inside the code entry's `source`, at `offset` in its string value. */
  at: (path: (string | number)[], offset: number) => Span;
}

export function readImportInputs(cwd: string, inputs: readonly string[]): ImportInputs {
  const result: ImportInputs = { templates: [], constraints: [], suites: [], diagnostics: [] };
  const kinds = new Map<string, Span>();
  const pending: PendingCel[] = [];
  for (const file of yamlFiles(cwd, inputs, result.diagnostics)) {
    const source = path.relative(cwd, file).split(path.sep).join("/");
    const f = readYamlFile(file, "input", "object", source);
    if (isDiagnostic(f)) {
      result.diagnostics.push(f);
      continue;
    }
    for (const d of f.docs) {
      const o = d.value as Record<string, any> | null;
      if (!o || typeof o !== "object" || typeof o.apiVersion !== "string") continue;
      const span = spanAt(f, d.doc, []);
      if (SUITE_API.test(o.apiVersion) && o.kind === "Suite") {
        if (!result.suites.some((x) => x.file === file)) result.suites.push({ source, file });
        continue;
      }
      if (TEMPLATE_API.test(o.apiVersion) && o.kind === "ConstraintTemplate") {
        const t = template(o, source, span, result.diagnostics, (p) => spanAt(f, d.doc, p), pending, (p, offset) => expressionSpan(f, d.doc, p, offset));
        if (!t) continue;
        const prev = kinds.get(t.kind);
        if (prev) {
          result.diagnostics.push(diag(PC8.duplicateKind, [t.kind, `${prev.file}:${prev.line}`], span));
          continue;
        }
        kinds.set(t.kind, span);
        result.templates.push(t);
      } else if (CONSTRAINT_API.test(o.apiVersion)) {
        const name = o.metadata?.name;
        if (typeof o.kind !== "string" || typeof name !== "string") {
          result.diagnostics.push(diag(PC8.badShape, [source, "Constraint", "it needs kind and metadata.name"], span));
          continue;
        }
        result.constraints.push({
          source,
          span,
          kind: o.kind,
          name,
          spec: o.spec && typeof o.spec === "object" ? o.spec : {},
          labels: stringMap(o.metadata?.labels),
          annotations: stringMap(o.metadata?.annotations),
        });
      }
    }
  }
  for (const p of pending) {
    if (!result.templates.includes(p.template)) continue;
    // CEL that does not check would fail the build of the imported project: say so at the template.
    const matches = result.constraints.filter((c) => c.kind === p.template.kind).map((c) => matchedKinds(c.spec));
    const problems = checkK8sNativeValidation(p.source, { object: objectShapes(matches), parameters: shapeOfSchema(p.template.schema) });
    for (const e of problems) result.diagnostics.push(diag(PC8.celInvalid, [p.template.name, e.path, e.message], p.at(e.path.split(".").map((x) => (/^\d+$/.test(x) ? Number(x) : x)), e.offset)));
    if (problems.length === 0) p.template.cel = p.source;
  }
  return result;
}

/**
 * Where `offset` of a CEL expression's text is in the file: inside a literal block scalar (`|`, the
 * library's multi-line CEL) the line and column of that character; in a one-line plain or quoted
 * scalar its column; else the scalar's start.
 */
function expressionSpan(f: YamlFile, doc: YamlDoc["doc"], path: (string | number)[], offset: number): Span {
  const start = spanAt(f, doc, path);
  const node = doc?.getIn(path, true);
  if (!isScalar(node) || typeof node.value !== "string" || !node.range || offset <= 0) return start;
  const text = node.value.slice(0, offset);
  if (node.type === "BLOCK_LITERAL") {
    // The header line (`|`, `|-`, ...) is followed by the content, every line indented alike.
    const header = f.lines.linePos(node.range[0]).line;
    const lines = text.split("\n");
    const firstContent = f.text.split("\n").slice(header).find((l) => l.trim() !== "") ?? "";
    const indent = firstContent.length - firstContent.trimStart().length;
    return { file: f.file, line: header + lines.length, col: indent + lines[lines.length - 1]!.length + 1 };
  }
  if ((node.type === "PLAIN" || node.type === "QUOTE_SINGLE" || node.type === "QUOTE_DOUBLE") && !node.value.includes("\n") && start.endLine === start.line) {
    const quote = node.type === "PLAIN" ? 0 : 1;
    const raw = f.text.slice(node.range[0] + quote, node.range[1]);
    // Escapes before the offset would shift it: only an unescaped prefix is trusted.
    if (raw.startsWith(text)) return { file: f.file, line: start.line, col: start.col + quote + offset };
  }
  return start;
}

/** A constraint's `match.kinds`, when well formed. */
function matchedKinds(spec: Record<string, unknown>): MatchedKinds[] | undefined {
  const kinds = (spec.match as { kinds?: unknown } | undefined)?.kinds;
  if (!Array.isArray(kinds)) return undefined;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  return kinds.map((k: { apiGroups?: unknown; kinds?: unknown }) => ({ apiGroups: strings(k?.apiGroups), kinds: strings(k?.kinds) }));
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (typeof x === "string") out[k] = x;
  return out;
}

function template(
  o: Record<string, any>,
  source: string,
  span: Span,
  diagnostics: Diagnostic[],
  at: (path: (string | number)[]) => Span,
  pending: PendingCel[],
  atExpression: (path: (string | number)[], offset: number) => Span,
): ImportedTemplate | undefined {
  const names = o.spec?.crd?.spec?.names;
  const kind = names?.kind;
  if (typeof kind !== "string" || !kind) {
    diagnostics.push(diag(PC8.badShape, [source, "ConstraintTemplate", "spec.crd.spec.names.kind is missing"], span));
    return undefined;
  }
  const dropped: string[] = [];
  const targets: Record<string, any>[] = Array.isArray(o.spec?.targets) ? o.spec.targets : [];
  const target = targets[0] ?? {};
  if (targets.length > 1) dropped.push(`${targets.length - 1} further target(s)`);
  // Gatekeeper: a non-empty legacy `rego` field wins over a Rego entry in `code`.
  const codeRego = (Array.isArray(target.code) ? target.code : []).find((c: any) => c?.engine === "Rego");
  const code: Record<string, any>[] = Array.isArray(target.code) ? target.code : [];
  let cel: { source: Record<string, unknown>; index: number } | undefined;
  code.forEach((c, i) => {
    if (c?.engine === "K8sNativeValidation" && c.source && typeof c.source === "object" && !cel) cel = { source: c.source, index: i };
    else if (c?.engine && c.engine !== "Rego") dropped.push(`its ${c.engine} code`);
  });
  let rego: string | undefined;
  let libs: string[] = [];
  let regoVersion: "v0" | "v1" = "v0";
  if (typeof target.rego === "string" && target.rego.trim()) {
    rego = target.rego;
    libs = Array.isArray(target.libs) ? target.libs.filter((l: unknown) => typeof l === "string") : [];
  } else if (codeRego && typeof codeRego.source?.rego === "string") {
    rego = codeRego.source.rego;
    libs = Array.isArray(codeRego.source.libs) ? codeRego.source.libs.filter((l: unknown) => typeof l === "string") : [];
    if (codeRego.source.version === "v1") regoVersion = "v1";
  }
  const name = kind.toLowerCase();
  if (rego === undefined) {
    diagnostics.push(diag(PC8.noRego, [name], span));
    return undefined;
  }
  const annotations = stringMap(o.metadata?.annotations);
  const t: ImportedTemplate = {
    annotations: Object.fromEntries(Object.entries(annotations).filter(([k]) => !OWN_ANNOTATIONS.has(k) && !k.startsWith("argocd.argoproj.io/"))),
    source,
    span,
    kind,
    name,
    shortNames: Array.isArray(names.shortNames) ? names.shortNames.filter((s: unknown) => typeof s === "string") : [],
    rego,
    libs,
    regoVersion,
    dropped,
  };
  if (cel) {
    const index = cel.index;
    pending.push({ template: t, source: cel.source, at: (p, offset) => atExpression(["spec", "targets", 0, "code", index, "source", ...p], offset) });
  }
  if (annotations["metadata.gatekeeper.sh/title"]) t.title = annotations["metadata.gatekeeper.sh/title"];
  if (annotations.description) t.description = annotations.description;
  const schema = o.spec?.crd?.spec?.validation?.openAPIV3Schema;
  if (schema !== undefined) t.schema = schema;
  return t;
}
