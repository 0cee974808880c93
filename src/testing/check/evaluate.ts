/**
 * One object through Gatekeeper's admission path, as the validating webhook sees it: the namespace
 * it is applied to, the Config's exempt namespaces, mutation (when the set has mutators), the
 * AdmissionReview, then every constraint through the shared client (`match`, parameters,
 * evaluation, enforcement actions at the webhook's enforcement point), and the same for each Pod
 * expansion would create (reported on the workload). Everything the evaluator needs is the plain
 * `CheckPlan`, so it runs the same on the main thread and in worker threads.
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC41 } from "../diagnostics.js";
import { reviewWith, reviewWithSync, WEBHOOK_POINT, type PreparedTemplate } from "../gatekeeper/client.js";
import { instantiate, type CompiledSet } from "../gatekeeper/compile-set.js";
import type { ConstraintInfo } from "../gatekeeper/constraint.js";
import { InventoryBuilder } from "../gatekeeper/inventory.js";
import { wildcardMatches } from "../gatekeeper/wildcard.js";
import { matchesKind, objectFacts } from "../gatekeeper/match.js";
import { gvkOf, labelsOf, nameOf, namespaceOf, isNamespaceObject, type KubeObject } from "../gatekeeper/objects.js";
import { type AdmissionEngines, type ExemptNamespace, type ObjectOrigin, type PolicyObject, type PolicySet } from "../gatekeeper/policy-set.js";
import { admissionRequest, type AdmissionOptions } from "../gatekeeper/review.js";
import { DEFAULT_LABEL_EXEMPT, ignoreLabelRefusal } from "../gatekeeper/ignore-label.js";
import { impliedMessage } from "../gatekeeper/expansion/aggregate.js";
import { buildEngines, isAdmissionEngineError } from "./engines.js";
import { parseChunk, type Chunk } from "./inputs.js";
import { placeInNamespace } from "./namespaces.js";
import { OPT_IN_LABEL } from "../../deckhouse/exemptions.js";

export type Action = "deny" | "warn" | "dryrun";

export interface CheckViolation {
  constraint: { kind: string; name: string };
  /** The action the webhook takes (for `scoped`: the strongest action at the webhook's point). */
  action: Action;
  /** The constraint's own `enforcementAction` (`scoped` stays `scoped`). */
  enforcementAction: string;
  scopedActions?: string[];
  msg: string;
  details: unknown;
  /** Set when the violation was found on a Pod (or other object) expansion creates from this workload. */
  expansion?: { template: string; kind: string };
}

export type ObjectStatus = "pass" | "fail" | "not-matched" | "exempt" | "error";

export interface ObjectResult {
  origin: ObjectOrigin;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  status: ObjectStatus;
  /** Constraints whose match selected the object (or one of its expansions). */
  matched: number;
  /** Those constraints, as `Kind/name`, sorted (for pass results in reports). */
  matchedConstraints: string[];
  violations: CheckViolation[];
  diagnostics: Diagnostic[];
  /** The object as reviewed (after namespace defaulting and mutation); kept when it violates or was mutated. */
  reviewed?: KubeObject;
  /** Mutators that changed it (`Kind/name`). */
  mutatedBy?: string[];
}

export interface CheckSettings {
  operation: AdmissionOptions["operation"];
  userInfo?: AdmissionOptions["userInfo"];
  defaultNamespace: string;
  /**
   * Keep each violating object as reviewed (`ObjectResult.reviewed`; default true): gator's json
   * and yaml reports print it. Other reports do not, and a cluster snapshot is mostly violations.
   */
  keepViolatingObjects?: boolean;
  /**
   * The namespaces Gatekeeper's controller exempts (`--exempt-namespace`; `prefix*`/`*suffix` for
   * its prefix and suffix flags): only they may carry `admission.gatekeeper.sh/ignore`.
   * Default: Gatekeeper's own namespace, as its Helm chart sets it.
   */
  labelExemptNamespaces?: readonly string[];
}

export interface PlanConstraint {
  info: ConstraintInfo;
  origin?: ObjectOrigin;
}

