/**
 * Gatekeeper's mutation webhook, offline: every usable mutator of a policy set, in Gatekeeper's
 * order (sorted by kind, then name: `Assign` < `AssignImage` < `AssignMetadata` < `ModifySet`),
 * applied to an object in passes. A mutator applies when its `applyTo` names the object's
 * group/version/kind (and operation) and its `match` selects the object (the constraint matcher of
 * match.ts, with `source` Original for real objects and Generated for expanded ones). Passes repeat
 * until one changes nothing; after as many passes as there are mutators plus one the mutation "does
 * not converge", and a pass that brings the object back to the original "oscillates": both are
 * errors for that object, as they are for the webhook. Mutators that disagree about a kind's schema
 * (a field used as an object by one and as a list by another) are skipped, as Gatekeeper does.
 */
import { diag, type Diagnostic, type Span } from "../../../diagnostics/index.js";
import { applyToGVKs, appliesTo } from "../apply-to.js";
import { PC42 } from "../diagnostics.js";
import { jsonClone, jsonEqual } from "../json-values.js";
import { matchesObject, type Source } from "../match.js";
import { gvkOf, nameOf, namespaceOf, type KubeObject } from "../objects.js";
import { wildcardMatches } from "../wildcard.js";
import type { ExemptNamespace, PolicyObject } from "../policy-set.js";
import { readMutator, type Mutator } from "./mutator.js";
import { MutationError } from "./path.js";

export { MutationError };

export interface MutationContext {
  /** The object's Namespace, when known (needed by `namespaceSelector`). */
  namespace?: KubeObject;
  /** The admission operation (`CREATE`, `UPDATE`); empty for audit, gator and expansion. */
  operation?: string;
  /** `Generated` for objects produced by expansion. */
  source?: Source;
}

export interface MutationResult {
  object: KubeObject;
  /** `Kind/name` of every mutator that changed the object, in the order they first did. The object itself when none did. */
  applied: string[];
}

export interface MutationSystemOptions {
  /** The Gatekeeper Config's exemptions; those covering `mutation-webhook` skip mutation. */
  exemptNamespaces?: readonly ExemptNamespace[];
}

