/**
 * One gator "client": a template and a constraint, reviewed object by object. It reproduces what
 * Gatekeeper does around the Rego: the scoped enforcement point, the constraint's `match` (a match
 * error is an autoreject result), `input = {review, parameters}` with schema defaults, the
 * inventory as `data.inventory`, evaluation errors as results, and results read from `violation`.
 * Compiled templates are cached by their Rego, so a template shared by many tests compiles once.
 */
import { isEvaluationTimeout, type EvaluationContext, type RegoBackend, type PreparedPolicy } from "./backend.js";
import { ExternalDataUnmocked, type ExternalDataMocks } from "./external-data.js";
import { CelSourceError, K8S_NATIVE_VALIDATION, prepareK8sNativeValidation } from "./k8s-native-validation.js";
import type { ConstraintInfo } from "./constraint.js";
import type { InventoryBuilder } from "./inventory.js";
import { matchesReview, type ReviewFacts, type Source } from "./match.js";
import { isObject, type KubeObject } from "./objects.js";
import { parametersWithDefaults } from "./parameters.js";
import type { Review } from "./review.js";
import { regoPackage, type TemplateInfo } from "./template.js";
import { CONSTRAINT_GROUP, CONSTRAINT_VERSION } from "../../emit/gatekeeper/constraints.js";
import { readViolations, type Violation } from "./violations.js";

export class CompileError extends Error {
  constructor(
    message: string,
    readonly notes: string[] = [],
  ) {
    super(message);
  }
}

export interface PreparedTemplate {
  info: TemplateInfo;
  entrypoint: string;
  policy: PreparedPolicy;
}

const cache = new Map<string, Promise<PreparedTemplate>>();

/** Engine diagnostics as notes, with Rego positions mapped back into the template file when known. */
function notesOf(e: unknown, info: TemplateInfo, file: string): string[] {
  const ds = (e as { diagnostics?: { code: string; message: string; span?: { file: string; line: number; col: number } }[] }).diagnostics;
  if (!Array.isArray(ds)) return [];
  const where = (span: { file: string; line: number; col: number }) => {
    let origin: { line: number; col: number } | undefined;
    if (span.file === `${file}#rego`) origin = info.positions?.main;
    else {
      const m = /#libs\[(\d+)\]$/.exec(span.file);
      if (m && span.file.startsWith(file)) origin = info.positions?.libs[Number(m[1])];
    }
    return origin ? `${file}:${origin.line + span.line - 1}:${origin.col + span.col - 1}` : `${span.file}:${span.line}:${span.col}`;
  };
  return ds.slice(0, 5).map((d) => `${d.span ? `${where(d.span)}: ` : ""}${d.code}: ${d.message}`);
}

/** Compiles the template's Rego (main module + libs) with one entrypoint, `<package>/violation`. */
export function prepareTemplate(info: TemplateInfo, backend: RegoBackend, file: string, timeoutMs?: number): Promise<PreparedTemplate> {
  if (info.rego === undefined) return Promise.reject(new CompileError(`template ${info.name} has no Rego`));
  const rego = info.rego;
  const key = JSON.stringify([backend.name, info.regoVersion, rego, info.libs, timeoutMs ?? null]);
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const pkg = regoPackage(rego);
      if (!pkg) throw new CompileError("the Rego has no package declaration");
      const entrypoint = `${pkg.replace(/\./g, "/")}/violation`;
      const at = (o: { line: number; col: number } | undefined) => (o ? { origin: o } : {});
      const modules = [
        { file: `${file}#rego`, text: rego, ...at(info.positions?.main) },
        ...info.libs.map((text, i) => ({ file: `${file}#libs[${i}]`, text, ...at(info.positions?.libs[i]) })),
      ];
      try {
        const policy = await backend.prepare({ modules, entrypoint, regoVersion: info.regoVersion, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
        return { info, entrypoint, policy };
      } catch (e) {
        throw new CompileError((e as Error).message?.split("\n")[0] ?? String(e), notesOf(e, info, file));
      }
    })();
    cache.set(key, p);
    // A failed compile should not stick across runs with a fixed back end (e.g. in watch mode).
    p.catch(() => cache.delete(key));
  }
  return p;
}

/**
 * Whether Gatekeeper runs the template on CEL: with the K8sNativeValidation driver enabled (gator's
 * `--enable-k8s-native-validation`), that driver comes first, so a template whose code has a
 * `K8sNativeValidation` entry runs on CEL even when it also has Rego.
 */
