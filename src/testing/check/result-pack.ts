/**
 * A batch of check results as a worker thread sends it to the main thread: a table of the batch's
 * distinct strings, a list of integers (the results' fields, each string by its index in the table)
 * and, by reference, the few values of no fixed shape (violations' details, reviewed objects,
 * diagnostics). Structured clone would write and read every result, violation and constraint name
 * as an object of its own: on a cluster snapshot, about a tenth of a second of the main thread's
 * time per 10,000 objects, and the main thread also reads the inputs and writes the report. Packed,
 * a batch crosses as two arrays, and the main thread builds its results with their usual shapes.
 */
import type { Diagnostic } from "../../diagnostics/index.js";
import type { KubeObject } from "../gatekeeper/objects.js";
import type { ObjectOrigin } from "../gatekeeper/policy-set.js";
import type { Action, CheckViolation, ObjectResult, ObjectStatus } from "./evaluate.js";

export interface PackedResults {
  strings: string[];
  ints: Int32Array<ArrayBuffer>;
  /** Values kept as they are (structured clone copies them), by index. */
  values: unknown[];
}

interface Batch {
  results: ObjectResult[];
  diagnostics: Diagnostic[];
}

/** Absent (an optional field, a value not kept). */
const NONE = -1;

export function packResults(batch: Batch): PackedResults {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ints: number[] = [];
  const values: unknown[] = [batch.diagnostics];
  const str = (s: string | undefined) => {
    if (s === undefined) return ints.push(NONE);
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return ints.push(i);
  };
  const num = (n: number | undefined) => ints.push(n === undefined ? NONE : n);
  const value = (v: unknown) => ints.push(v === undefined ? NONE : values.push(v) - 1);
  ints.push(batch.results.length);
  for (const r of batch.results) {
    const o = r.origin;
    str(o.file);
    num(o.line);
    num(o.col);
    num(o.endLine);
    num(o.endCol);
    num(o.document);
    str(o.source);
    str(r.apiVersion);
    str(r.kind);
    str(r.name);
    str(r.namespace);
    str(r.status);
    num(r.matched);
    num(r.matchedConstraints.length);
    for (const c of r.matchedConstraints) str(c);
    num(r.violations.length);
    for (const v of r.violations) {
      str(v.constraint.kind);
      str(v.constraint.name);
      str(v.action);
      str(v.enforcementAction);
      str(v.msg);
      value(v.details);
      value(v.scopedActions);
      str(v.expansion?.template);
      str(v.expansion?.kind);
    }
    value(r.diagnostics.length > 0 ? r.diagnostics : undefined);
    value(r.reviewed);
    value(r.mutatedBy);
  }
  return { strings, ints: Int32Array.from(ints), values };
}

/**
 * What the results of a run's batches share: one string per constraint name in `matchedConstraints`
 * and one `constraint` object per constraint in violations (a snapshot's results name a few hundred
 * constraints hundreds of thousands of times).
 */
export interface SharedNames {
  ids: Map<string, string>;
  constraints: Map<string, { kind: string; name: string }>;
}

/** The batch a `PackedResults` was made from, its constraint names shared with the run's other batches. */
export function unpackResults(p: PackedResults, shared: SharedNames): Batch {
  const { strings, ints, values } = p;
  let at = 0;
  const int = () => ints[at++]!;
  const str = () => strings[ints[at++]!]!;
  const optional = <T>(from: readonly T[]): T | undefined => {
    const i = ints[at++]!;
    return i === NONE ? undefined : from[i];
  };
  const results: ObjectResult[] = [];
  for (let n = int(); n > 0; n--) {
    const origin: ObjectOrigin = { file: str(), line: int(), col: int() };
    const endLine = int();
    const endCol = int();
    const document = int();
    const source = optional(strings);
    if (endLine !== NONE) origin.endLine = endLine;
    if (endCol !== NONE) origin.endCol = endCol;
    if (document !== NONE) origin.document = document;
    if (source !== undefined) origin.source = source;
    const r: ObjectResult = {
      origin,
      apiVersion: str(),
      kind: str(),
      name: str(),
      namespace: str(),
      status: str() as ObjectStatus,
      matched: int(),
      matchedConstraints: [],
      violations: [],
      diagnostics: [],
    };
    for (let m = int(); m > 0; m--) {
      const id = str();
      let one = shared.ids.get(id);
      if (one === undefined) shared.ids.set(id, (one = id));
      r.matchedConstraints.push(one);
    }
    for (let m = int(); m > 0; m--) {
      const kind = str();
      const name = str();
      const key = `${kind}/${name}`;
      let constraint = shared.constraints.get(key);
      if (!constraint) shared.constraints.set(key, (constraint = { kind, name }));
      const v: CheckViolation = { constraint, action: str() as Action, enforcementAction: str(), msg: str(), details: optional(values) };
      const scopedActions = optional(values) as string[] | undefined;
      if (scopedActions) v.scopedActions = scopedActions;
      const template = optional(strings);
      const expandedKind = optional(strings);
      if (template !== undefined) v.expansion = { template, kind: expandedKind! };
      r.violations.push(v);
    }
    const diagnostics = optional(values) as Diagnostic[] | undefined;
    if (diagnostics) r.diagnostics = diagnostics;
    const reviewed = optional(values) as KubeObject | undefined;
    if (reviewed) r.reviewed = reviewed;
    const mutatedBy = optional(values) as string[] | undefined;
    if (mutatedBy) r.mutatedBy = mutatedBy;
    results.push(r);
  }
  return { results, diagnostics: values[0] as Diagnostic[] };
}
