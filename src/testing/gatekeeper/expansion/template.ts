/**
 * Reads ExpansionTemplates (`expansion.gatekeeper.sh/v1alpha1`) with the rules Gatekeeper applies
 * when it accepts one: a name under 64 characters, a `templateSource`, a non-empty `generatedGVK`
 * and `applyTo`, no template that applies to the kind it generates, and no set of templates whose
 * edges (applyTo kind → generated kind) form a cycle. Templates are taken in name order, so which
 * of two cycle-forming templates is refused does not depend on file order; of two with one name the
 * last given is kept, as re-applying it in a cluster replaces the first.
 */
import { diag, type Diagnostic } from "../../../diagnostics/index.js";
import { applyToGVKs, appliesTo, readApplyTo, type ApplyTo } from "../apply-to.js";
import { PC42 } from "../diagnostics.js";
import { isObject, nameOf, type GVK, type KubeObject } from "../objects.js";
import type { PolicyObject } from "../policy-set.js";

export interface ExpansionTemplate {
  name: string;
  applyTo: ApplyTo[];
  /** Dotted path of the field that becomes the generated object (`spec.template`). */
  templateSource: string;
  generatedGVK: GVK;
  /** Overrides the enforcement action of violations found on generated objects, when set. */
  enforcementAction?: string;
}

export interface ReadTemplates {
  templates: ExpansionTemplate[];
  diagnostics: Diagnostic[];
}

const key = (g: GVK) => `${g.group}/${g.version}/${g.kind}`;

function readOne(obj: KubeObject): ExpansionTemplate | string {
  const name = nameOf(obj);
  if (name === "") return "metadata.name is required";
  if (name.length >= 64) return "the name must be shorter than 64 characters";
  const spec = isObject(obj.spec) ? obj.spec : {};
  const templateSource = typeof spec.templateSource === "string" ? spec.templateSource : "";
  if (templateSource === "") return "spec.templateSource is empty";
  const g = isObject(spec.generatedGVK) ? spec.generatedGVK : {};
  const generatedGVK: GVK = {
    group: typeof g.group === "string" ? g.group : "",
    version: typeof g.version === "string" ? g.version : "",
    kind: typeof g.kind === "string" ? g.kind : "",
  };
  if (generatedGVK.group === "" && generatedGVK.version === "" && generatedGVK.kind === "") return "spec.generatedGVK is empty";
  const applyTo = readApplyTo(spec.applyTo);
  if (applyTo.length === 0) return "spec.applyTo is empty";
  if (appliesTo(applyTo, generatedGVK)) return `it generates ${key(generatedGVK)} and also applies to it`;
  const t: ExpansionTemplate = { name, applyTo, templateSource, generatedGVK };
  if (typeof spec.enforcementAction === "string" && spec.enforcementAction !== "") t.enforcementAction = spec.enforcementAction;
  return t;
}

/** Whether adding edges from → to to `graph` closes a cycle (some path leads from `to` back to `from`). */
function closesCycle(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [to];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === from) return true;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const m of graph.get(n) ?? []) stack.push(m);
  }
  return false;
}

/** One object per name, the last one given (an ExpansionTemplate is cluster-scoped: applying one again replaces it). */
function lastByName(objects: readonly PolicyObject[], diagnostics: Diagnostic[]): PolicyObject[] {
  const byName = new Map<string, PolicyObject>();
  for (const o of objects) {
    const name = nameOf(o.object);
    if (byName.has(name) && name !== "") diagnostics.push(diag(PC42.duplicate, ["ExpansionTemplate", name], o.origin));
    byName.delete(name);
    byName.set(name, o);
  }
  return [...byName.values()];
}

export function readExpansionTemplates(objects: readonly PolicyObject[]): ReadTemplates {
  const out: ReadTemplates = { templates: [], diagnostics: [] };
  const sorted = lastByName(objects, out.diagnostics).sort((a, b) => (nameOf(a.object) < nameOf(b.object) ? -1 : nameOf(a.object) > nameOf(b.object) ? 1 : 0));
  const graph = new Map<string, Set<string>>();
  for (const o of sorted) {
    const t = readOne(o.object);
    if (typeof t === "string") {
      out.diagnostics.push(diag(PC42.expansionRejected, [nameOf(o.object) || "<unnamed>", t], o.origin));
      continue;
    }
    const to = key(t.generatedGVK);
    const froms = applyToGVKs(t.applyTo).map(key);
    const cyclic = froms.find((f) => closesCycle(graph, f, to));
    if (cyclic) {
      out.diagnostics.push(diag(PC42.expansionRejected, [t.name, `with the other templates it forms an expansion cycle from ${cyclic} to ${to}`], o.origin));
      continue;
    }
    for (const f of froms) {
      const s = graph.get(f) ?? new Set<string>();
      s.add(to);
      graph.set(f, s);
    }
    out.templates.push(t);
  }
  return out;
}