export function usesCel(info: TemplateInfo, k8sNativeValidation: boolean): boolean {
  return k8sNativeValidation && info.k8sNativeValidation !== undefined;
}

/** Compiles the template's `K8sNativeValidation` source; a bad source is a CompileError naming the field. */
export function prepareCelTemplate(info: TemplateInfo): PreparedTemplate {
  try {
    return { info, entrypoint: K8S_NATIVE_VALIDATION, policy: prepareK8sNativeValidation(info.k8sNativeValidation) };
  } catch (e) {
    if (e instanceof CelSourceError) throw new CompileError(`${K8S_NATIVE_VALIDATION} ${e.message}`);
    throw e;
  }
}

/** gator's enforcement point (verify, test) and the validating webhook's (check). */
export const GATOR_POINT = "gator.gatekeeper.sh";
export const WEBHOOK_POINT = "validation.gatekeeper.sh";

/** Which enforcement actions apply at `point`; undefined means the constraint is not enforced there. */
export function actionsAt(c: ConstraintInfo, point: string): readonly string[] | undefined {
  if (c.enforcementAction !== "scoped") return single(c.enforcementAction);
  const list = Array.isArray(c.scopedEnforcementActions) ? c.scopedEnforcementActions : [];
  const actions: string[] = [];
  for (const s of list) {
    if (!isObject(s) || typeof s.action !== "string") continue;
    const points = Array.isArray(s.enforcementPoints) ? s.enforcementPoints : [];
    if (points.some((p) => isObject(p) && (p.name === point || p.name === "*"))) actions.push(s.action);
  }
  return actions.length > 0 ? actions : undefined;
}

/** One action as a list, shared: a constraint's action is read once per review of every object. */
const singles = new Map<string, readonly string[]>();
function single(action: string): readonly string[] {
  let a = singles.get(action);
  if (!a) singles.set(action, (a = Object.freeze([action])));
  return a;
}

/**
 * `input.parameters` of a constraint, computed once per constraint and template: Rego cannot
 * change its input, so every review of a run shares the same object (and its serialization).
 */
const parameterCache = new WeakMap<ConstraintInfo, { template: TemplateInfo; value: unknown }>();
function parametersOf(c: ConstraintInfo, t: PreparedTemplate): unknown {
  const hit = parameterCache.get(c);
  if (hit && hit.template === t.info) return hit.value;
  const value = parametersWithDefaults(c.parameters, t.info.schema);
  parameterCache.set(c, { template: t.info, value });
  return value;
}

/**
 * The Constraint object CEL reads as `params`, once per constraint and template: apiVersion, kind,
 * `metadata.name` and the spec (match, enforcement action, parameters with schema defaults).
 */
const constraintObjectCache = new WeakMap<ConstraintInfo, { template: TemplateInfo; value: unknown }>();
function constraintObjectOf(c: ConstraintInfo, t: PreparedTemplate): unknown {
  const hit = constraintObjectCache.get(c);
  if (hit && hit.template === t.info) return hit.value;
  const parameters = parametersOf(c, t);
  const spec: Record<string, unknown> = { enforcementAction: c.enforcementAction };
  if (c.match !== undefined) spec.match = c.match;
  if (c.scopedEnforcementActions !== undefined) spec.scopedEnforcementActions = c.scopedEnforcementActions;
  if (parameters !== undefined) spec.parameters = parameters;
  const value = { apiVersion: `${CONSTRAINT_GROUP}/${CONSTRAINT_VERSION}`, kind: c.kind, metadata: { name: c.name }, spec };
  constraintObjectCache.set(c, { template: t.info, value });
  return value;
}

export interface ReviewOutcome {
  violations: Violation[];
  /** The input the Rego saw (absent when the constraint did not apply). */
  input?: { review: Review; parameters: unknown };
  matched: boolean;
  /** The match itself failed (e.g. a namespaceSelector without the Namespace); also reported as a violation. */
  matchError?: string;
  /** The evaluation was stopped at its deadline (`CompileRequest.timeoutMs`); its error is the one violation. */
  timedOut?: boolean;
}

/**
 * Reviews one object. `externalData` gives a test case's provider mocks: then a call to a provider
 * without a mock throws `ExternalDataUnmocked` (the case cannot be judged), instead of answering as
 * an unreachable provider.
 */
