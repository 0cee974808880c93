/**
 * Mutation and expansion built together from one set of policy objects, as gator builds its
 * expander: the mutators and ExpansionTemplates among the objects become a MutationSystem and an
 * ExpansionSystem (the latter applying `source: Generated`/`All` mutators to what it generates).
 * `expandObject` is gator's order for an object under test: mutate it as an original object, then
 * expand the result.
 */
import type { Diagnostic } from "../../../diagnostics/index.js";
import { gvkOf, type KubeObject } from "../objects.js";
import { MutationSystem, type MutationSystemOptions, type SourcedObject } from "../mutation/system.js";
import { ExpansionSystem, type ExpandedObject, type ExpansionContext } from "./system.js";
import { readExpansionTemplates } from "./template.js";

export interface Expander {
  mutation: MutationSystem;
  expansion: ExpansionSystem;
  /** Refused mutators and templates (errors), and warnings about usable ones. */
  diagnostics: Diagnostic[];
}

const MUTATOR_KINDS = new Set(["Assign", "AssignMetadata", "ModifySet", "AssignImage"]);

export function isMutatorObject(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.group === "mutations.gatekeeper.sh" && MUTATOR_KINDS.has(g.kind);
}

export function isExpansionTemplateObject(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.group === "expansion.gatekeeper.sh" && g.kind === "ExpansionTemplate";
}

/** Builds both systems from mutators and ExpansionTemplates (other objects are ignored). */
export function buildExpander(
  mutators: readonly SourcedObject[],
  templates: readonly SourcedObject[],
  options: MutationSystemOptions = {},
): Expander {
  const mutation = new MutationSystem(mutators, options);
  const read = readExpansionTemplates(templates);
  return { mutation, expansion: new ExpansionSystem(read.templates, mutation), diagnostics: [...mutation.diagnostics, ...read.diagnostics] };
}

/** Splits objects into mutators and ExpansionTemplates and builds the expander. */
export function expanderFromObjects(objects: readonly SourcedObject[], options: MutationSystemOptions = {}): Expander {
  return buildExpander(
    objects.filter((o) => isMutatorObject(o.object)),
    objects.filter((o) => isExpansionTemplateObject(o.object)),
    options,
  );
}

/** gator's order: the object is mutated as an original, then expanded. Throws MutationError/ExpansionError. */
export function expandObject(e: Expander, obj: KubeObject, ctx: ExpansionContext = {}): ExpandedObject[] {
  const base = e.mutation.mutate(obj, ctx.namespace ? { namespace: ctx.namespace } : {}).object;
  return e.expansion.expand(base, ctx);
}
