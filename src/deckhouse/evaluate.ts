/**
 * Runs a Deckhouse policy set over objects as the cluster would admit them: Deckhouse's webhook
 * scope first (system namespaces, Gatekeeper's own pods), then every Constraint through the
 * Gatekeeper emulation (match, parameters, inventory with Namespaces and SecurityPolicyExceptions)
 * on policyc's Rego engine.
 */
import { prepareTemplate, reviewWith } from "../testing/gatekeeper/client.js";
import { wasmBackend } from "../testing/gatekeeper/backend.js";
import { readConstraint } from "../testing/gatekeeper/constraint.js";
import { InventoryBuilder } from "../testing/gatekeeper/inventory.js";
import { reviewForObject } from "../testing/gatekeeper/review.js";
import { readTemplate } from "../testing/gatekeeper/template.js";
import { namespaceLabels, webhookSkips } from "./exemptions.js";
import type { DeckhousePolicySet } from "./policy-set.js";

type Obj = Record<string, any>;

export interface Finding {
  object: { kind: string; name: string; namespace?: string };
  /** Constraint kind and name, as Gatekeeper prefixes messages: `[<name>] <msg>`. */
  constraint: { kind: string; name: string };
  enforcementAction: string;
  msg: string;
}

export interface Skipped {
  object: { kind: string; name: string; namespace?: string };
  reason: string;
}

const ref = (o: Obj) => ({ kind: String(o.kind), name: String(o.metadata?.name ?? ""), ...(o.metadata?.namespace ? { namespace: String(o.metadata.namespace) } : {}) });

/** Objects a policy set does not judge: its own definitions and Gatekeeper's. */
function judged(o: Obj): boolean {
  const api = String(o?.apiVersion ?? "");
  return !(api === "deckhouse.io/v1alpha1" || api.startsWith("templates.gatekeeper.sh/") || api.startsWith("constraints.gatekeeper.sh/") || o.kind === "Namespace");
}

export async function evaluateDeckhouse(set: DeckhousePolicySet, objects: readonly Obj[]): Promise<{ findings: Finding[]; skipped: Skipped[] }> {
  const inventory = new InventoryBuilder();
  const namespaces = new Map<string, Record<string, string> | undefined>();
  for (const o of objects) if (o?.apiVersion === "v1" && o.kind === "Namespace") namespaces.set(String(o.metadata?.name), o.metadata?.labels ?? {});
  for (const o of objects) {
    const ns = o?.metadata?.namespace;
    if (typeof ns === "string" && !namespaces.has(ns)) namespaces.set(ns, undefined);
  }
  for (const [name, labels] of namespaces) {
    inventory.add({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: namespaceLabels(name, labels) } });
  }
  for (const o of set.inventory) inventory.add(o);
  const prepared = new Map<string, Awaited<ReturnType<typeof prepareTemplate>>>();
  for (const t of set.templates) {
    const info = readTemplate(t);
    prepared.set(info.kind, await prepareTemplate(info, wasmBackend, `${info.name}.yaml`));
  }
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  for (const o of objects) {
    if (!judged(o)) continue;
    const ns = o.metadata?.namespace as string | undefined;
    const reason = webhookSkips(ns, namespaceLabels(ns, ns ? namespaces.get(ns) : undefined), o.metadata?.labels ?? {});
    if (reason) {
      skipped.push({ object: ref(o), reason });
      continue;
    }
    const review = reviewForObject(o);
    for (const c of set.constraints) {
      const t = prepared.get(c.kind);
      if (!t) continue;
      const outcome = await reviewWith(t, readConstraint(c as unknown as Obj), review, inventory);
      for (const v of outcome.violations) {
        findings.push({ object: ref(o), constraint: { kind: c.kind, name: c.metadata.name }, enforcementAction: v.enforcementAction, msg: v.msg });
      }
    }
  }
  return { findings, skipped };
}