const compare = (a: Mutator, b: Mutator) => (a.kind !== b.kind ? (a.kind < b.kind ? -1 : 1) : a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Whether `nodes` of two mutators agree about the schema along their common prefix. */
function schemaConflict(a: Mutator, b: Mutator): { at: string; why: string } | undefined {
  const terminal = (m: Mutator) => (m.kind === "ModifySet" ? "a list" : m.kind === "AssignImage" ? "a string" : undefined);
  let at = "";
  for (let i = 0; i < Math.min(a.nodes.length, b.nodes.length); i++) {
    const x = a.nodes[i]!;
    const y = b.nodes[i]!;
    if (x.type !== y.type) return { at: at || "(root)", why: `one selects list elements there, the other a field` };
    if (x.type === "list" && y.type === "list") {
      if (x.keyField !== y.keyField) return { at, why: `list keyed by "${x.keyField}" against "${y.keyField}"` };
      if (x.glob || y.glob || x.keyValue !== y.keyValue) return undefined;
      at += `[${x.keyField}: ${x.keyValue}]`;
    } else if (x.type === "object" && y.type === "object") {
      if (x.name !== y.name) return undefined;
      at += at ? `.${x.name}` : x.name;
    }
  }
  const [short, long] = a.nodes.length <= b.nodes.length ? [a, b] : [b, a];
  const t = terminal(short);
  if (t && long.nodes.length > short.nodes.length) return { at, why: `${short.kind} needs ${t} there, ${long.kind} a field inside it` };
  if (a.nodes.length === b.nodes.length && terminal(a) && terminal(b) && terminal(a) !== terminal(b)) return { at, why: `${terminal(a)} against ${terminal(b)}` };
  return undefined;
}

export class MutationSystem {
  /** Usable mutators in the order Gatekeeper applies them. */
  readonly mutators: Mutator[];
  /** Refused mutators, schema conflicts and warnings, at the mutators' origins. */
  readonly diagnostics: Diagnostic[] = [];
  private readonly conflicting = new Set<string>();

  constructor(
    objects: readonly PolicyObject[],
    private readonly options: MutationSystemOptions = {},
  ) {
    // Gatekeeper keys mutators by kind and name: one applied again replaces the first.
    const latest = new Map<string, PolicyObject>();
    for (const o of objects) {
      const key = `${gvkOf(o.object).kind}/${nameOf(o.object)}`;
      if (latest.has(key)) this.diagnostics.push(diag(PC42.duplicate, [gvkOf(o.object).kind, nameOf(o.object)], o.origin));
      latest.delete(key);
      latest.set(key, o);
    }
    const read: { m: Mutator; origin?: Span }[] = [];
    for (const o of latest.values()) {
      const r = readMutator(o.object, o.origin);
      this.diagnostics.push(...r.diagnostics);
      if (r.mutator) read.push(o.origin ? { m: r.mutator, origin: o.origin } : { m: r.mutator });
    }
    read.sort((x, y) => compare(x.m, y.m));
    this.mutators = read.map((r) => r.m);
    this.findConflicts(read);
  }

  private findConflicts(read: readonly { m: Mutator; origin?: Span }[]): void {
    const withSchema = read.filter((r) => r.m.applyTo);
    for (let i = 0; i < withSchema.length; i++)
      for (let j = i + 1; j < withSchema.length; j++) {
        const a = withSchema[i]!;
        const b = withSchema[j]!;
        const shared = applyToGVKs(a.m.applyTo!).find((g) => appliesTo(b.m.applyTo!, g));
        if (!shared) continue;
        const c = schemaConflict(a.m, b.m);
        if (!c) continue;
        this.conflicting.add(a.m.id).add(b.m.id);
        const gvk = `${shared.group ? `${shared.group}/` : ""}${shared.version} ${shared.kind}`;
        this.diagnostics.push(diag(PC42.mutatorConflict, [a.m.kind, a.m.name, b.m.kind, b.m.name, gvk, c.at, c.why], b.origin ?? a.origin));
      }
  }

  private exempt(obj: KubeObject, ctx: MutationContext): boolean {
    const ns = namespaceOf(obj) || (ctx.namespace ? nameOf(ctx.namespace) : "");
    if (ns === "") return false;
    return (this.options.exemptNamespaces ?? []).some(
      (e) => (e.processes.length === 0 || e.processes.includes("*") || e.processes.includes("mutation-webhook")) && wildcardMatches(e.pattern, ns),
    );
  }

  private matches(m: Mutator, obj: KubeObject, ctx: MutationContext): boolean {
    if (m.applyTo && !appliesTo(m.applyTo, gvkOf(obj), ctx.operation ?? "")) return false;
    const target = ctx.namespace ? { object: obj, namespace: ctx.namespace, source: ctx.source ?? "Original" } : { object: obj, source: ctx.source ?? "Original" };
    const v = matchesObject(m.match, target);
    if ("error" in v) throw new MutationError(`matching ${m.id} against ${describe(obj)} failed: ${v.error}`);
    return v.matched;
  }

  /**
   * Mutates a copy of `obj` until it converges. Throws MutationError when a mutation fails, does
   * not converge or oscillates (the webhook would refuse the request).
   */
  mutate(obj: KubeObject, ctx: MutationContext = {}): MutationResult {
    const applied: string[] = [];
    if (this.mutators.length === 0 || this.exempt(obj, ctx)) return { object: obj, applied };
    // Only mutators change the object, so one that no mutator selects as it is stays as it is
    // (and is not copied: most objects of a manifest set are not mutated).
    if (!this.mutators.some((m) => !this.conflicting.has(m.id) && this.matches(m, obj, ctx))) return { object: obj, applied };
    const cur = jsonClone(obj);
    const maxPasses = this.mutators.length + 1;
    // The state before the current pass; a pass "changes" the object when it differs from it
    // afterwards (two mutators undoing each other within a pass change nothing, as in Gatekeeper).
    let prev: KubeObject = obj;
    for (let pass = 0; pass < maxPasses; pass++) {
      let reached = false;
      let changed = false;
      for (const m of this.mutators) {
        if (this.conflicting.has(m.id) || !this.matches(m, cur, ctx)) continue;
        let r;
        try {
          r = m.apply(cur);
        } catch (e) {
          if (!(e instanceof MutationError)) throw e;
          throw new MutationError(`${m.id} failed on ${describe(cur)}: ${e.message}`);
        }
        reached ||= r.reached;
        if (r.changed) {
          changed = true;
          if (!applied.includes(m.id)) applied.push(m.id);
        }
      }
      if (!reached) return { object: cur, applied };
      if (!changed || jsonEqual(prev, cur)) {
        if (!jsonEqual(obj, cur)) return { object: cur, applied };
        if (pass > 0) throw new MutationError(`mutation of ${describe(cur)} oscillates: the mutators (${applied.join(", ")}) undo each other`);
        return { object: obj, applied: [] };
      }
      prev = jsonClone(cur);
    }
    throw new MutationError(
      `mutation of ${describe(cur)} does not converge after ${maxPasses} passes; the mutators (${applied.join(", ")}) keep changing it`,
    );
  }
}

function describe(obj: KubeObject): string {
  const g = gvkOf(obj);
  const ns = namespaceOf(obj);
  return `${g.kind} ${ns ? `${ns}/` : ""}${nameOf(obj) || "<unnamed>"}`;
}
