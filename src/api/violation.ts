/**
 * Check bodies written in TypeScript (issue 5): the types of `violation(review, params, report)` and
 * the few helpers a body may call. policyc runs these bodies natively (differential tests) and
 * compiles them to Rego (src/transpile), so every helper here has a Rego counterpart there.
 */
import type { Pod, PodSpec, PodTemplateSpec, ReplicationController } from "kubernetes-types/core/v1.js";
import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
import type { CronJob, Job } from "kubernetes-types/batch/v1.js";
import { compileRe2 } from "./re2.js";

// The Kubernetes types checks are written against, re-exported so a policy project needs no
// dependency of its own: `import { type Pod, type Container } from "policyc"`.
export type {
  Container,
  ContainerPort,
  EphemeralContainer,
  Namespace,
  Pod,
  PodSpec,
  PodTemplateSpec,
  ReplicationController,
  SecurityContext,
  Service,
  Volume,
} from "kubernetes-types/core/v1.js";
export type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1.js";
export type { CronJob, Job } from "kubernetes-types/batch/v1.js";
export type { Ingress } from "kubernetes-types/networking/v1.js";
export type { ObjectMeta } from "kubernetes-types/meta/v1.js";

/** What Gatekeeper passes as `input.review`: the object under admission and the request around it. */
export interface Review<O> {
  /** The object being admitted (or audited). */
  readonly object: O;
  /** The object before an UPDATE or DELETE; `null` otherwise. */
  readonly oldObject?: O | null;
  /** `CREATE`, `UPDATE`, `DELETE`, `CONNECT`, or `""` in audit. */
  readonly operation?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly kind?: { readonly group: string; readonly version: string; readonly kind: string };
  readonly userInfo?: { readonly username?: string; readonly uid?: string; readonly groups?: readonly string[] };
}

/**
 * Emits one violation. `message` is what the user sees; `details` (any JSON) is attached as the
 * violation's `details`. Identical reports collapse into one, as Rego's `violation` set does.
 */
export type Report = (message: string, details?: unknown) => void;

/**
 * A check body: call `report` for every violation found. It must be pure (no outer state, no I/O):
 * policyc compiles it to Rego and proves both decide the same (`policyc test --differential`).
 */
export type ViolationFn<P, O> = (review: Review<O>, params: Readonly<P>, report: Report) => void;

/** Every built-in workload kind that carries a pod template, and Pod itself. */
export type Workload = Pod | Deployment | StatefulSet | DaemonSet | ReplicaSet | ReplicationController | Job | CronJob;

/** The kinds whose pod template is at `spec.template` (CronJob is nested one level deeper). */
const TEMPLATE_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"];

/**
 * The pod spec of a Pod or of a workload's pod template (`spec.template.spec`, or
 * `spec.jobTemplate.spec.template.spec` for a CronJob); `undefined` for any other kind.
 * Compiled to the Rego function `pod_spec(obj)`.
 */
export function podSpecOf(obj: Workload): PodSpec | undefined {
  const o = obj as { kind?: string; spec?: Record<string, unknown> };
  if (o.kind === "Pod") return o.spec as PodSpec | undefined;
  if (o.kind !== undefined && TEMPLATE_KINDS.includes(o.kind)) return (o.spec?.template as PodTemplateSpec | undefined)?.spec;
  if (o.kind === "CronJob") return (obj as CronJob).spec?.jobTemplate?.spec?.template?.spec;
  return undefined;
}

/**
 * `value` as Rego's `sprintf("%v", [value])` prints it: strings as they are, other values in Rego
 * syntax (`["a", "b"]`, `{"k": 1}`). Use it in a message to show an array or object the way
 * hand-written Rego does (a plain `${array}` prints JavaScript's `a,b`).
 */
export function regoString(value: unknown): string {
  return typeof value === "string" ? value : regoTerm(value);
}

function regoTerm(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(regoTerm).join(", ")}]`;
  const entries = Object.keys(value as object)
    .sort()
    .map((k) => `${JSON.stringify(k)}: ${regoTerm((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(", ")}}`;
}

/**
 * Whether `value` contains a match of the RE2 regular expression `pattern` (unanchored), exactly as
 * Rego's `regex.match(pattern, value)` decides. Use it for patterns that arrive as data (parameters);
 * for fixed patterns a RegExp literal with `.test()` reads better. An invalid pattern matches
 * nothing: Gatekeeper's Rego treats a failing built-in as undefined.
 */
export function regexMatch(pattern: string, value: string): boolean {
  let re: ReturnType<typeof compileRe2>;
  try {
    re = compileRe2(pattern);
  } catch {
    return false;
  }
  return re.matcher(value).find();
}
