/**
 * Finds the Kyverno `ClusterPolicy` / `Policy` objects in the user's YAML folders and extracts what
 * an exception needs (name, namespace, rule names and kinds, autogen annotation). A file that is not
 * YAML, or a policy that names no rules, is a diagnostic at its file:line:col.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { isMap, isSeq, type LineCounter, type Node } from "yaml";
import { isDiagnostic, parseYamlText, readYamlTree, type YamlFile } from "../../testing/yaml-files.js";
import { PC4 } from "../../testing/diagnostics.js";
import { diag, type Diagnostic, type Span } from "../../diagnostics/index.js";
import { PC6 } from "../../api/deckhouse/diagnostics.js";
import { AUTOGEN_ANNOTATION } from "./autogen.js";

export interface KyvernoRule {
  name: string;
  kinds: string[];
}

export interface KyvernoPolicyInfo {
  kind: "ClusterPolicy" | "Policy";
  name: string;
  namespace?: string;
  rules: KyvernoRule[];
  autogenControllers?: string;
  origin: Span;
}

function kindsOf(rule: Record<string, any>): string[] {
  const match = rule.match ?? {};
  const filters = [match, ...(Array.isArray(match.any) ? match.any : []), ...(Array.isArray(match.all) ? match.all : [])];
  const kinds = filters.flatMap((f: any) => (Array.isArray(f?.resources?.kinds) ? f.resources.kinds.filter((k: unknown) => typeof k === "string") : []));
  return [...new Set<string>(kinds)];
}

function spanAt(file: string, lc: LineCounter, node: Node | null | undefined, fallback: number): Span {
  const offset = node?.range?.[0] ?? fallback;
  const pos = lc.linePos(offset);
  return { file, line: pos.line, col: pos.col };
}

/** Policies in one YAML text; `file` is the name diagnostics use. */
export function policiesInText(text: string, file: string): { policies: KyvernoPolicyInfo[]; diagnostics: Diagnostic[] } {
  return policiesInYaml(parseYamlText(text, file, "object"));
}

/** Kyverno's own code for a policy file that is not YAML; the reader's other findings as they are. */
function asKyverno(d: Diagnostic): Diagnostic {
  const notYaml = d.code === PC4.notYaml.code ? /is not valid YAML: (.*)$/s.exec(d.message)?.[1] : undefined;
  return notYaml !== undefined ? diag(PC6.kyvernoNotYaml, [notYaml], d.span) : d;
}

/** Policies in a file read by the project's YAML reader (or its diagnostic). */
function policiesInYaml(f: YamlFile | Diagnostic): { policies: KyvernoPolicyInfo[]; diagnostics: Diagnostic[] } {
  const policies: KyvernoPolicyInfo[] = [];
  const diagnostics: Diagnostic[] = [];
  if (isDiagnostic(f)) {
    diagnostics.push(asKyverno(f));
    return { policies, diagnostics };
  }
  const { file, lines: lc } = f;
  for (const { doc, value } of f.docs) {
    const obj = value as Record<string, any>;
    if (typeof obj !== "object" || Array.isArray(obj)) {
      diagnostics.push(diag(PC6.kyvernoNotYaml, ["a document is not a mapping (expected a Kubernetes object)"], spanAt(file, lc, doc.contents, 0)));
      continue;
    }
    const apiVersion = String(obj.apiVersion ?? "");
    if (!apiVersion.startsWith("kyverno.io/") || (obj.kind !== "ClusterPolicy" && obj.kind !== "Policy")) continue;
    const start = doc.contents?.range?.[0] ?? 0;
    const at = spanAt(file, lc, doc.contents, start);
    const name = String(obj.metadata?.name ?? "");
    const specNode = isMap(doc.contents) ? (doc.contents.get("spec", true) as Node | undefined) : undefined;
    const rulesNode = specNode && isMap(specNode) ? (specNode.get("rules", true) as Node | undefined) : undefined;
    const rules = Array.isArray(obj.spec?.rules) ? (obj.spec.rules as Record<string, any>[]) : [];
    if (rules.length === 0) {
      diagnostics.push(diag(PC6.kyvernoNoRules, [obj.kind, name || "(unnamed)"], spanAt(file, lc, rulesNode ?? specNode ?? doc.contents, start)));
      continue;
    }
    const info: KyvernoPolicyInfo = { kind: obj.kind, name, rules: [], origin: at };
    if (obj.kind === "Policy") info.namespace = String(obj.metadata?.namespace ?? "default");
    const annotation = obj.metadata?.annotations?.[AUTOGEN_ANNOTATION];
    if (typeof annotation === "string") info.autogenControllers = annotation;
    rules.forEach((rule, i) => {
      if (typeof rule?.name !== "string" || rule.name === "") {
        const ruleNode = rulesNode && isSeq(rulesNode) ? (rulesNode.items[i] as Node | undefined) : undefined;
        diagnostics.push(diag(PC6.kyvernoRuleName, [obj.kind, name], spanAt(file, lc, ruleNode, start)));
        return;
      }
      info.rules.push({ name: rule.name, kinds: kindsOf(rule) });
    });
    if (info.rules.length > 0) policies.push(info);
  }
  return { policies, diagnostics };
}

/**
 * Every Kyverno policy under `dirs` (relative to `root`); file names in spans are relative to
 * `root` and files are read in sorted order so the output is deterministic.
 */
export function discoverPolicies(root: string, dirs: readonly string[], configFile: string): { policies: KyvernoPolicyInfo[]; diagnostics: Diagnostic[] } {
  const policies: KyvernoPolicyInfo[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const dir of dirs) {
    const abs = path.resolve(root, dir);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      diagnostics.push(diag(PC6.kyvernoNoFolder, [dir], { file: configFile, line: 1, col: 1 }));
      continue;
    }
    const tree = readYamlTree(abs, "Kyverno policy", { display: (file) => path.relative(root, file).split(path.sep).join("/") });
    diagnostics.push(...tree.diagnostics.map(asKyverno));
    for (const f of tree.files) {
      const r = policiesInYaml(f);
      policies.push(...r.policies);
      diagnostics.push(...r.diagnostics);
    }
  }
  return { policies, diagnostics };
}