/** Everything evaluation needs, as structured-cloneable data. */
export interface CheckPlan {
  compiled: CompiledSet;
  constraints: PlanConstraint[];
  mutators: PolicyObject[];
  expansionTemplates: PolicyObject[];
  exempt: ExemptNamespace[];
  namespaces: KubeObject[];
  /** Each compiled module's data document as JSON (`check/inventory.ts`), possibly in a SharedArrayBuffer. */
  moduleData: (Uint8Array | undefined)[];
  /** `compiled.modules` compiled once (`compiledModules`), shared with the worker threads. */
  wasmModules?: WebAssembly.Module[];
  settings: CheckSettings;
  /** Old objects for UPDATE reviews, by `apiVersion/kind/namespace/name`. */
  oldObjects?: Record<string, KubeObject>;
}

const ACTION_RANK: Record<string, number> = { deny: 3, warn: 2, dryrun: 1 };

/** The strongest of a scoped constraint's actions at the webhook (`deny` when none is listed). */
function strongest(actions: readonly string[]): string {
  let a = actions[0] ?? "deny";
  for (const b of actions) if ((ACTION_RANK[b] ?? 0) > (ACTION_RANK[a] ?? 0)) a = b;
  return a;
}

export function objectKey(obj: KubeObject): string {
  return `${String(obj.apiVersion ?? "")}/${String(obj.kind ?? "")}/${namespaceOf(obj)}/${nameOf(obj)}`;
}

/**
 * The webhook skips namespaces its Config exempts for `*` or `webhook`, and namespaces labelled to be
 * ignored. A system namespace that opted into Deckhouse's checks (`enable-security-policy-check`) is
 * sent anyway: Deckhouse's second webhook routes it, and the Config stands for the first one's
 * `heritage NotIn [deckhouse]` (src/deckhouse/renderer.ts).
 */
function exempted(ns: string, nsObject: KubeObject | undefined, exempt: readonly ExemptNamespace[]): boolean {
  if (ns === "") return false;
  if (nsObject && labelsOf(nsObject)["admission.gatekeeper.sh/ignore"] !== undefined) return true;
  if (nsObject && labelsOf(nsObject)[OPT_IN_LABEL] !== undefined) return false;
  return exempt.some((e) => (e.processes.length === 0 || e.processes.includes("*") || e.processes.includes("webhook")) && wildcardMatches(e.pattern, ns));
}

export class Evaluator {
  private constructor(
    private readonly plan: CheckPlan,
    private readonly templates: Map<string, PreparedTemplate>,
    private readonly inventory: InventoryBuilder,
    private readonly engines: AdmissionEngines,
  ) {}

  get settings(): CheckSettings {
    return this.plan.settings;
  }

  static async create(plan: CheckPlan): Promise<Evaluator> {
    // Each module loads its part of the inventory once; the client's data argument is not used.
    const templates = await instantiate(plan.compiled, plan.moduleData, plan.wasmModules);
    // The Namespaces serve namespaceSelector.
    const inventory = new InventoryBuilder();
    for (const ns of plan.namespaces) inventory.registerNamespace(ns);
    const set: PolicySet = {
      templates: [],
      constraints: [],
      mutators: plan.mutators,
      expansionTemplates: plan.expansionTemplates,
      config: { exemptNamespaces: plan.exempt },
      diagnostics: [],
    };
    return new Evaluator(plan, templates, inventory, await buildEngines(set));
  }

