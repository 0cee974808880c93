/**
 * Reads the Gatekeeper library's ConstraintTemplates (a checkout of gatekeeper-library's
 * `library/` folder) as one compile input: every template's Rego (v0) plus its `libs`, each lib
 * module once, with `<package>/violation` as the entrypoints. Used by the bench and the tests.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";

export interface LibraryInput {
  modules: { file: string; text: string }[];
  /** `<package path>/violation`, one per template, sorted. */
  entrypoints: string[];
  /** Template folder (relative to the library root) → its entrypoint. */
  templates: Map<string, string>;
}

interface Target {
  rego?: string;
  libs?: string[];
  code?: { engine: string; source: { rego?: string; libs?: string[] } }[];
}

/** The Rego of a target: the legacy `rego`/`libs` fields or a `code[]` entry with engine Rego. */
function regoOf(t: Target): { rego: string; libs?: string[] } | undefined {
  if (t.rego) return { rego: t.rego, libs: t.libs };
  const code = t.code?.find((c) => c.engine === "Rego" && c.source.rego);
  return code ? { rego: code.source.rego!, libs: code.source.libs } : undefined;
}

function findTemplates(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) findTemplates(p, out);
    else if (name === "template.yaml") out.push(p);
  }
  return out;
}

export function loadLibraryTemplates(libraryRoot: string): LibraryInput {
  const modules: { file: string; text: string }[] = [];
  const libs = new Map<string, string>();
  const templates = new Map<string, string>();
  for (const file of findTemplates(libraryRoot)) {
    // A few upstream templates have schema descriptions the yaml package flags (multi-line quoted
    // scalars); the Rego fields are unaffected, so errors outside them are tolerated.
    const doc = YAML.parseDocument(readFileSync(file, "utf8")).toJS() as { spec: { targets: Target[] } };
    const target = regoOf(doc.spec.targets[0]!);
    if (!target) continue;
    const rel = path.relative(libraryRoot, file).split(path.sep).join("/");
    modules.push({ file: rel, text: target.rego });
    const pkg = /^\s*package\s+([\w.]+)/m.exec(target.rego)?.[1];
    if (pkg) templates.set(path.dirname(rel), `${pkg.replace(/\./g, "/")}/violation`);
    (target.libs ?? []).forEach((text, i) => {
      if (!libs.has(text)) libs.set(text, `${rel}#lib${i}`);
    });
  }
  for (const [text, file] of libs) modules.push({ file, text });
  return { modules, entrypoints: [...new Set(templates.values())].sort(), templates };
}
