/**
 * Names Deckhouse's admission-policy-engine owns. A check of a kind Deckhouse's own templates use
 * (`D8PrivilegedContainer`, …) would be a second ConstraintTemplate `d8privilegedcontainer`, and
 * Argo CD and Deckhouse would overwrite each other's object: an error (PC2042). Any other `D8…`
 * kind takes Deckhouse's prefix, where its next release may add a template: a warning (PC2043).
 * A pack of Deckhouse's own templates (config `deckhouse.policyPack: true`) is exempt.
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { DECKHOUSE_KINDS } from "../../deckhouse/kinds.js";
import { fieldOrigin, type ProjectIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";

/** Templates Deckhouse ships besides those it renders from policies (research: deckhouse-ape.md §4). */
const OTHER_TEMPLATES = ["D8DenyExec", "D8DenyExecHeritage", "D8VulnerableImages"];

const RESERVED = new Set([...DECKHOUSE_KINDS.map((k) => k.kind), ...OTHER_TEMPLATES].map((k) => k.toLowerCase()));

export function checkDeckhouseNames(project: ProjectIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (project.config.deckhouse.policyPack === true) return out;
  for (const check of project.checks) {
    const at = fieldOrigin(check, "kind");
    if (RESERVED.has(check.kind.toLowerCase())) out.push(diag(D.deckhouseKind, [check.kind, check.kind.toLowerCase()], at));
    else if (/^d8/i.test(check.kind)) out.push(diag(D.deckhousePrefix, [check.kind], at));
  }
  for (const r of project.resources) {
    if (r.kind === "ConstraintTemplate" && RESERVED.has(r.name)) out.push(diag(D.deckhouseKind, [r.name, r.name], fieldOrigin(r, "metadata.name")));
  }
  return out;
}