  async check(input: KubeObject, origin: ObjectOrigin): Promise<ObjectResult> {
    const s = this.plan.settings;
    let object = placeInNamespace(input, s.defaultNamespace);
    const ns = isNamespaceObject(object) ? nameOf(object) : namespaceOf(object);
    const nsObject = ns === "" ? undefined : this.inventory.namespace(ns);
    const g = gvkOf(object);
    const result: ObjectResult = {
      origin: origin.source === undefined ? origin : { ...origin, source: own(origin.source) },
      apiVersion: own(String(object.apiVersion ?? "")),
      kind: own(g.kind),
      name: own(nameOf(object)),
      namespace: own(namespaceOf(object)),
      status: "not-matched",
      matched: 0,
      matchedConstraints: [],
      violations: [],
      diagnostics: [],
      reviewed: object,
    };
    const refusal = ignoreLabelRefusal(object, s.operation, s.labelExemptNamespaces ?? DEFAULT_LABEL_EXEMPT);
    if (refusal) {
      // Gatekeeper's namespace-label webhook refuses the Namespace before any constraint sees it.
      result.diagnostics.push(diag(PC41.admissionFailed, [g.kind, nameOf(object), refusal], spanOf(origin)));
      result.status = "error";
      return result;
    }
    if (exempted(ns, nsObject, this.plan.exempt)) {
      result.status = "exempt";
      return result;
    }
    const ctx = { ...(nsObject ? { namespace: nsObject } : {}), operation: s.operation };
    try {
      if (this.engines.mutation) {
        const m = this.engines.mutation.mutate(object, ctx);
        if (m.applied.length > 0) {
          object = m.object;
          result.reviewed = object;
          result.mutatedBy = m.applied;
        }
      }
      const oldObject = this.plan.oldObjects?.[objectKey(object)];
      const opts: AdmissionOptions = { operation: s.operation, ...(s.userInfo ? { userInfo: s.userInfo } : {}), ...(oldObject ? { oldObject } : {}) };
      await this.review(object, opts, result, origin);
      if (this.engines.expansion) {
        const generatedOpts: AdmissionOptions = { operation: s.operation, ...(s.userInfo ? { userInfo: s.userInfo } : {}) };
        for (const e of this.engines.expansion.expand(object, ctx)) {
          const expansion = { template: e.template, kind: gvkOf(e.object).kind };
          await this.review(e.object, generatedOpts, result, origin, expansion, e.enforcementAction);
        }
      }
    } catch (e) {
      // Where the webhook would fail the request (mutation that does not converge, expansion without its source).
      if (!isAdmissionEngineError(e)) throw e;
      result.diagnostics.push(diag(PC41.admissionFailed, [g.kind, nameOf(object), (e as Error).message], spanOf(origin)));
    }
    result.matchedConstraints.sort();
    result.violations.sort(compareViolations);
    const failing = result.diagnostics.some((d) => d.severity === "error");
    result.status = failing ? "error" : result.violations.length > 0 ? "fail" : result.matched > 0 ? "pass" : "not-matched";
    return result;
  }

  private async review(
    object: KubeObject,
    opts: AdmissionOptions,
    result: ObjectResult,
    origin: ObjectOrigin,
    expansion?: CheckViolation["expansion"],
    actionOverride?: string,
  ): Promise<void> {
    const review = admissionRequest(object, opts);
    const source = expansion ? "Generated" : "Original";
    // What the constraints' match reads of the objects, once for all of them; without an old
    // object, constraintsFor kept only constraints whose kinds select the object.
    const facts = opts.oldObject ? { object: objectFacts(object), oldObject: objectFacts(opts.oldObject) } : { object: objectFacts(object), objectKindsKnown: true };
    for (const { c, t, id } of this.constraintsFor(object, opts.oldObject)) {
      const outcome =
        reviewWithSync(t, c.info, review, this.inventory, source, WEBHOOK_POINT, facts) ??
        (await reviewWith(t, c.info, review, this.inventory, source, undefined, WEBHOOK_POINT));
      if (!outcome.matched) continue;
      // A workload and its expanded Pods may match one constraint: counted once (an object matches a few).
      if (!result.matchedConstraints.includes(id)) {
        result.matchedConstraints.push(id);
        result.matched++;
      }
      // The webhook autorejects on a match error: the diagnostic says how to supply what was
      // missing, and the violation (Gatekeeper's message) is what the cluster would answer.
      if (outcome.matchError !== undefined) result.diagnostics.push(this.matchProblem(object, c, outcome.matchError, origin));
      for (const v of outcome.violations) {
        const action = actionOverride ? actionOverride : (v.scopedActions ? strongest(v.scopedActions) : v.enforcementAction);
        const cv: CheckViolation = {
          constraint: v.constraint,
          // An action Gatekeeper does not know never blocks (its webhook refuses such a constraint).
          action: (ACTION_RANK[action] ? action : "dryrun") as Action,
          enforcementAction: v.enforcementAction,
          msg: expansion ? impliedMessage(expansion.template, v.msg) : v.msg,
          details: v.details,
        };
        if (v.scopedActions) cv.scopedActions = v.scopedActions;
        if (expansion) cv.expansion = expansion;
        result.violations.push(cv);
      }
    }
  }

