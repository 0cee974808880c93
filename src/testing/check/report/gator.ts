/**
 * `-o json` / `-o yaml`: `gator test`'s output, byte for byte where it matters, so scripts written
 * for `gator test -o json|yaml` (jq, yq) keep working on `policyc check`.
 *
 * gator prints its results in two different shapes, and both are reproduced here:
 * - JSON is the constraint framework's Result marshalled with its JSON tags plus gator's fields:
 *   `{target, msg, metadata: {details}, constraint, enforcementAction, scopedActions?,
 *   violatingObject, trace}` (`msg`, `metadata`, `constraint`, `enforcementAction` and
 *   `scopedActions` are omitted when empty), indented by four spaces.
 * - YAML goes through a YAML encoder that ignores JSON tags: the embedded Result becomes a nested
 *   `result:` mapping with lower-cased Go field names (`enforcementaction`,
 *   `scopedenforcementactions`), the constraint is an unstructured object (`constraint.object`),
 *   and only `violatingObject` and `trace` keep their tagged names. `yq '.[0].result.msg'` is how
 *   gator's own tests read it.
 * Both are sorted as gator sorts them (by enforcement action, then message) and every mapping's keys
 * are in Go's sorted order, as Go's encoders write maps.
 */
import { toYamlSequence } from "../../../emit/yaml.js";
import type { KubeObject } from "../../gatekeeper/objects.js";
import type { CheckRun } from "../run.js";
import { compareGo, sortMapKeys } from "../../go-yaml.js";

/** One result as the constraint framework and gator hold it, before either encoder names its fields. */
interface GatorResult {
  target: string;
  msg: string;
  metadata: { details: unknown };
  constraint: KubeObject;
  enforcementAction: string;
  scopedActions?: string[];
  violatingObject: KubeObject | null;
}

export function gatorResults(run: CheckRun): GatorResult[] {
  const out: GatorResult[] = [];
  for (const r of run.results) {
    for (const v of r.violations) {
      const constraint = run.constraintObjects.get(`${v.constraint.kind}/${v.constraint.name}`);
      out.push({
        target: "admission.k8s.gatekeeper.sh",
        msg: v.msg,
        metadata: { details: v.details ?? {} },
        constraint: constraint ?? { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: v.constraint.kind, metadata: { name: v.constraint.name } },
        enforcementAction: v.enforcementAction,
        ...(v.scopedActions ? { scopedActions: v.scopedActions } : {}),
        violatingObject: r.reviewed ?? null,
      });
    }
  }
  // gator orders by enforcement action, then message; a stable sort keeps input order among equals.
  return out.sort((a, b) => compareGo(a.enforcementAction, b.enforcementAction) || compareGo(a.msg, b.msg));
}

/**
 * Both reports are written item by item: a cluster snapshot's report repeats each violating object
 * once per violation and can outgrow the longest string a JavaScript engine holds.
 */
export function writeGatorJson(run: CheckRun, write: (s: string) => void): void {
  const results = gatorResults(run);
  if (results.length === 0) return write("[]\n");
  write("[\n");
  results.forEach((g, i) => {
    const item: Record<string, unknown> = { target: g.target };
    if (g.msg !== "") item.msg = g.msg;
    item.metadata = sortMapKeys(g.metadata);
    item.constraint = sortMapKeys(g.constraint);
    if (g.enforcementAction !== "") item.enforcementAction = g.enforcementAction;
    if (g.scopedActions?.length) item.scopedActions = g.scopedActions;
    item.violatingObject = sortMapKeys(g.violatingObject);
    item.trace = null;
    // As the item is indented inside the array (JSON strings hold no raw line breaks).
    write(`    ${JSON.stringify(item, null, 4).replaceAll("\n", "\n    ")}${i < results.length - 1 ? "," : ""}\n`);
  });
  write("]\n");
}

export function writeGatorYaml(run: CheckRun, write: (s: string) => void): void {
  const results = gatorResults(run);
  if (results.length === 0) return write(toYamlSequence([]));
  for (const g of results) {
    const item = {
      result: {
        target: g.target,
        msg: g.msg,
        metadata: sortMapKeys(g.metadata),
        constraint: { object: sortMapKeys(g.constraint) },
        enforcementaction: g.enforcementAction,
        scopedenforcementactions: g.scopedActions ?? [],
      },
      violatingObject: sortMapKeys(g.violatingObject),
      trace: null,
    };
    write(toYamlSequence([item]));
  }
}