export async function reviewWith(
  t: PreparedTemplate,
  constraint: ConstraintInfo,
  review: Review,
  inventory: InventoryBuilder,
  /** `Generated` for objects produced by expansion (`match.source` selects on it). */
  source: Source = "Original",
  externalData?: ExternalDataMocks,
  point: string = GATOR_POINT,
): Promise<ReviewOutcome> {
  const r = beginReview(t, constraint, review, inventory, source, point);
  if ("outcome" in r) return r.outcome;
  let value: unknown;
  try {
    value = await t.policy.evaluate(r.input, inventory.regoData(), externalData, r.context);
  } catch (e) {
    return evaluationFailed(e, r);
  }
  return reviewed(value, r);
}

/**
 * `reviewWith` without a promise, for templates whose back end evaluates synchronously
 * (`PreparedPolicy.evaluateSync`; undefined for the others) and without provider mocks: a check
 * reviews each object against every constraint, and awaiting each review costs more than many a
 * Rego evaluation. `facts` are the review's objects' `objectFacts`, kept across its constraints.
 */
export function reviewWithSync(
  t: PreparedTemplate,
  constraint: ConstraintInfo,
  review: Review,
  inventory: InventoryBuilder,
  source: Source,
  point: string,
  facts?: ReviewFacts,
): ReviewOutcome | undefined {
  const evaluate = t.policy.evaluateSync;
  if (!evaluate) return undefined;
  const r = beginReview(t, constraint, review, inventory, source, point, facts);
  if ("outcome" in r) return r.outcome;
  let value: unknown;
  try {
    value = evaluate.call(t.policy, r.input, inventory.regoData(), undefined, r.context);
  } catch (e) {
    return evaluationFailed(e, r);
  }
  return reviewed(value, r);
}

interface Begun {
  constraint: ConstraintInfo;
  actions: readonly string[];
  input: { review: Review; parameters: unknown };
  context: EvaluationContext;
}

/** What every result of the constraint carries (built only for results: most reviews have none). */
function resultBase(constraint: ConstraintInfo, actions: readonly string[]): Omit<Violation, "msg" | "details"> {
  return {
    enforcementAction: constraint.enforcementAction,
    constraint: { kind: constraint.kind, name: constraint.name },
    ...(constraint.enforcementAction === "scoped" ? { scopedActions: [...actions] } : {}),
  };
}

/** A constraint that does not apply (most reviews of a run): one shared, frozen outcome. */
const NOT_APPLIED: { outcome: ReviewOutcome } = Object.freeze({ outcome: Object.freeze({ violations: Object.freeze([]) as unknown as Violation[], matched: false }) });

/** Everything before the evaluation: the enforcement point, the match, the input. */
function beginReview(
  t: PreparedTemplate,
  constraint: ConstraintInfo,
  review: Review,
  inventory: InventoryBuilder,
  source: Source,
  point: string,
  facts?: ReviewFacts,
): Begun | { outcome: ReviewOutcome } {
  const actions = actionsAt(constraint, point);
  if (!actions) return NOT_APPLIED;
  const ns = typeof review.namespace === "string" ? inventory.namespace(review.namespace) : undefined;
  // The review holds the object and old object the match reads (typed loosely: they are unknown JSON).
  const verdict = matchesReview(
    constraint.match,
    review as { object?: KubeObject | null; oldObject?: KubeObject | null },
    ns,
    source,
    facts,
  );
  if ("error" in verdict) {
    // Gatekeeper "autorejects": the match error itself is reported as a violation, in its words.
    const msg = `unable to match constraints: ${verdict.error}`;
    return { outcome: { violations: [{ ...resultBase(constraint, actions), msg, details: {} }], matched: true, matchError: verdict.error } };
  }
  if (!verdict.matched) return NOT_APPLIED;
  const input = { review, parameters: parametersOf(constraint, t) };
  const c = constraintObjectOf(constraint, t);
  return { constraint, actions, input, context: ns ? { namespaceObject: ns, constraint: c } : { constraint: c } };
}

function reviewed(value: unknown, r: Begun): ReviewOutcome {
  const none = value === undefined || value === null || (Array.isArray(value) && value.length === 0);
  return { violations: none ? [] : readViolations(value, resultBase(r.constraint, r.actions)), input: r.input, matched: true };
}

function evaluationFailed(e: unknown, r: Begun): ReviewOutcome {
  if (e instanceof ExternalDataUnmocked) throw e;
  // An evaluation error does not fail the review: it becomes one result carrying the error text.
  const outcome: ReviewOutcome = { violations: [{ ...resultBase(r.constraint, r.actions), msg: (e as Error).message ?? String(e), details: {} }], input: r.input, matched: true };
  if (isEvaluationTimeout(e)) outcome.timedOut = true;
  return outcome;
}
