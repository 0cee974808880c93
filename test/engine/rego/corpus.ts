/**
 * Loads the Rego sources of the third-party corpora for the parser tests: every module, query and
 * `input_term` of the OPA conformance suite (v1 syntax) and the Rego and libs of every Gatekeeper
 * library template (v0 syntax). Returns undefined (after printing why) when ../shared is absent.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, parseDocument } from "yaml";
import { requireShared } from "../../support/shared.js";

export interface Source {
  /** Where the text comes from, for failure messages. */
  name: string;
  text: string;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export interface ConformanceSources {
  modules: Source[];
  queries: Source[];
  terms: Source[];
}

export function conformanceSources(): ConformanceSources | undefined {
  const root = requireShared("corpora/opa-conformance/v1", "Rego conformance corpus parsing");
  if (!root) return undefined;
  const out: ConformanceSources = { modules: [], queries: [], terms: [] };
  for (const file of walk(root).filter((f) => f.endsWith(".yaml"))) {
    const doc = parseYaml(readFileSync(file, "utf8")) as { cases?: Record<string, unknown>[] };
    for (const c of doc.cases ?? []) {
      const note = String(c.note);
      ((c.modules as string[] | undefined) ?? []).forEach((text, i) => out.modules.push({ name: `${note} (module ${i})`, text }));
      if (typeof c.query === "string") out.queries.push({ name: `${note} (query)`, text: c.query });
      if (typeof c.input_term === "string") out.terms.push({ name: `${note} (input_term)`, text: c.input_term });
    }
  }
  return out;
}

export interface TemplateSources {
  /** One entry per template: its `rego` and then its `libs`. */
  templates: { name: string; sources: Source[] }[];
}

export function librarySources(): TemplateSources | undefined {
  const root = requireShared("corpora/gatekeeper-library/library", "Gatekeeper library parsing");
  if (!root) return undefined;
  const templates: TemplateSources["templates"] = [];
  for (const file of walk(root).filter((f) => path.basename(f) === "template.yaml")) {
    // parseDocument tolerates the few YAML irregularities Go's YAML parser accepts in descriptions.
    const doc = parseDocument(readFileSync(file, "utf8")).toJS() as {
      spec: { targets: { rego?: string; libs?: string[]; code?: { engine: string; source: { rego?: string; libs?: string[] } }[] }[] };
    };
    const target = doc.spec.targets[0]!;
    // Newer templates carry Rego under `code: [{engine: Rego, source: {rego, libs}}]`.
    const code = target.code?.find((c) => c.engine === "Rego")?.source;
    const rego = target.rego ?? code?.rego;
    const libs = target.rego !== undefined ? target.libs : code?.libs;
    const name = path.relative(root, path.dirname(file));
    if (rego === undefined) {
      templates.push({ name, sources: [] });
      continue;
    }
    const sources = [rego, ...(libs ?? [])].map((text, i) => ({ name: i === 0 ? name : `${name} (lib ${i - 1})`, text }));
    templates.push({ name, sources });
  }
  return { templates };
}
