/**
 * The policy catalogue as data: every check with its parameters (flattened from the derived schema),
 * the constraints that use it and where they apply (their final `match`, PSS binding included), its
 * test cases, and every other resource. The Markdown is rendered from this by a Handlebars template
 * (`templates/docs/policies.md.hbs`); keeping the wording decisions here keeps the template plain.
 */
import type { CheckIR, ConstraintIR, LabelSelectorIR, MatchIR, Origin, ProjectIR, ResourceIR } from "../../ir/ir.js";
import type { JsonSchema } from "../../ir/schema.js";

export interface CatalogueModel {
  configFile: string;
  counts: { checks: number; constraints: number; resources: number };
  checks: CheckEntry[];
  resources: ResourceEntry[];
}

export interface CheckEntry {
  kind: string;
  /** The Markdown heading anchor GitHub derives from the heading (`## K8sAllowedRepos`). */
  anchor: string;
  title?: string;
  description: string;
  severity?: string;
  remediation?: string;
  docsUrl?: string;
  body: string;
  template: string;
  definedAt: string;
  parameters: ParameterRow[];
  constraints: ConstraintEntry[];
  tests: { cases: number; suite?: string };
}

export interface ParameterRow {
  name: string;
  type: string;
  required: boolean;
  description: string;
  rules: string;
}

export interface ConstraintEntry {
  name: string;
  file: string;
  enforcement: string;
  podSecurity?: string;
  scope: string[];
  parameters: string[];
  definedAt: string;
}

export interface ResourceEntry {
  kind: string;
  name: string;
  namespace?: string;
  enforcement?: string;
  definedAt: string;
}

export function catalogueModel(project: ProjectIR, paths: { template: (c: CheckIR) => string; constraint: (c: ConstraintIR) => string; suite: (c: CheckIR) => string | undefined }): CatalogueModel {
  const byKind = new Map<string, ConstraintIR[]>();
  for (const c of project.constraints) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  const checks = [...project.checks]
    .sort((a, b) => compare(a.kind, b.kind))
    .map((check): CheckEntry => {
      const constraints = [...(byKind.get(check.kind) ?? [])].sort((a, b) => compare(a.name, b.name));
      const cases = check.tests.length + constraints.reduce((n, c) => n + c.tests.length, 0);
      return {
        kind: check.kind,
        anchor: check.kind.toLowerCase(),
        title: check.title,
        description: check.description,
        severity: check.severity,
        remediation: check.remediation,
        docsUrl: check.docsUrl,
        body: check.body.kind === "typescript" ? `TypeScript, compiled to Rego ${check.regoVersion}` : `Rego ${check.regoVersion}`,
        template: paths.template(check),
        definedAt: at(check.origin),
        parameters: parameterRows(check.parameters),
        constraints: constraints.map((c) => ({
          name: c.name,
          file: paths.constraint(c),
          enforcement: enforcementOf(c),
          podSecurity: c.podSecurity,
          scope: describeMatch(c.match),
          parameters: Object.entries(c.parameters ?? {}).map(([k, v]) => `${k}: ${flow(v)}`),
          definedAt: at(c.origin),
        })),
        tests: { cases, suite: cases > 0 ? paths.suite(check) : undefined },
      };
    });
  const resources = [...project.resources]
    .sort((a, b) => compare(`${a.kind}/${a.namespace ?? ""}/${a.name}`, `${b.kind}/${b.namespace ?? ""}/${b.name}`))
    .map((r): ResourceEntry => ({ kind: r.kind, name: r.name, namespace: r.namespace, enforcement: resourceEnforcement(r), definedAt: at(r.origin) }));
  return {
    configFile: project.config.file,
    counts: { checks: checks.length, constraints: project.constraints.length, resources: resources.length },
    checks,
    resources,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function at(o: Origin): string {
  return `${o.file}:${o.line}`;
}

function enforcementOf(c: ConstraintIR): string {
  if (c.enforcementAction !== "scoped" || !c.scopedEnforcementActions) return c.enforcementAction;
  const parts = c.scopedEnforcementActions.map((s) => `${s.action} at ${s.enforcementPoints.map((p) => p.name).join(", ")}`);
  return `scoped: ${parts.join("; ")}`;
}

function resourceEnforcement(r: ResourceIR): string | undefined {
  const spec = r.object.spec as Record<string, unknown> | undefined;
  const action = spec?.enforcementAction;
  return typeof action === "string" ? action : undefined;
}

/** One row per parameter, nested objects and arrays of objects flattened to `a.b` / `a[].b`. */
export function parameterRows(schema: JsonSchema): ParameterRow[] {
  const rows: ParameterRow[] = [];
  const visit = (s: JsonSchema, prefix: string) => {
    const required = new Set(s.required ?? []);
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      const path = prefix ? `${prefix}.${name}` : name;
      rows.push({ name: path, type: typeText(child), required: required.has(name), description: oneLine(child.description ?? ""), rules: rulesText(child) });
      if (child.properties) visit(child, path);
      else if (child.type === "array" && child.items?.properties) visit(child.items, `${path}[]`);
      else if (typeof child.additionalProperties === "object" && child.additionalProperties.properties) visit(child.additionalProperties, `${path}.*`);
    }
  };
  visit(schema, "");
  if (rows.length === 0 && typeof schema.additionalProperties === "object") {
    rows.push({ name: "*", type: typeText(schema.additionalProperties), required: false, description: oneLine(schema.additionalProperties.description ?? ""), rules: rulesText(schema.additionalProperties) });
  }
  return rows;
}

export function typeText(s: JsonSchema): string {
  let t: string;
  if (s.enum) t = alternatives(s.enum.map((v) => `\`${String(v)}\``));
  else if (s.type === "array") t = s.items ? `list of ${plural(typeText(s.items))}` : "list";
  else if (s.type === "object" && typeof s.additionalProperties === "object") t = `map of ${plural(typeText(s.additionalProperties))}`;
  else t = s.type ?? "any";
  return s.nullable ? `${t} or null` : t;
}

function alternatives(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

/** A parameter value as one line: JSON scalars, `[a, b]` lists and `{k: v}` objects. */
export function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(", ")}]`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(", ")}}`;
  return JSON.stringify(v) ?? "null";
}

