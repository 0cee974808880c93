/**
 * The DSL sources `policyc import` writes for one template: `<name>.ts` (the Params interface, the
 * check, and its imported constraints, from the Handlebars scaffold `templates/import/check.ts.hbs`,
 * formatted by prettier) and the Rego beside it, byte for byte, as `<name>.rego` and
 * `<name>.lib<i>.rego` (a file keeps backticks and backslashes exactly; a template literal would not).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { packageRoot } from "../frontend/paths.js";
import type { ImportedConstraint, ImportedTemplate } from "./read.js";
import type { TemplateTests } from "./suites.js";
import { paramsType, type SchemaProblem } from "./schema-to-ts.js";

export interface RenderedTemplate {
  files: { path: string; content: string }[];
  problems: SchemaProblem[];
}

/** Constraint spec fields `defineConstraint` takes as they are. */
const SPEC_FIELDS = ["match", "enforcementAction", "scopedEnforcementActions", "parameters"] as const;

let compiled: ((model: object) => string) | undefined;

function scaffold(): (model: object) => string {
  if (!compiled) {
    const Handlebars = (createRequire(import.meta.url)("handlebars") as typeof import("handlebars")).create();
    Handlebars.registerHelper("json", (v: unknown) => JSON.stringify(v));
    compiled = Handlebars.compile(readFileSync(path.join(packageRoot, "templates", "import", "check.ts.hbs"), "utf8"), { noEscape: true, strict: false });
  }
  return compiled;
}

/** `K8sAllowedRepos` → `k8sAllowedRepos`; `prod-repo` → `prodRepo`; never a reserved word. */
export function identifier(text: string, taken: Set<string>): string {
  const parts = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id = parts.map((p, i) => (i === 0 ? p[0]!.toLowerCase() + p.slice(1) : p[0]!.toUpperCase() + p.slice(1))).join("") || "imported";
  if (/^[0-9]/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}${n}`;
  taken.add(unique);
  return unique;
}

const RESERVED = new Set(["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private", "protected", "public", "await"]);

export interface RenderOptions {
  /** The project's `regoVersion` (v0 without a project): a check in another version says so. */
  projectVersion?: "v0" | "v1";
}

export async function renderTemplate(t: ImportedTemplate, constraints: readonly ImportedConstraint[], tests?: TemplateTests, opts: RenderOptions = {}): Promise<RenderedTemplate> {
  const params = paramsType(t.schema, `${t.kind}Params`);
  const taken = new Set<string>();
  const checkVar = identifier(t.kind, taken);
  const notes = t.dropped.length ? commentLines(`Not carried over (the DSL has no place for it): ${t.dropped.join("; ")}.`) : [];
  const model = {
    source: t.source,
    notes,
    usesInteger: params.usesInteger,
    paramsName: `${t.kind}Params`,
    paramsDoc: params.doc,
    declarations: params.declarations,
    members: params.members,
    checkVar,
    kind: t.kind,
    title: t.title,
    description: t.description ?? "",
    shortNames: t.shortNames,
    annotations: Object.keys(t.annotations).length ? JSON.stringify(t.annotations) : undefined,
    regoFile: `./${t.name}.rego`,
    regoVersion: t.regoVersion !== (opts.projectVersion ?? "v0") ? t.regoVersion : undefined,
    libFiles: t.libs.map((_, i) => `./${t.name}.lib${i}.rego`),
    cel: t.cel ? JSON.stringify(t.cel, null, 2) : undefined,
    tests: tests?.check.length ? `[${tests.check.join(",\n")}]` : undefined,
    constraints: constraints.map((c) => constraintModel(c, taken, tests?.byConstraint.get(c.name))),
  };
  const text = await format(scaffold()(model));
  const files = [
    { path: `${t.name}.ts`, content: text },
    { path: `${t.name}.rego`, content: t.rego },
    ...t.libs.map((lib, i) => ({ path: `${t.name}.lib${i}.rego`, content: lib })),
    ...[...(tests?.files ?? [])].map(([p, content]) => ({ path: p, content })),
  ];
  return { files, problems: params.problems };
}

function constraintModel(c: ImportedConstraint, taken: Set<string>, tests: readonly string[] | undefined) {
  const spec: Record<string, unknown> = { name: c.name };
  const dropped: string[] = [];
  for (const k of SPEC_FIELDS) if (c.spec[k] !== undefined) spec[k] = c.spec[k];
  for (const k of Object.keys(c.spec)) if (!(SPEC_FIELDS as readonly string[]).includes(k)) dropped.push(`spec.${k}`);
  const labels = c.labels;
  const annotations = Object.fromEntries(Object.entries(c.annotations).filter(([k]) => !k.startsWith("argocd.argoproj.io/")));
  if (Object.keys(labels).length) spec.labels = labels;
  if (Object.keys(annotations).length) spec.annotations = annotations;
  const notes = commentLines(`From ${c.source}. policyc adds the config's exemptNamespaces to match.excludedNamespaces; exemptSystemNamespaces: false keeps the match as imported.`);
  if (dropped.length) notes.push(...commentLines(`Not carried over: ${dropped.join(", ")}.`));
  let text = JSON.stringify(spec, null, 2);
  if (tests?.length) text = `${text.slice(0, -2)},\n  tests: [${tests.join(",\n")}],\n}`;
  return { var: identifier(c.name, taken), spec: text, notes };
}

/** Text as `//` comment lines of at most ~100 characters (no line breaks from the input survive). */
function commentLines(text: string): string[] {
  const words = text.replace(/\s+/g, " ").trim().split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + w.length + 1 > 100) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

async function format(source: string): Promise<string> {
  const prettier = await import("prettier");
  return prettier.format(source, { parser: "typescript", printWidth: 120, quoteProps: "as-needed", trailingComma: "all" });
}
