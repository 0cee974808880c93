/**
 * `-o json` / `-o yaml`: `gator test`'s output, byte for byte where it matters, so scripts written
 * for `gator test -o json|yaml` (jq, yq) keep working on `policyc check`; `-o gator`: the text
 * `gator test` prints without `-o`, one line per result
 * (`apps/v1/Deployment ns/name: ["constraint"] Message: "msg"`, Go-quoted), in the same order.
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
import type { CheckViolation, ObjectResult } from "../evaluate.js";
import { compareGo, sortMapKeys } from "../../go-yaml.js";
import { goQuote } from "../../../engine/builtins/format.js";
import { SortedSpool } from "./spool.js";

/** One result as the constraint framework and gator hold it, before either encoder names its fields. */
export interface GatorResult {
  target: string;
  msg: string;
  metadata: { details: unknown };
  constraint: KubeObject;
  enforcementAction: string;
  scopedActions?: string[];
  violatingObject: KubeObject | null;
}

/** The constraint objects by `Kind/name` (gator prints each result's constraint whole). */
export type ConstraintObjects = ReadonlyMap<string, KubeObject>;

function gatorResult(r: ObjectResult, v: CheckViolation, constraints: ConstraintObjects): GatorResult {
  const constraint = constraints.get(`${v.constraint.kind}/${v.constraint.name}`);
  return {
    target: "admission.k8s.gatekeeper.sh",
    msg: v.msg,
    metadata: { details: v.details ?? {} },
    constraint: constraint ?? { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: v.constraint.kind, metadata: { name: v.constraint.name } },
    enforcementAction: v.enforcementAction,
    ...(v.scopedActions ? { scopedActions: v.scopedActions } : {}),
    violatingObject: r.reviewed ?? null,
  };
}

/** Every result of a run, sorted as gator sorts them (by enforcement action, then message; input order among equals). */
export function gatorResults(run: { results: readonly ObjectResult[]; constraintObjects: ConstraintObjects }): GatorResult[] {
  const out = run.results.flatMap((r) => r.violations.map((v) => gatorResult(r, v, run.constraintObjects)));
  return out.sort((a, b) => compareGo(a.enforcementAction, b.enforcementAction) || compareGo(a.msg, b.msg));
}

/** A result as gator's JSON encoder names its fields (keys in order, maps in Go's order). */
export function gatorJsonItem(g: GatorResult): Record<string, unknown> {
  const item: Record<string, unknown> = { target: g.target };
  if (g.msg !== "") item.msg = g.msg;
  item.metadata = sortMapKeys(g.metadata);
  item.constraint = sortMapKeys(g.constraint);
  if (g.enforcementAction !== "") item.enforcementAction = g.enforcementAction;
  if (g.scopedActions?.length) item.scopedActions = g.scopedActions;
  item.violatingObject = sortMapKeys(g.violatingObject);
  item.trace = null;
  return item;
}

/** A result as gator's YAML encoder names its fields. */
export function gatorYamlItem(g: GatorResult): Record<string, unknown> {
  return {
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
}

/**
 * A result as `gator test` prints it without `-o`: the violating object as `apiVersion/Kind name`
 * (`apiVersion/Kind namespace/name` when it has a namespace: as check reviews it, in `--namespace`
 * when the input names none), the constraint's name and the message, both as Go's `%q` writes them.
 */
export function gatorTextLine(r: Pick<ObjectResult, "apiVersion" | "kind" | "name" | "namespace">, v: Pick<CheckViolation, "constraint" | "msg">): string {
  const name = r.namespace === "" ? r.name : `${r.namespace}/${r.name}`;
  return `${r.apiVersion}/${r.kind} ${name}: [${goQuote(v.constraint.name)}] Message: ${goQuote(v.msg)}\n`;
}

/**
 * Writes `-o json`, `-o yaml` or `-o gator` as results come: each result is rendered at once (a cluster
 * snapshot's report repeats each violating object once per violation, hundreds of megabytes) and
 * set aside by its sort key (`SortedSpool`: in memory up to a budget, then sorted runs in the spool
 * file, merged at the end), so memory does not grow with the report. The document is byte for
 * byte `JSON.stringify(items, null, 4)` / `toYamlSequence(items)` of the sorted results.
 */
export class GatorWriter {
  private readonly spool: SortedSpool;
  private constraints: ConstraintObjects = new Map();
  private count = 0;

  constructor(
    private readonly format: "json" | "yaml" | "gator",
    private readonly write: (s: string) => void,
    spoolBudget?: number,
  ) {
    this.spool = new SortedSpool(2, spoolBudget);
  }

  /** The run's constraint objects, before its first result. */
  begin(constraints: ConstraintObjects): void {
    this.constraints = constraints;
  }

  result(r: ObjectResult): void {
    for (const v of r.violations) {
      const g = gatorResult(r, v, this.constraints);
      // JSON: the item as it is indented inside the array (JSON strings hold no raw line breaks).
      const text =
        this.format === "json"
          ? `    ${JSON.stringify(gatorJsonItem(g), null, 4).replaceAll("\n", "\n    ")}`
          : this.format === "gator"
            ? gatorTextLine(r, v)
            : toYamlSequence([gatorYamlItem(g)]);
      this.spool.add([g.enforcementAction, g.msg], text);
      this.count++;
    }
  }

  end(): void {
    try {
      // gator prints nothing at all when nothing violates.
      if (this.count === 0) return this.format === "gator" ? undefined : this.write(this.format === "json" ? "[]\n" : toYamlSequence([]));
      let first = true;
      if (this.format === "json") this.write("[\n");
      for (const text of this.spool.sorted()) {
        this.write(this.format === "json" && !first ? `,\n${text}` : text);
        first = false;
      }
      if (this.format === "json") this.write("\n]\n");
    } finally {
      this.spool.close();
    }
  }

  abort(): void {
    this.spool.close();
  }
}
