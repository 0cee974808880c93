/**
 * Native-vs-Wasm(-vs-CEL) differential testing of one TypeScript-bodied check: the same input is
 * decided by calling the user's `violation` function in Node, by evaluating the compiled Rego under
 * policyc's Wasm engine and, when its template carries `K8sNativeValidation` code, by policyc's CEL
 * engine as Gatekeeper's CEL driver runs it. TypeScript and Rego must produce the same set of
 * `{msg, details?}` (Rego's `violation` is a set, so identical reports collapse natively too); CEL
 * words its messages per validation, so it must reach the same decision: violations or none (an
 * evaluation error counts as a violation on every side, as Gatekeeper reports it). Any difference
 * fails, and fast-check shrinks a failing generated input to the smallest counterexample.
 */
import fc from "fast-check";
import type { ViolationFn } from "../api/violation.js";
import type { TestCaseIR } from "../ir/ir.js";
import type { JsonSchema } from "../ir/schema.js";
import type { CheckShapes } from "../transpile/shape.js";
import { reviewForObject } from "../testing/gatekeeper/review.js";
import type { KubeObject } from "../testing/gatekeeper/objects.js";
import { inputArbitrary } from "./generate.js";

export interface CheckUnderTest {
  kind: string;
  /** The emitted Rego module and its dialect. */
  rego: string;
  /** Its package as `a/b` (default: the lowercase kind, as policyc emits it). */
  pkg?: string;
  regoVersion: "v0" | "v1";
  fn: ViolationFn<unknown, unknown>;
  shapes: CheckShapes;
  parameters: JsonSchema;
  tests: TestCaseIR[];
  /** The template's `K8sNativeValidation` source, when it has one (the third engine). */
  cel?: unknown;
}

export interface DifferentialOptions {
  /** Generated inputs per check (default 500). */
  runs?: number;
  seed?: number;
}

export interface Difference {
  input: { review: unknown; parameters: unknown };
  native: string[];
  rego: string[];
  /** CEL's messages, when the check has CEL. */
  cel?: string[];
}

export interface CaseOutcome {
  name: string;
  difference?: Difference;
}

export interface CheckOutcome {
  kind: string;
  cases: CaseOutcome[];
  /** `violating`: generated inputs the check reported at least one violation for (both sides agreed). */
  generated: { runs: number; seed: number; violating: number; difference?: Difference; shrinks?: number };
  /** The module did not compile or load (an internal error of the transpiler). */
  error?: string;
  /** The check's CEL took part (its template carries K8sNativeValidation code). */
  cel?: boolean;
}

type Decide = (input: { review: unknown; parameters: unknown }) => string[];

/** Canonical JSON (sorted keys) of each element, sorted and deduplicated: a set of violations. */
function canonicalSet(elements: unknown[]): string[] {
  return [...new Set(elements.map(canonical))].sort();
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "undefined";
}

export function nativeDecide(fn: ViolationFn<unknown, unknown>): Decide {
  return (input) => {
    const out: unknown[] = [];
    try {
      // The body gets its own copy: a body that mutates its input must not leak into the Rego run.
      const { review, parameters } = structuredClone(input);
      fn(review as never, parameters as never, (msg, details) => out.push(details === undefined ? { msg } : { msg, details }));
    } catch (e) {
      // An error is a decision too: Gatekeeper reports a failed evaluation instead of violations.
      return [`<error> ${(e as Error).message}`.slice(0, 7)];
    }
    return canonicalSet(out);
  };
}

/** `pkg`: the module's package path with `/` (default: the check's lowercase kind, as policyc emits it). */
export async function regoDecide(kind: string, rego: string, regoVersion: "v0" | "v1", pkg = kind.toLowerCase()): Promise<Decide> {
  const engine = await import("../engine/index.js");
  const entrypoint = `${pkg}/violation`;
  const wasm = engine.compile({ modules: [{ file: `${kind.toLowerCase()}.rego`, text: rego }], entrypoints: [entrypoint], regoVersion });
  const mod = await engine.loadModule(wasm);
  mod.setData({});
  return (input) => {
    try {
      const raw = mod.evaluate(input, entrypoint) as { result?: unknown }[];
      const value = raw[0]?.result;
      return canonicalSet(Array.isArray(value) ? value : []);
    } catch (e) {
      return [`<error> ${(e as Error).message}`.slice(0, 7)];
    }
  };
}

