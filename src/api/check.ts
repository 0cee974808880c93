/**
 * `defineCheck<Params>()`: a Gatekeeper ConstraintTemplate. The `Params` type argument is not used
 * at run time; the front end reads it with the TypeScript checker and derives the parameters'
 * `openAPIV3Schema` from it.
 */
import { registerDefinition, type Definition } from "./definition.js";
import type { RegoSource } from "./rego.js";
import type { KubeObject, TestCase } from "./tests.js";
import type { ViolationFn } from "./violation.js";

/** The `source` of Gatekeeper's `K8sNativeValidation` engine entry in a ConstraintTemplate. */
export interface K8sNativeValidationSource {
  /** Named CEL expressions, readable later as `variables.<name>` (in order: each sees the earlier ones). */
  variables?: readonly { name: string; expression: string }[];
  /** Each `expression` must be true; when false, the object is denied with the message. */
  validations: readonly {
    expression: string;
    /** A fixed message. */
    message?: string;
    /** A CEL expression producing the message (takes precedence over `message`). */
    messageExpression?: string;
  }[];
  /** `matchConditions` and other fields Gatekeeper reads, carried over unchanged. */
  [field: string]: unknown;
}

export type Severity = "low" | "medium" | "high" | "critical";

export interface CheckSpec<P extends object, O = KubeObject> {
  /**
   * The Constraint kind this check defines, in CamelCase (e.g. `K8sAllowedRepos`). The
   * ConstraintTemplate is named after its lowercase form; it must be a DNS-1035 label of at most 59
   * characters.
   */
  kind: string;
  /** What the check enforces and why; emitted as the template's `description` annotation. */
  description: string;
  /** Human title; emitted as `metadata.gatekeeper.sh/title`. */
  title?: string;
  /** How serious a violation is; emitted as `policyc.dev/severity` and shown in the catalogue. */
  severity?: Severity;
  /**
   * What to change when the check denies an object (e.g. "Push the image to mycompany.registry.com
   * and use that reference."); emitted as `policyc.dev/remediation` and shown in the catalogue.
   */
  remediation?: string;
  /**
   * Where the policy is explained at length (a wiki page, a runbook): an absolute http(s) URL;
   * emitted as `policyc.dev/docs-url` and linked from the catalogue.
   */
  docsUrl?: string;
  /**
   * More annotations for the ConstraintTemplate (e.g. `metadata.gatekeeper.sh/version`). policyc's
   * own (title, description, severity, remediation, docs URL, Argo CD) take precedence.
   */
  annotations?: Readonly<Record<string, string>>;
  /**
   * The template's main Rego module: a `rego` template or `regoFile("./x.rego")`. Give either this
   * (the raw-Rego escape hatch) or `violation`.
   */
  rego?: RegoSource;
  /**
   * The check body in TypeScript: call `report(message)` for each violation. `review.object` is typed
   * `O` (e.g. `Pod`, or `Workload` with `podSpecOf`). policyc compiles it to Rego; only a subset of
   * TypeScript is accepted (see docs/typescript-checks.md).
   */
  violation?: ViolationFn<P, O>;
  /**
   * The Rego package of the module compiled from `violation` (default: the lowercase kind).
   * Gatekeeper binds a Constraint to its template by kind, never by package, so this only matters
   * where a convention names packages (e.g. Deckhouse's `d8.operation_policies`). A `rego` body
   * declares its own package.
   */
  regoPackage?: string;
  /**
   * Whether the check must also run on CEL, Gatekeeper's `K8sNativeValidation` engine (and so as a
   * ValidatingAdmissionPolicy). policyc compiles a TypeScript `violation` body to CEL beside the Rego
   * whenever every construct it uses has a faithful CEL form (see docs/cel.md); otherwise the check is
   * Rego-only and the build notes the construct (PC7021, info).
   * - `"required"`: such a construct is a build error (PC7022) at its line;
   * - `"off"`: emit Rego only.
   * Default: CEL when possible.
   */
  cel?: "required" | "off";
  /**
   * Hand-written CEL for a check with a `rego` body: the `source` of a `K8sNativeValidation` code
   * entry (`variables`, `validations` with `expression` and `message`/`messageExpression`), emitted
   * beside the Rego as the Gatekeeper library's templates carry both. `policyc import` writes it from
   * a template's CEL. Each expression is parsed and checked at build time (PC7023).
   */
  k8sNativeValidation?: K8sNativeValidationSource;
  /** Library modules (`package lib.<name>`), referenced from the main module as `data.lib.<name>`. */
  libs?: readonly RegoSource[];
  /**
   * The Rego version of this check's template (default: the config's `regoVersion`). `"v0"` is
   * emitted in the legacy `rego:` field and read by every Gatekeeper; `"v1"` in
   * `code: [{engine: Rego, source: {version: "v1"}}]` (Gatekeeper ≥ 3.19). Raw Rego (`rego`, `libs`)
   * must be written in this version; a TypeScript `violation` body is compiled to it. Keep `"v0"` on
   * a check whose Rego predates OPA 1.0 in a v1 project, or port it with `policyc fmt --v0-v1 -w`.
   */
  regoVersion?: "v0" | "v1";
  /** Extra CRD short names for the Constraint kind (lowercase DNS-1035 labels). */
  shortNames?: readonly string[];
  /** Objects the check must allow or deny, with the parameters to use. */
  tests?: readonly TestCase<P>[];
}

export interface Check<P extends object = {}> extends Definition, Readonly<CheckSpec<P, any>> {
  /** Type-level only: carries `P` so that constraints and the schema derivation can see it. */
  readonly __params?: P;
}

/**
 * Defines a ConstraintTemplate. `P` describes `input.parameters`; it must be a type policyc can turn
 * into an OpenAPI schema (primitives, arrays, nested objects, string-literal unions, `Record<string, T>`).
 * `O` types `review.object` in a TypeScript `violation` body (`Pod`, `Deployment`, `Workload`, ...).
 *
 * @example
 * export const allowedRepos = defineCheck<{ repos: string[] }>({
 *   kind: "K8sAllowedRepos",
 *   description: "Containers must come from an allowed registry.",
 *   rego: rego`package k8sallowedrepos ...`,
 * });
 */
export function defineCheck<P extends object = {}, O = KubeObject>(spec: CheckSpec<P, O>): Check<P> {
  return registerDefinition("check", { ...spec }) as Check<P>;
}

/** A whole number in parameters: becomes `type: integer` in the schema (TypeScript has only `number`). */
export type Integer = number & { readonly __policycInteger?: never };
