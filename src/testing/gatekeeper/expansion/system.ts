/**
 * Gatekeeper's expansion of workloads into the objects they would create. For each ExpansionTemplate
 * whose `applyTo` names the object's group/version/kind, the field at `templateSource` (e.g.
 * `spec.template` of a Deployment) becomes a new object of `generatedGVK`, named
 * `<parent name>-<kind>` in lowercase (`web-pod`), in the parent's namespace, with an owner
 * reference to the parent. Mutators whose `match.source` is `All` or `Generated` are then applied
 * to it (sidecar injection and controller defaults are modelled this way), and the result is
 * expanded again (a CronJob's Job into its Pod), at most 30 levels deep. Results of deeper levels
 * come first, as Gatekeeper returns them.
 *
 * Violations found on a generated object belong to the parent: `aggregate.ts` prefixes their
 * messages with `[Implied by <template>]` and applies the template's enforcement action.
 */
import { appliesTo } from "../apply-to.js";
import { jsonClone } from "../json-values.js";
import { gvkOf, isObject, nameOf, namespaceOf, type KubeObject } from "../objects.js";
import { MutationError, type MutationSystem } from "../mutation/system.js";
import type { ExpandedObject } from "../policy-set.js";
import type { ExpansionTemplate } from "./template.js";

export class ExpansionError extends Error {}

export type { ExpandedObject };

export interface ExpansionContext {
  /** The parent's Namespace object, when known (mutators' `namespaceSelector` needs it). */
  namespace?: KubeObject;
}

const MAX_DEPTH = 30;

function apiVersionOf(g: { group: string; version: string }): string {
  return g.group === "" ? g.version : `${g.group}/${g.version}`;
}

/** The map at a dotted path, `undefined` when a field on the way is missing; throws when one is not a map. */
function nestedMap(obj: KubeObject, path: string): Record<string, unknown> | undefined {
  let cur: unknown = obj;
  const parts = path.split(".");
  for (const [i, p] of parts.entries()) {
    if (!isObject(cur)) throw new ExpansionError(`${parts.slice(0, i).join(".")} is not an object`);
    if (!Object.prototype.hasOwnProperty.call(cur, p)) return undefined;
    cur = cur[p];
  }
  if (!isObject(cur)) throw new ExpansionError(`${path} is not an object`);
  return cur;
}

/** An ownerReferences entry as Kubernetes' typed OwnerReference holds it (unknown fields dropped). */
function typedOwnerReference(r: Record<string, unknown>): Record<string, unknown> {
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const out: Record<string, unknown> = { apiVersion: str(r.apiVersion), kind: str(r.kind), name: str(r.name), uid: str(r.uid) };
  if (typeof r.controller === "boolean") out.controller = r.controller;
  if (typeof r.blockOwnerDeletion === "boolean") out.blockOwnerDeletion = r.blockOwnerDeletion;
  return out;
}

export class ExpansionSystem {
  constructor(
    /** Usable templates (readExpansionTemplates), in name order. */
    readonly templates: readonly ExpansionTemplate[],
    private readonly mutation?: MutationSystem,
  ) {}

  /** Whether some template expands objects of this object's kind. */
  expands(obj: KubeObject): boolean {
    const gvk = gvkOf(obj);
    return this.templates.some((t) => appliesTo(t.applyTo, gvk));
  }

  /** The objects `obj` would create; throws ExpansionError when a template or mutator fails on it. */
  expand(obj: KubeObject, ctx: ExpansionContext = {}): ExpandedObject[] {
    const out: ExpandedObject[] = [];
    this.expandInto(obj, ctx, out, 0);
    return out;
  }

  private expandInto(obj: KubeObject, ctx: ExpansionContext, out: ExpandedObject[], depth: number): void {
    if (depth >= MAX_DEPTH) throw new ExpansionError(`expansion is nested deeper than ${MAX_DEPTH} levels`);
    const gvk = gvkOf(obj);
    if (gvk.kind === "" && gvk.version === "") throw new ExpansionError(`cannot expand ${nameOf(obj) || "an object"} without apiVersion and kind`);
    const level: ExpandedObject[] = [];
    for (const t of this.templates) {
      if (!appliesTo(t.applyTo, gvk)) continue;
      const r: ExpandedObject = { object: this.resultant(obj, t, ctx), template: t.name };
      if (t.enforcementAction !== undefined) r.enforcementAction = t.enforcementAction;
      level.push(r);
    }
    for (const r of level) this.expandInto(r.object, ctx, out, depth + 1);
    out.push(...level);
  }

  private resultant(parent: KubeObject, t: ExpansionTemplate, ctx: ExpansionContext): KubeObject {
    let src: Record<string, unknown> | undefined;
    try {
      src = nestedMap(parent, t.templateSource);
    } catch (e) {
      if (!(e instanceof ExpansionError)) throw e;
      throw new ExpansionError(`ExpansionTemplate ${t.name}: cannot read ${t.templateSource} of ${nameOf(parent)}: ${e.message}`);
    }
    if (!src) throw new ExpansionError(`ExpansionTemplate ${t.name}: ${gvkOf(parent).kind} ${nameOf(parent)} has no ${t.templateSource}`);
    const copy = jsonClone(src);
    const metadata = isObject(copy.metadata) ? copy.metadata : {};
    const namespace = ctx.namespace ? nameOf(ctx.namespace) : namespaceOf(parent);
    const name = `${nameOf(parent)}${t.generatedGVK.kind ? `-${t.generatedGVK.kind}` : ""}`.toLowerCase();
    // Gatekeeper writes the reference as a typed OwnerReference, whose uid is always present
    // (empty: the parent is not stored yet); so are the references the template already had,
    // rewritten with it when one is added.
    const owner = { apiVersion: typeof parent.apiVersion === "string" ? parent.apiVersion : "", kind: gvkOf(parent).kind, name: nameOf(parent), uid: "" };
    let refs = Array.isArray(metadata.ownerReferences) ? [...metadata.ownerReferences] : [];
    if (owner.apiVersion && owner.kind && owner.name && !refs.some((r) => isObject(r) && r.apiVersion === owner.apiVersion && r.kind === owner.kind && r.name === owner.name))
      refs = [...refs.filter(isObject).map(typedOwnerReference), owner];
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = copy;
    const object: KubeObject = {
      apiVersion: apiVersionOf(t.generatedGVK),
      kind: t.generatedGVK.kind,
      metadata: { ...metadata, name, ...(namespace ? { namespace } : {}), ...(refs.length > 0 ? { ownerReferences: refs } : {}) },
      ...rest,
    };
    if (!this.mutation) return object;
    try {
      return this.mutation.mutate(object, { ...(ctx.namespace ? { namespace: ctx.namespace } : {}), source: "Generated" }).object;
    } catch (e) {
      if (!(e instanceof MutationError)) throw e;
      throw new ExpansionError(`failed to mutate the generated ${t.generatedGVK.kind} ${name}: ${e.message}`);
    }
  }
}