/** Decides with the template's `K8sNativeValidation` code on policyc's CEL engine; throws CelSourceError when it does not compile. */
export async function celDecide(source: unknown): Promise<Decide> {
  const { compileK8sNativeValidation, evaluateK8sNativeValidation } = await import("../testing/gatekeeper/k8s-native-validation.js");
  const policy = compileK8sNativeValidation(source);
  return (input) => canonicalSet(evaluateK8sNativeValidation(policy, input).map((r) => ({ msg: r.msg })));
}

/** The review Gatekeeper builds for a test case (gator's plain-object review, plus admission fields). */
export function reviewOf(object: unknown, admission?: TestCaseIR["admission"]): Record<string, unknown> {
  const review = reviewForObject(object as KubeObject);
  if (admission?.operation !== undefined) review.operation = admission.operation;
  if (admission?.userInfo) review.userInfo = admission.userInfo;
  if (admission?.oldObject !== undefined) review.oldObject = admission.oldObject;
  return review;
}

export async function differentialCheck(check: CheckUnderTest, opts: DifferentialOptions = {}): Promise<CheckOutcome> {
  const runs = opts.runs ?? 500;
  const seed = opts.seed ?? 42;
  const outcome: CheckOutcome = { kind: check.kind, cases: [], generated: { runs, seed, violating: 0 } };
  let rego: Decide;
  try {
    rego = await regoDecide(check.kind, check.rego, check.regoVersion, check.pkg);
  } catch (e) {
    outcome.error = `the compiled Rego did not load: ${(e as Error).message}`;
    return outcome;
  }
  let cel: Decide | undefined;
  if (check.cel !== undefined) {
    try {
      cel = await celDecide(check.cel);
      outcome.cel = true;
    } catch (e) {
      outcome.error = `the K8sNativeValidation code does not compile: ${(e as Error).message}`;
      return outcome;
    }
  }
  const native = nativeDecide(check.fn);
  let violating = 0;
  const compare = (input: { review: unknown; parameters: unknown }): Difference | undefined => {
    const a = native(input);
    const b = rego(input);
    const c = cel?.(input);
    if (a.join("\n") !== b.join("\n") || (c !== undefined && c.length > 0 !== a.length > 0)) return { input, native: a, rego: b, ...(c ? { cel: c } : {}) };
    if (a.length > 0) violating++;
    return undefined;
  };
  for (const t of check.tests) {
    const difference = compare({ review: reviewOf(t.object, t.admission), parameters: t.parameters ?? {} });
    outcome.cases.push(difference ? { name: t.name, difference } : { name: t.name });
  }
  violating = 0;
  const arb = inputArbitrary({
    shapes: check.shapes,
    parameters: check.parameters,
    objects: check.tests.map((t) => t.object),
    params: check.tests.map((t) => t.parameters ?? {}),
  });
  const details = fc.check(
    fc.property(arb, (g) => compare({ review: reviewOf(g.object), parameters: g.params }) === undefined),
    { numRuns: runs, seed },
  );
  outcome.generated.violating = violating;
  if (details.failed && details.counterexample) {
    const [g] = details.counterexample;
    outcome.generated.difference = compare({ review: reviewOf(g.object), parameters: g.params }) ?? {
      input: { review: reviewOf(g.object), parameters: g.params },
      native: [String(details.errorInstance ?? "")],
      rego: [],
    };
    outcome.generated.shrinks = details.numShrinks;
  }
  return outcome;
}

/** A difference as text: the smallest input (object and parameters) and both decisions. */
export function formatDifference(d: Difference): string {
  const review = d.input.review as Record<string, unknown>;
  const lines = [
    `object:     ${JSON.stringify(review.object)}`,
    `parameters: ${JSON.stringify(d.input.parameters)}`,
    `TypeScript: ${d.native.length ? d.native.join("\n            ") : "(no violations)"}`,
    `Rego:       ${d.rego.length ? d.rego.join("\n            ") : "(no violations)"}`,
    ...(d.cel ? [`CEL:        ${d.cel.length ? d.cel.join("\n            ") : "(no violations)"}`] : []),
  ];
  return lines.join("\n");
}