function plural(t: string): string {
  if (/^(string|number|integer|boolean|object)$/.test(t)) return `${t}s`;
  return t;
}

function rulesText(s: JsonSchema): string {
  const out: string[] = [];
  if (s.minimum !== undefined) out.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined) out.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined) out.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) out.push(`at most ${s.maxLength} characters`);
  if (s.pattern !== undefined) out.push(`matches \`${s.pattern}\``);
  if (s.format !== undefined) out.push(`format \`${s.format}\``);
  if (s.default !== undefined) out.push(`default \`${JSON.stringify(s.default)}\``);
  return out.join(", ");
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Where a constraint applies, one phrase per matcher, in Gatekeeper's terms. */
export function describeMatch(m: MatchIR): string[] {
  const out: string[] = [];
  if (m.kinds?.length) {
    const kinds = m.kinds.flatMap((k) => k.kinds.flatMap((kind) => k.apiGroups.map((g) => (kind === "*" ? (g === "*" ? "any kind" : `any kind in ${g || "core"}`) : g && g !== "*" ? `${g}/${kind}` : kind))));
    out.push(`kinds: ${[...new Set(kinds)].join(", ")}`);
  } else out.push("kinds: any");
  if (m.scope && m.scope !== "*") out.push(`scope: ${m.scope}`);
  if (m.namespaces?.length) out.push(`namespaces: ${m.namespaces.map(code).join(", ")}`);
  if (m.excludedNamespaces?.length) out.push(`excluded namespaces: ${m.excludedNamespaces.map(code).join(", ")}`);
  if (m.namespaceSelector) out.push(`namespaces labelled ${selectorText(m.namespaceSelector)}`);
  if (m.labelSelector) out.push(`objects labelled ${selectorText(m.labelSelector)}`);
  if (m.name) out.push(`named ${code(m.name)}`);
  if (m.source && m.source !== "All") out.push(`source: ${m.source}`);
  return out;
}

function selectorText(s: LabelSelectorIR): string {
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => code(`${k}=${v}`));
  for (const e of s.matchExpressions ?? []) {
    const values = e.values?.length ? ` (${e.values.join(", ")})` : "";
    parts.push(code(`${e.key} ${e.operator}${values}`));
  }
  return parts.join(" and ") || "(any)";
}

function code(s: string): string {
  return `\`${s}\``;
}
