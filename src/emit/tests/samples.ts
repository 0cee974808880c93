/**
 * Builds the objects a case reviews: the plain object, or an `admission.k8s.io/v1` AdmissionReview
 * when the case sets operation, userInfo or oldObject (its `request.kind` is filled from the object
 * so templates reading `input.review.kind` behave as at admission). For constraints that select
 * namespaces by label, adds a Namespace to the inventory so the object is in scope, as it would be
 * in a namespace the constraint binds to.
 */
import type { LabelSelectorIR, TestCaseIR } from "../../ir/ir.js";
import { selectorMatches } from "../../testing/gatekeeper/label-selector.js";
import { gvkOf, isNamespaceObject, isObject, nameOf, namespaceOf } from "../../testing/gatekeeper/objects.js";

export type CaseIR = TestCaseIR;

export function reviewedObject(tc: CaseIR): Record<string, unknown> {
  const obj = (isObject(tc.object) ? tc.object : {}) as Record<string, unknown>;
  const adm = tc.admission;
  if (!adm || (adm.operation === undefined && adm.userInfo === undefined && adm.oldObject === undefined)) return obj;
  const g = gvkOf(obj);
  const request: Record<string, unknown> = {
    uid: `policyc-${tc.name}`,
    kind: { group: g.group, version: g.version, kind: g.kind },
  };
  const name = nameOf(obj);
  const ns = namespaceOf(obj);
  if (name) request.name = name;
  if (ns) request.namespace = ns;
  request.operation = adm.operation ?? "CREATE";
  if (adm.userInfo) request.userInfo = adm.userInfo;
  // DELETE reviews carry only the old object; Gatekeeper copies it into `object`.
  if (!(adm.operation === "DELETE" && adm.oldObject !== undefined)) request.object = obj;
  if (adm.oldObject !== undefined) request.oldObject = adm.oldObject;
  return { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request };
}

/** Labels that satisfy the selector, or undefined when none can be derived. */
export function labelsFor(sel: LabelSelectorIR): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...(sel.matchLabels ?? {}) };
  for (const e of sel.matchExpressions ?? []) {
    if (e.operator === "In" && e.values && e.values.length > 0) labels[e.key] ??= e.values[0]!;
    else if (e.operator === "Exists") labels[e.key] ??= "true";
  }
  try {
    return selectorMatches(sel as never, labels) ? labels : undefined;
  } catch {
    return undefined;
  }
}

/** The case's inventory, plus the object's Namespace when the selector needs one the case lacks. */
export function inventoryFor(tc: CaseIR, namespaceSelector: LabelSelectorIR | undefined): unknown[] {
  const inv = [...(tc.inventory ?? [])];
  if (!namespaceSelector || !isObject(tc.object)) return inv;
  const obj = tc.object as Record<string, unknown>;
  const ns = namespaceOf(obj);
  if (ns === "" || isNamespaceObject(obj)) return inv;
  const has = inv.some((o) => isObject(o) && isNamespaceObject(o) && nameOf(o) === ns);
  if (has) return inv;
  const labels = labelsFor(namespaceSelector);
  if (!labels) return inv;
  inv.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns, ...labels } } });
  return inv;
}
