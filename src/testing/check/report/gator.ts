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
import { toYamlSequence, yamlSequenceItem, YamlShared } from "../../../emit/yaml.js";
import type { KubeObject } from "../../gatekeeper/objects.js";
import type { CheckViolation, ObjectResult } from "../evaluate.js";
import { compareGo, sortMapKeys } from "../../go-yaml.js";
import { goQuote } from "../../../engine/builtins/format.js";
import { SortedSpool, TextStore } from "./spool.js";

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

/**
 * A result's two large mappings as an item holds them, each in Go's key order: the constraint and
 * the violating object. A writer shares them between the items of one constraint or one object
 * (an object with ten violations is printed ten times), so each is sorted and rendered once.
 */
interface ItemMaps {
  constraint: unknown;
  violatingObject: unknown;
}

const sortedMaps = (g: GatorResult): ItemMaps => ({ constraint: sortMapKeys(g.constraint), violatingObject: sortMapKeys(g.violatingObject) });

/** A result as gator's JSON encoder names its fields (keys in order, maps in Go's order). */
export function gatorJsonItem(g: GatorResult): Record<string, unknown> {
  return jsonItem(g, sortedMaps(g));
}

function jsonItem(g: GatorResult, maps: ItemMaps): Record<string, unknown> {
  const item: Record<string, unknown> = { target: g.target };
  if (g.msg !== "") item.msg = g.msg;
  item.metadata = sortMapKeys(g.metadata);
  item.constraint = maps.constraint;
  if (g.enforcementAction !== "") item.enforcementAction = g.enforcementAction;
  if (g.scopedActions?.length) item.scopedActions = g.scopedActions;
  item.violatingObject = maps.violatingObject;
  item.trace = null;
  return item;
}

/** A result as gator's YAML encoder names its fields. */
export function gatorYamlItem(g: GatorResult): Record<string, unknown> {
  return yamlItem(g, sortedMaps(g));
}

function yamlItem(g: GatorResult, maps: ItemMaps): Record<string, unknown> {
  return {
    result: {
      target: g.target,
      msg: g.msg,
      metadata: sortMapKeys(g.metadata),
      constraint: { object: maps.constraint },
      enforcementaction: g.enforcementAction,
      scopedenforcementactions: g.scopedActions ?? [],
    },
    violatingObject: maps.violatingObject,
    trace: null,
  };
}

/** A value `JSON.stringify(…, null, 4)` would write, rendered once per indent it stands at (`jsonMembers`). */
class JsonShared {
  private readonly byIndent = new Map<string, string>();

  constructor(readonly value: unknown) {}

  at(indent: string): string {
    let text = this.byIndent.get(indent);
    if (text === undefined) this.byIndent.set(indent, (text = indentJson(JSON.stringify(this.value, null, 4), indent)));
    return text;
  }
}

/** JSON text moved to an indent: its lines after the first (JSON strings hold no raw line breaks). */
const indentJson = (text: string, indent: string) => (indent === "" ? text : text.replaceAll("\n", `\n${indent}`));

/**
 * `JSON.stringify(item, null, 4)` of a flat item whose members may be shared (`JsonShared`),
 * standing at `indent` (its first line too).
 */
