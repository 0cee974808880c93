/**
 * `-o json` / `-o yaml`: gator test's output, so scripts written for `gator test -o json` keep
 * working: a list of results, each `{target, msg, metadata: {details}, constraint,
 * enforcementAction, scopedEnforcementActions?, violatingObject, trace}` (the constraint framework's
 * Result plus gator's violating object), in input order.
 */
import { toYamlSequence } from "../../../emit/yaml.js";
import type { KubeObject } from "../../gatekeeper/objects.js";
import type { CheckRun } from "../run.js";

export function gatorResults(run: CheckRun): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of run.results) {
    for (const v of r.violations) {
      const constraint: KubeObject | undefined = run.constraintObjects.get(`${v.constraint.kind}/${v.constraint.name}`);
      const item: Record<string, unknown> = {
        target: "admission.k8s.gatekeeper.sh",
        msg: v.msg,
        metadata: { details: v.details ?? {} },
        constraint: constraint ?? { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: v.constraint.kind, metadata: { name: v.constraint.name } },
        enforcementAction: v.enforcementAction,
      };
      if (v.scopedActions) item.scopedEnforcementActions = v.scopedActions;
      item.violatingObject = r.reviewed ?? null;
      item.trace = null;
      out.push(item);
    }
  }
  return out;
}

export function renderGatorJson(run: CheckRun): string {
  return `${JSON.stringify(gatorResults(run), null, 2)}\n`;
}

export function renderGatorYaml(run: CheckRun): string {
  return toYamlSequence(gatorResults(run));
}
