/**
 * OPA annotations: finds `# METADATA` comment blocks, parses their YAML, normalizes the fields the
 * way OPA marshals them (authors, related resources, default scope) and attaches each block to the
 * package or rule statement that follows it.
 */
import { decodeMetadataYaml, MetadataYamlError } from "./metadata-yaml.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import { diag } from "../../diagnostics/index.js";
import type { Annotation, Comment, Location } from "./ast.js";
import { RegoParseMessages as M } from "./diagnostics.js";

/** A statement of the module: where it starts and what it is. */
export interface StatementStart {
  row: number;
  kind: "package" | "import" | "rule";
  /** For rules: index of the statement's first rule in Module.rules. */
  ruleIndex?: number;
}

const SCOPES = new Set(["package", "subpackages", "rule", "document"]);

function author(a: unknown): { [k: string]: string } | string {
  if (typeof a === "string") {
    const parts = a.trim().split(/\s+/).filter((p) => p.length > 0);
    if (parts.length === 0) return "author is an empty string";
    let email = "";
    const last = parts[parts.length - 1]!;
    if (last.length >= 2 && last.startsWith("<") && last.endsWith(">")) {
      email = last.slice(1, -1);
      parts.pop();
    }
    const out: { [k: string]: string } = {};
    if (parts.length > 0) out.name = parts.join(" ");
    if (email) out.email = email;
    return out;
  }
  if (a && typeof a === "object" && !Array.isArray(a)) {
    const o = a as Record<string, unknown>;
    const name = typeof o.name === "string" ? o.name.trim() : "";
    const email = typeof o.email === "string" ? o.email.trim() : "";
    if (!name && !email) return "'name' and/or 'email' values required in object";
    const out: { [k: string]: string } = {};
    if (name) out.name = name;
    if (email) out.email = email;
    return out;
  }
  return "invalid value type, must be string or map";
}

function relatedResource(r: unknown): { [k: string]: string } | string {
  if (typeof r === "string") return r.length > 0 ? { ref: r } : "ref URL may not be empty string";
  if (r && typeof r === "object" && !Array.isArray(r)) {
    const o = r as Record<string, unknown>;
    const ref = typeof o.ref === "string" ? o.ref.trim() : "";
    const description = typeof o.description === "string" ? o.description.trim() : "";
    if (!ref) return "'ref' value required in object";
    return description ? { ref, description } : { ref };
  }
  return "invalid value type, must be string or map";
}

/**
 * Parses one block's YAML; returns the normalized value or an error message (with the line of the
 * block's YAML it is on, for a YAML error: OPA reports it at that comment).
 */
function parseBlock(yamlText: string): { [k: string]: unknown } | string | MetadataYamlError {
  if (yamlText.trim() === "") return "expected METADATA block, found whitespace";
  let r: Record<string, unknown>;
  try {
    r = decodeMetadataYaml(yamlText);
  } catch (e) {
    if (e instanceof MetadataYamlError) return e;
    throw e;
  }
  const out: { [k: string]: unknown } = {};
  if (typeof r.scope === "string") out.scope = r.scope;
  if (typeof r.title === "string" && r.title) out.title = r.title;
  if (r.entrypoint === true) out.entrypoint = true;
  if (typeof r.description === "string" && r.description) out.description = r.description;
  if (Array.isArray(r.organizations) && r.organizations.length > 0) out.organizations = r.organizations;
  if (Array.isArray(r.related_resources) && r.related_resources.length > 0) {
    const rr = r.related_resources.map(relatedResource);
    const bad = rr.find((x) => typeof x === "string");
    if (bad) return `invalid related-resource definition: ${bad}`;
    out.related_resources = rr;
  }
  if (Array.isArray(r.authors) && r.authors.length > 0) {
    const as = r.authors.map(author);
    const bad = as.find((x) => typeof x === "string");
    if (bad) return `invalid author definition: ${bad}`;
    out.authors = as;
  }
  if (Array.isArray(r.schemas) && r.schemas.length > 0) out.schemas = r.schemas;
  if (r.custom && typeof r.custom === "object" && !Array.isArray(r.custom) && Object.keys(r.custom).length > 0) out.custom = r.custom;
  return out;
}

/**
 * Finds METADATA blocks in `comments` and attaches them to `statements`. Problems are appended
 * to `diagnostics`.
 */
export function collectAnnotations(comments: Comment[], statements: StatementStart[], file: string, diagnostics: Diagnostic[]): Annotation[] {
  const out: Annotation[] = [];
  for (let i = 0; i < comments.length; i++) {
    const head = comments[i]!;
    if (!head.text.trim().startsWith("METADATA")) continue;
    const lines: string[] = [];
    let j = i + 1;
    for (; j < comments.length; j++) {
      const c = comments[j]!;
      const prev = comments[j - 1]!;
      if (c.loc.row !== prev.loc.row + 1 || c.loc.col !== 1) break;
      lines.push(c.text.startsWith(" ") ? c.text.slice(1) : c.text);
    }
    i = j - 1;
    const loc: Location = head.loc;
    const span = { file, line: loc.row, col: loc.col };
    const value = parseBlock(lines.map((l) => l + "\n").join(""));
    if (value instanceof MetadataYamlError) {
      const at = value.line !== undefined && value.line > 0 ? { file, line: loc.row + Math.min(value.line, lines.length), col: 1 } : span;
      diagnostics.push(diag(M.badAnnotation, [value.message], at));
      continue;
    }
    if (typeof value === "string") {
      diagnostics.push(diag(M.badAnnotation, [value], span));
      continue;
    }
    const stmt = statements.find((s) => s.row > loc.row);
    if (!stmt) continue;
    let scope = value.scope as string | undefined;
    if (scope === undefined) {
      scope = stmt.kind === "rule" ? (value.entrypoint === true ? "document" : "rule") : stmt.kind === "package" ? "package" : "import";
    }
    if (!SCOPES.has(scope)) {
      diagnostics.push(diag(M.badAnnotation, [`invalid annotation scope '${scope}'`], span));
      continue;
    }
    const wants = scope === "package" || scope === "subpackages" ? "package" : "rule";
    if (stmt.kind !== wants) {
      diagnostics.push(diag(M.badAnnotation, [`annotation scope '${scope}' must be applied to ${wants} (have ${stmt.kind})`], span));
      continue;
    }
    const ordered: { [k: string]: unknown } = { scope, ...value };
    out.push({
      scope: scope as Annotation["scope"],
      value: ordered,
      target: stmt.kind === "package" ? { kind: "package" } : { kind: "rule", index: stmt.ruleIndex! },
      loc,
    });
  }
  return out;
}
