/**
 * Mutation and expansion built together from one set of policy objects, as gator builds its
 * expander: the mutators and ExpansionTemplates among the objects become a MutationSystem and an
 * ExpansionSystem (the latter applying `source: Generated`/`All` mutators to what it generates).
 * `expandObject` is gator's order for an object under test: mutate it as an original object, then
 * expand the result.
 */
import type { Diagnostic } from "../../../diagnostics/index.js";
import type { KubeObject } from "../objects.js";
import { isExpansionTemplate, isMutator, type PolicyObject } from "../policy-set.js";
import { MutationSystem, type MutationSystemOptions } from "../mutation/system.js";
import { ExpansionSystem, type ExpandedObject, type ExpansionContext } from "./system.js";
import { readExpansionTemplates } from "./template.js";

export interface Expander {
  mutation: MutationSystem;
  expansion: ExpansionSystem;
  /** Refused mutators and templates (errors), and warnings about usable ones. */
  diagnostics: Diagnostic[];
}

/** Builds both systems from mutators and ExpansionTemplates (other objects are ignored). */
export function buildExpander(
  mutators: readonly PolicyObject[],
  templates: readonly PolicyObject[],
  options: MutationSystemOptions = {},
): Expander {
  const mutation = new MutationSystem(mutators, options);
  const read = readExpansionTemplates(templates);
  return { mutation, expansion: new ExpansionSystem(read.templates, mutation), diagnostics: [...mutation.diagnostics, ...read.diagnostics] };
}

/** Splits objects into mutators and ExpansionTemplates and builds the expander. */
export function expanderFromObjects(objects: readonly PolicyObject[], options: MutationSystemOptions = {}): Expander {
  return buildExpander(
    objects.filter((o) => isMutator(o.object)),
    objects.filter((o) => isExpansionTemplate(o.object)),
    options,
  );
}

/** gator's order: the object is mutated as an original, then expanded. Throws MutationError/ExpansionError. */
export function expandObject(e: Expander, obj: KubeObject, ctx: ExpansionContext = {}): ExpandedObject[] {
  const base = e.mutation.mutate(obj, ctx.namespace ? { namespace: ctx.namespace } : {}).object;
  return e.expansion.expand(base, ctx);
}
