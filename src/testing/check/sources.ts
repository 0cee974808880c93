/**
 * Where `policyc check` gets its policies (each gives `PolicyObject`s for `policySetFromObjects`):
 *   - `projectPolicies`: the project compiled in memory from policyc.config.ts (what `policyc build`
 *     would write under manifests/), each object located at its definition in the user's sources;
 *   - `folderPolicies`: the Gatekeeper YAML under a folder (`--policies DIR`), located in its files;
 *   - the policy objects among the checked inputs, which `run.ts` separates while reading them.
 */
import path from "node:path";
import { hasErrors, type Diagnostic } from "../../diagnostics/index.js";
import { gvkOf, nameOf, type KubeObject } from "../gatekeeper/objects.js";
import { isPolicyObject, type ObjectOrigin, type PolicyObject } from "../gatekeeper/policy-set.js";
import { isConstraintTemplate } from "../gatekeeper/template.js";
import { listInputs, parseChunk, readInputText, splitDocuments } from "./inputs.js";
import { isDiagnostic } from "../yaml-files.js";
import { clusterOfConfig, type DeckhouseCluster } from "../../deckhouse/cluster.js";

export interface PolicySourceResult {
  objects: PolicyObject[];
  diagnostics: Diagnostic[];
  /** Where the project's paths are relative to (for rendering diagnostics with code frames). */
  root?: string;
  /** A short name for reports ("project policyc.config.ts", "policies generated/"). */
  name: string;
  /** The Deckhouse cluster facts the project's config states (for rendering its SecurityPolicies). */
  deckhouseCluster?: DeckhouseCluster;
  /**
   * The project's other manifests (Namespaces, SecurityPolicyExceptions, ...): once synced they are
   * cluster state, so they serve namespaceSelector and the inventory, but are not themselves checked.
   */
  resources?: PolicyObject[];
}

/** The project's policy objects, compiled in memory; a failing build returns its diagnostics. */
export async function projectPolicies(cwd: string, configPath?: string): Promise<PolicySourceResult> {
  // Loaded only here: the project's compiler (with TypeScript's) is most of the CLI's code, and
  // `--policies DIR` and `--no-project` runs do not need it.
  const { compile } = await import("../../build/stages.js");
  const result = await compile({ cwd, ...(configPath ? { configPath } : {}) });
  // The build's warnings too (untested checks, questionable settings): the CLI prints them on stderr,
  // never in a machine-readable report, and only errors stop the check.
  const out: PolicySourceResult = { objects: [], diagnostics: [...result.diagnostics], name: "project" };
  if (result.root) out.root = result.root;
  if (!result.files || !result.project || !result.root || hasErrors(result.diagnostics)) return out;
  const root = result.root;
  out.deckhouseCluster = clusterOfConfig(result.project.config);
  const rel = (file: string) => path.relative(cwd, path.resolve(root, file)).split(path.sep).join("/");
  const checks = new Map(result.project.checks.map((c) => [c.kind, c.origin]));
  const constraints = new Map(result.project.constraints.map((c) => [`${c.kind}/${c.name}`, c.origin]));
  const resources = new Map(result.project.resources.map((r) => [`${r.kind}/${r.namespace ?? ""}/${r.name}`, r.origin]));
  const originOf = (obj: KubeObject, file: string): ObjectOrigin => {
    const g = gvkOf(obj);
    const o = isConstraintTemplate(obj)
      ? checks.get(String((obj.spec as { crd?: { spec?: { names?: { kind?: string } } } })?.crd?.spec?.names?.kind ?? ""))
      : (constraints.get(`${g.kind}/${nameOf(obj)}`) ??
        resources.get(`${g.kind}/${String((obj.metadata as { namespace?: string })?.namespace ?? "")}/${nameOf(obj)}`));
    return o ? { file: rel(o.file), line: o.line, col: o.col } : { file: `${rel(path.relative(root, result.outDir ?? root))}/${file}`, line: 1, col: 1 };
  };
  // Only what Argo CD syncs: test fixtures under tests/ carry Constraints of their own.
  for (const f of result.files) {
    if (!f.path.startsWith("manifests/") || !f.object || typeof f.object !== "object") continue;
    const obj = f.object as KubeObject;
    if (isPolicyObject(obj)) out.objects.push({ object: obj, origin: originOf(obj, f.path) });
    else (out.resources ??= []).push({ object: obj, origin: originOf(obj, f.path) });
  }
  out.name = `project ${rel(path.join(root, "policyc.config.ts"))}`;
  return out;
}

/**
 * The last folder's files as parsed, by path: a process that checks again with the same policies
 * (a watch loop, a test suite) parses only the files whose text changed. Templates carry their Rego
 * in block scalars, which only the full YAML parser reads, and a cluster's set is hundreds of files.
 */
let parsedFiles = new Map<string, { text: string; objects: PolicyObject[]; diagnostics: Diagnostic[] }>();

/** Every policy object in the YAML/JSON files under `dir` (or the file itself). */
export function folderPolicies(dir: string, cwd: string): PolicySourceResult {
  const { files, diagnostics } = listInputs([dir], cwd);
  const out: PolicySourceResult = { objects: [], diagnostics, name: `folder ${dir}` };
  const parsed = new Map<string, { text: string; objects: PolicyObject[]; diagnostics: Diagnostic[] }>();
  for (const f of files) {
    const text = readInputText(f);
    if (isDiagnostic(text)) {
      out.diagnostics.push(text);
      continue;
    }
    const key = `${f.abs}\0${f.display}`;
    let file = parsedFiles.get(key);
    if (file?.text !== text) {
      file = { text, objects: [], diagnostics: [] };
      for (const chunk of splitDocuments(text, f.display)) {
        const p = parseChunk(chunk);
        file.diagnostics.push(...p.diagnostics);
        for (const o of p.objects) if (isPolicyObject(o.object)) file.objects.push(o);
      }
    }
    parsed.set(key, file);
    out.diagnostics.push(...file.diagnostics);
    // A copy: the run may default or annotate what it is given.
    out.objects.push(...structuredClone(file.objects));
  }
  parsedFiles = parsed;
  return out;
}