function jsonMembers(item: Record<string, unknown>, indent: string): string {
  const inner = `${indent}    `;
  const members = Object.entries(item).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${v instanceof JsonShared ? v.at(inner) : indentJson(JSON.stringify(v, null, 4), inner)}`);
  return `${indent}{\n${members.join(",\n")}\n${indent}}`;
}

/** A mapping shared by many items, in Go's key order, as each encoder writes it. */
interface Shared {
  json: JsonShared;
  yaml: YamlShared;
}

function shared(value: unknown): Shared {
  const sorted = sortMapKeys(value) ?? null;
  return { json: new JsonShared(sorted), yaml: new YamlShared(sorted) };
}

/**
 * Where an item's violating object goes: one NUL in the item's text (neither encoder ever writes
 * a raw NUL: both escape it), the item laid out around the object as around the object itself.
 * The object's own text, where it stood, is `text()`.
 */
const HOLE = "\u0000";

/** A shared subtree written as `HOLE`; its text, where it stood, is `text()`. */
function withHole<B extends new (...args: any[]) => { at(indent: string): string }>(Shared: B) {
  return class extends Shared {
    private indent: string | undefined;

    override at(indent: string): string {
      this.indent = indent;
      return HOLE;
    }

    text(): string {
      if (this.indent === undefined) throw new Error("the violating object's text was asked for before its item was written");
      return super.at(this.indent);
    }
  };
}

const YamlHole = withHole(YamlShared);
const JsonHole = withHole(JsonShared);

/**
 * A result as `gator test` prints it without `-o`: the violating object as `apiVersion/Kind name`
 * (`apiVersion/Kind namespace/name` when it has a namespace: as check reviews it, in `--namespace`
 * when the input names none), the constraint's name and the message, both as Go's `%q` writes them.
 */
export function gatorTextLine(r: Pick<ObjectResult, "apiVersion" | "kind" | "name" | "namespace">, v: Pick<CheckViolation, "constraint" | "msg">): string {
  const name = r.namespace === "" ? r.name : `${r.namespace}/${r.name}`;
  return `${r.apiVersion}/${r.kind} ${name}: [${goQuote(v.constraint.name)}] Message: ${goQuote(v.msg)}\n`;
}

/** Pieces of output gathered into writes of about this many characters (a result is three pieces). */
const WRITE_CHARS = 64 << 10;

/**
 * Writes `-o json`, `-o yaml` or `-o gator` as results come: each result is rendered at once and set aside by
 * its sort key (`SortedSpool`: in memory up to a budget, then sorted runs in the spool file,
 * merged at the end), so memory does not grow with the report. A cluster snapshot's report
 * repeats each violating object once per violation (hundreds of megabytes): an item is set aside
 * as its text before and after its object, and the object's text is stored once (`TextStore`) and
 * put back in each of its items as they are written. The document is byte for byte
 * `JSON.stringify(items, null, 4)` / `toYamlSequence(items)` of the sorted results: YAML by the
 * block writer (`yamlSequenceItem`), JSON member by member; each constraint's text is rendered
 * once. gator's lines name the object and the constraint: they are set aside whole.
 */
export class GatorWriter {
  private readonly spool: SortedSpool;
  private readonly objects: TextStore;
  private constraints: ConstraintObjects = new Map();
  /** The constraints' shared renderings, by `Kind/name`, as they are first printed. */
  private readonly constraintText = new Map<string, Shared>();
  private count = 0;

  constructor(
    private readonly format: "json" | "yaml" | "gator",
    private readonly write: (s: string) => void,
    spoolBudget?: number,
  ) {
    this.spool = new SortedSpool(2, spoolBudget, 3);
    this.objects = new TextStore(spoolBudget);
  }

  /** The run's constraint objects, before its first result. */
  begin(constraints: ConstraintObjects): void {
    this.constraints = constraints;
  }

  result(r: ObjectResult): void {
    if (r.violations.length === 0) return;
    if (this.format === "gator") {
      // No object text: the line is the whole item.
      for (const v of r.violations) this.spool.add([v.enforcementAction, v.msg], gatorTextLine(r, v), "", "");
      this.count += r.violations.length;
      return;
    }
    const object = sortMapKeys(r.reviewed ?? null);
    const hole = this.format === "json" ? new JsonHole(object) : new YamlHole(object);
    let stored: string | undefined;
    for (const v of r.violations) {
      const g = gatorResult(r, v, this.constraints);
      const id = `${v.constraint.kind}/${v.constraint.name}`;
      let constraint = this.constraintText.get(id);
      if (!constraint) this.constraintText.set(id, (constraint = shared(g.constraint)));
      const text =
        hole instanceof JsonHole
          ? // The item as it is indented inside the array.
            jsonMembers(jsonItem(g, { constraint: constraint.json, violatingObject: hole }), "    ")
          : yamlSequenceItem(yamlItem(g, { constraint: constraint.yaml, violatingObject: hole }));
      const cut = text.indexOf(HOLE);
      if (cut < 0 || text.indexOf(HOLE, cut + 1) >= 0) throw new Error("a gator report item does not hold its violating object exactly once");
      if (stored === undefined) {
        const h = this.objects.add(hole.text());
        stored = `${h.at},${h.bytes}`;
      }
      this.spool.add([g.enforcementAction, g.msg], text.slice(0, cut), stored, text.slice(cut + 1));
      this.count++;
    }
  }

  end(): void {
    try {
      // gator prints nothing at all when nothing violates.
      if (this.count === 0) return this.format === "gator" ? undefined : this.write(this.format === "json" ? "[]\n" : toYamlSequence([]));
      let pending = this.format === "json" ? "[\n" : "";
      let first = true;
      for (const [before, stored, after] of this.spool.sortedRecords()) {
        const [at, bytes] = stored!.split(",").map(Number) as [number, number];
        const object = stored === "" ? "" : this.objects.get({ at, bytes });
        pending += `${this.format === "json" && !first ? ",\n" : ""}${before}${object}${after}`;
        first = false;
        if (pending.length >= WRITE_CHARS) {
          this.write(pending);
          pending = "";
        }
      }
      if (this.format === "json") pending += "\n]\n";
      this.write(pending);
    } finally {
      this.spool.close();
      this.objects.close();
    }
  }

  abort(): void {
    this.spool.close();
    this.objects.close();
  }
}
