/**
 * The policy IR: what the front end produces from the user's definitions and what every emitter
 * reads. Plain data only (no classes, no functions), discriminated unions where a node has variants,
 * and an `origin` on every node so a later stage can point at the user's line. Paths in origins are
 * relative to the project root (the config's directory), never absolute.
 */
import type { ExternalDataMockIR } from "./external-data.js";
import type { JsonSchema } from "./schema.js";
import type { KyvernoConfigIR } from "../emit/kyverno/config.js";
import type { CheckShapes } from "../transpile/shape.js";

/** A place in the user's sources (1-based). Structurally a diagnostics `Span`. */
export interface Origin {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

/**
 * Origins of the properties written in a define*() call's object literals, keyed by dotted path
 * (`name`, `match.namespaces`, `parameters.repos`); array elements use their index (`libs.0`).
 * Validators use `fieldOrigin(node, path)` to point at the exact property.
 */
export type FieldOrigins = Record<string, Origin>;

export interface ProjectIR {
  config: ConfigIR;
  checks: CheckIR[];
  constraints: ConstraintIR[];
  resources: ResourceIR[];
  /** The policy files that were loaded, relative to the root, sorted. */
  files: string[];
}

export interface ConfigIR {
  /** The config file, relative to the root. */
  file: string;
  include: string[];
  exclude: string[];
  /** Output directory relative to the root. */
  outDir: string;
  regoVersion: "v0" | "v1";
  exemptNamespaces: string[];
  argocd: { enabled: boolean; templatesWave: number; constraintsWave: number };
  podSecurityDefault: "Privileged" | "Baseline" | "Restricted";
  /** The other Deckhouse cluster facts (`podSecurity.*`, `deckhouse.*` of the config), for check and explain. */
  deckhouse: {
    podSecurityAction: "deny" | "warn" | "dryrun";
    knownHostPortRanges: { min: number; max: number }[];
    edition?: "CE" | "BE" | "SE" | "SE-plus" | "EE" | "FE" | "CSE";
    /** `podSecurity.controllerValidation`: pod-spec Constraints also match Pods' controllers. */
    controllerValidation?: boolean;
    /** The project is a pack of Deckhouse's own templates: D8… kinds are intended. */
    policyPack?: boolean;
  };
  kubeconformSchemas: boolean;
  /** Write the Markdown catalogue `docs/policies.md`. */
  docs: boolean;
  /** How long policy files may run at build time (`timeout`, default 60). */
  timeoutSeconds: number;
  /** Warnings that guard quality (PC2041, a check without test cases) are errors. */
  strict?: boolean;
  /** `false`: TypeScript bodies are compiled to Rego only (config `cel: false`). */
  cel?: false;
  /** The `kyverno` section (src/emit/kyverno/config.ts); absent means defaults. */
  kyverno?: KyvernoConfigIR;
  /** Default ExpansionTemplates to emit (src/emit/gatekeeper/expansion.ts); absent means none. */
  expansion?: { workloads: string[]; enforcementAction?: "deny" | "warn" | "dryrun" };
  /** Emit ValidatingAdmissionPolicies and Bindings (src/emit/vap/); absent means none. */
  validatingAdmissionPolicy?: { parameters: "constraint" | "inline"; failurePolicy: "Fail" | "Ignore" };
}

export interface CheckIR {
  kind: string;
  /** lowercase(kind): the ConstraintTemplate's name. */
  name: string;
  description: string;
  title?: string;
  severity?: "low" | "medium" | "high" | "critical";
  remediation?: string;
  /** An absolute http(s) URL (checked with Gatekeeper's rules, PC2016). */
  docsUrl?: string;
  /** The user's own template annotations (policyc's take precedence). */
  annotations?: Record<string, string>;
  shortNames: string[];
  /** The structural `openAPIV3Schema` of the parameters, derived from the `Params` type. */
  parameters: JsonSchema;
  body: CheckBodyIR;
  /**
   * The check's CEL for Gatekeeper's `K8sNativeValidation` engine, emitted beside the Rego in
   * `targets[].code`: compiled from a TypeScript body (src/transpile/cel), or written/imported as
   * `k8sNativeValidation` next to a `rego` body. Absent: the check is Rego-only.
   */
  cel?: CelIR;
  /** The Rego version its template is written in: the check's `regoVersion`, else the config's. */
  regoVersion: "v0" | "v1";
  tests: TestCaseIR[];
  /** The exported binding name, when the check is exported (for reports). */
  exportName?: string;
  origin: Origin;
  fields: FieldOrigins;
}

/**
 * How the check is written. `rego` now; issue 5 adds `{ kind: "typescript", ... }` for check bodies
 * written in TypeScript and compiled to Rego.
 */
export type CheckBodyIR = RegoBodyIR | TypeScriptBodyIR;

export interface RegoBodyIR {
  kind: "rego";
  main: RegoModuleIR;
  libs: RegoModuleIR[];
  origin: Origin;
}

/**
 * A `violation(review, params, report)` body written in TypeScript and compiled to Rego by
 * src/transpile. `main` is the emitted module (its origin is the function), so emitters treat it like
 * a Rego body; `function` is where the TypeScript function is.
 */
export interface TypeScriptBodyIR {
  kind: "typescript";
  main: RegoModuleIR;
  libs: RegoModuleIR[];
  origin: Origin;
  function: Origin;
  /** The emitted module's package (`regoPackage`, else the lowercase kind). */
  package: string;
  /** What the body reads of the object and the parameters (drives the differential generators). */
  shapes: CheckShapes;
}

export interface CelIR {
  /** The `source` of the `K8sNativeValidation` code entry (plain data, emitted as is). */
  source: {
    variables?: { name: string; expression: string }[];
    validations: { expression: string; message?: string; messageExpression?: string }[];
    [field: string]: unknown;
  };
  /** `typescript`: compiled from the check body; `written`: given as `k8sNativeValidation`. */
  from: "typescript" | "written";
  /**
   * Where each expression came from, by its path in `source` (`validations.0.expression`,
   * `variables.1.expression`): the `report(...)` call or the property written in the DSL.
   */
  origins: Record<string, Origin>;
  origin: Origin;
}

export interface RegoModuleIR {
  text: string;
  /**
   * Where line 1, column 1 of `text` is in the user's sources; `colOffset` is the indentation the
   * `rego` tag removed (add it to every column). For a `.rego` file it is `{ file, line: 1, col: 1 }`.
   */
  origin: Origin & { colOffset: number };
}

export interface ConstraintIR {
  name: string;
  /** The check's kind. */
  kind: string;
  match: MatchIR;
  enforcementAction: "deny" | "dryrun" | "warn" | "scoped";
  scopedEnforcementActions?: { action: string; enforcementPoints: { name: string }[] }[];
  parameters?: Record<string, unknown>;
  podSecurity?: "restricted" | "baseline";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  tests: TestCaseIR[];
  origin: Origin;
  fields: FieldOrigins;
}

export interface LabelSelectorIR {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Gatekeeper's `spec.match` after PSS binding and default exemptions are applied. */
export interface MatchIR {
  kinds?: { apiGroups: string[]; kinds: string[] }[];
  scope?: string;
  namespaces?: string[];
  excludedNamespaces?: string[];
  labelSelector?: LabelSelectorIR;
  namespaceSelector?: LabelSelectorIR;
  name?: string;
  source?: string;
}

export interface TestCaseIR {
  name: string;
  /** The object under review (a YAML file is read by the front end). */
  object: unknown;
  /** The YAML file it came from, relative to the root. */
  objectFile?: string;
  parameters?: Record<string, unknown>;
  violations: "yes" | "no" | number;
  /** gator `message` assertions: RE2 regular expressions (DSL strings arrive escaped as literal text). */
  messages?: string[];
  /** The expectations when the template runs on CEL, where they differ (DSL `cel`). */
  cel?: { violations?: "yes" | "no" | number; messages?: string[] };
  /** Objects for `data.inventory` (files already read). */
  inventory?: unknown[];
  /** Gatekeeper external data provider answers, by provider name (validated). */
  externalData?: Record<string, ExternalDataMockIR>;
  /** Present when the case is reviewed as a full AdmissionReview. */
  admission?: { operation?: string; userInfo?: Record<string, unknown>; oldObject?: unknown };
  origin: Origin;
}

/** Any other object to emit as-is (Deckhouse SecurityPolicy, Kyverno PolicyException, ...). */
export interface ResourceIR {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The full object, `apiVersion`/`kind`/`metadata` included. */
  object: Record<string, unknown>;
  /** Schema in `schemas/` (relative path) that validates it; omitted only when none exists yet. */
  schema?: string;
  syncWave?: number;
  /** Cases of a Deckhouse SecurityPolicy/OperationPolicy (`tests:` of its builder), run by `policyc test`. */
  tests?: TestCaseIR[];
  origin: Origin;
  fields: FieldOrigins;
}

/** The origin of a property if it was written literally, else the node's own origin. */
export function fieldOrigin(node: { origin: Origin; fields: FieldOrigins }, path: string): Origin {
  return node.fields[path] ?? node.origin;
}