  /** Constraints with a template whose `kinds` can match the object (or the old object), by kind: most constraints select a few kinds. */
  private readonly byKind = new Map<string, { c: PlanConstraint; t: PreparedTemplate; id: string }[]>();
  private constraintsFor(object: KubeObject, oldObject?: KubeObject): { c: PlanConstraint; t: PreparedTemplate; id: string }[] {
    const g = gvkOf(object);
    const o = oldObject ? gvkOf(oldObject) : g;
    const key = `${g.group}/${g.kind}\0${o.group}/${o.kind}`;
    let list = this.byKind.get(key);
    if (!list) {
      list = this.plan.constraints
        .filter((c) => this.templates.has(c.info.kind) && (matchesKind(c.info.match, g) || matchesKind(c.info.match, o)))
        .map((c) => ({ c, t: this.templates.get(c.info.kind)!, id: `${c.info.kind}/${c.info.name}` }));
      this.byKind.set(key, list);
    }
    return list;
  }

  private matchProblem(object: KubeObject, c: PlanConstraint, error: string, origin: ObjectOrigin): Diagnostic {
    const ns = namespaceOf(object);
    if (/missing Namespace/.test(error)) {
      return diag(PC41.namespaceUnknown, [gvkOf(object).kind, nameOf(object), ns, c.info.kind, c.info.name], spanOf(origin), [
        `supply its labels with a Namespace object among the inputs, --namespaces FILE (e.g. \`kubectl get ns ${ns} -o yaml\`), or --namespace-labels ${ns}=KEY=VALUE,...`,
      ]);
    }
    return diag(PC41.badOption, [`constraint ${c.info.kind} '${c.info.name}': ${error}`], spanOf(origin));
  }
}

/**
 * `s` in memory of its own. The YAML readers give slices of the input's text, and a slice keeps
 * the whole text alive: results held to the end of a run must not keep every input file.
 * (V8 copies strings shorter than 13 characters instead of slicing them.)
 */
function own(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, "utf8").toString("utf8");
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stable order of an object's violations: constraint kind, name, then message. */
export function compareViolations(a: CheckViolation, b: CheckViolation): number {
  return cmp(a.constraint.kind, b.constraint.kind) || cmp(a.constraint.name, b.constraint.name) || cmp(a.msg, b.msg);
}

/** An origin as a diagnostic span (without the helm source path). */
export function spanOf(o: ObjectOrigin): { file: string; line: number; col: number } {
  return { file: o.file, line: o.line, col: o.col };
}

/** `checkChunk` over a batch of chunks, their results and diagnostics in order. */
export async function checkBatch(ev: Evaluator, chunks: readonly Chunk[]): Promise<{ results: ObjectResult[]; diagnostics: Diagnostic[] }> {
  const out: { results: ObjectResult[]; diagnostics: Diagnostic[] } = { results: [], diagnostics: [] };
  for (const c of chunks) {
    const r = await checkChunk(ev, c);
    for (const x of r.results) out.results.push(x);
    for (const d of r.diagnostics) out.diagnostics.push(d);
  }
  return out;
}

/**
 * Parses one chunk of an input and checks each of its objects. Policy objects among the inputs
 * (already in the set) are reviewed too, as Gatekeeper's webhook reviews a ConstraintTemplate or a
 * Constraint once it has validated it, and as `gator test` reviews every input object. The reviewed
 * object is kept only where a reporter needs it.
 */
export async function checkChunk(ev: Evaluator, chunk: Chunk): Promise<{ results: ObjectResult[]; diagnostics: Diagnostic[] }> {
  const parsed = parseChunk(chunk);
  const results: ObjectResult[] = [];
  for (const o of parsed.objects) {
    const r = await ev.check(o.object, o.origin);
    if (!r.mutatedBy && (r.violations.length === 0 || ev.settings.keepViolatingObjects === false)) delete (r as Partial<ObjectResult>).reviewed;
    results.push(r);
  }
  return { results, diagnostics: parsed.diagnostics };
}
