/**
 * TypeScript shapes of Kyverno's `kyverno.io/v2` PolicyException (every CRD field, documented) and
 * of the declaration policyc uses to generate exceptions for a Kyverno policy.
 */

/** A Kubernetes label selector. */
export interface KyvernoLabelSelector {
  /** Labels that must all be present with these values. */
  matchLabels?: Record<string, string>;
  /** Set-based requirements that must all hold. */
  matchExpressions?: {
    /** The label key. */
    key: string;
    /** How the label's value is compared with `values`. */
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    /** Values for `In` / `NotIn`. */
    values?: string[];
  }[];
}

/** What a filter selects. All given fields must hold. `*` and `?` are wildcards in names and namespaces. */
export interface ResourceDescription {
  /** Kinds: `Pod`, `apps/v1/Deployment`, `Pod/exec`, `*`. An empty list matches every kind. */
  kinds?: string[];
  /** Object names (wildcards allowed). Do not combine with the deprecated `name`. */
  names?: string[];
  /** @deprecated Use `names`. */
  name?: string;
  /** Namespaces (wildcards allowed); for Namespace objects, compared with their name. */
  namespaces?: string[];
  /** Annotations the object must carry (wildcards in keys and values). */
  annotations?: Record<string, string>;
  /** Object label selector. */
  selector?: KyvernoLabelSelector;
  /** Namespace label selector. */
  namespaceSelector?: KyvernoLabelSelector;
  /** Admission operations. */
  operations?: ("CREATE" | "UPDATE" | "DELETE" | "CONNECT")[];
}

/** One filter of `match.any` / `match.all`. */
export interface ResourceFilter {
  /** Which objects. */
  resources?: ResourceDescription;
  /** Requesting subjects (only with `background: false`). */
  subjects?: {
    /** `User`, `Group` or `ServiceAccount`. */
    kind: string;
    /** Subject name. */
    name: string;
    /** Namespace of a ServiceAccount. */
    namespace?: string;
    /** API group of the subject kind. */
    apiGroup?: string;
  }[];
  /** Requesting users' Roles (only with `background: false`). */
  roles?: string[];
  /** Requesting users' ClusterRoles (only with `background: false`). */
  clusterRoles?: string[];
}

/** A JMESPath condition. */
export interface ExceptionCondition {
  /** JMESPath expression, e.g. `{{ request.object.metadata.labels.app || '' }}`. */
  key?: unknown;
  /** How `key` is compared with `value`. */
  operator?:
    | "Equals"
    | "NotEquals"
    | "AnyIn"
    | "AllIn"
    | "AnyNotIn"
    | "AllNotIn"
    | "GreaterThanOrEquals"
    | "GreaterThan"
    | "LessThanOrEquals"
    | "LessThan"
    | "DurationGreaterThanOrEquals"
    | "DurationGreaterThan"
    | "DurationLessThanOrEquals"
    | "DurationLessThan";
  /** The value (or JMESPath expression) to compare with. */
  value?: unknown;
  /** Message shown when the condition does not hold. */
  message?: string;
}

/** Pod Security control names a `podSecurity` exemption may name. */
export type PodSecurityControl =
  | "HostProcess"
  | "Host Namespaces"
  | "Privileged Containers"
  | "Capabilities"
  | "HostPath Volumes"
  | "Host Ports"
  | "AppArmor"
  | "SELinux"
  | "/proc Mount Type"
  | "Seccomp"
  | "Sysctls"
  | "Volume Types"
  | "Privilege Escalation"
  | "Running as Non-root"
  | "Running as Non-root user";

/** `spec` of a Kyverno PolicyException. */
export interface PolicyExceptionSpec {
  /** Whether background scans honour the exception (default `true`). */
  background?: boolean;
  /**
   * The policies and rules exempted. `policyName` is exact (`<name>` for a ClusterPolicy,
   * `<namespace>/<name>` for a Policy); `ruleNames` may use wildcards and must include the
   * `autogen-` / `autogen-cronjob-` names Kyverno generates for Pod controllers.
   */
  exceptions: {
    /** Exact policy name: `<name>` for a ClusterPolicy, `<namespace>/<name>` for a Policy. */
    policyName: string;
    /** Rule names (wildcards allowed), including `autogen-` variants. */
    ruleNames: string[];
  }[];
  /** Which requests are exempted: exactly one of `any` (OR) or `all` (AND). */
  match: {
    /** Exempt a request matching any of these filters. */
    any?: ResourceFilter[];
    /** Exempt a request matching all of these filters. */
    all?: ResourceFilter[];
  };
  /** Extra JMESPath conditions. */
  conditions?: {
    /** At least one must hold. */
    any?: ExceptionCondition[];
    /** All must hold. */
    all?: ExceptionCondition[];
  };
  /** Exemptions for `validate.podSecurity` rules. */
  podSecurity?: {
    /** The Pod Security control exempted. */
    controlName: PodSecurityControl;
    /** Images the exemption applies to (wildcards allowed). */
    images?: string[];
    /** The field the exemption covers, e.g. `spec.containers[*].securityContext.capabilities.add`. */
    restrictedField?: string;
    /** Values allowed in that field. */
    values?: string[];
  }[];
}

/** A rule of a Kyverno policy, as far as exceptions need it. */
export interface KyvernoRuleDecl {
  /** The rule's name. */
  name: string;
  /** The kinds the rule matches; a rule matching `Pod` gets Kyverno's autogen variants. Default `["Pod"]`. */
  kinds?: string[];
}

/** A Kyverno policy (defined elsewhere, e.g. by a Helm chart) whose rules policyc exempts for system namespaces. */
export interface KyvernoPolicyDecl {
  /** The policy's name. */
  name: string;
  /** `ClusterPolicy` (default) or namespaced `Policy` (then `namespace` is required). */
  kind?: "ClusterPolicy" | "Policy";
  /** Namespace of a `Policy`. */
  namespace?: string;
  /** Its rules (names as Kyverno knows them, without `autogen-`). */
  rules: (string | KyvernoRuleDecl)[];
  /**
   * The policy's `pod-policies.kyverno.io/autogen-controllers` annotation: `none`, or a comma list
   * such as `Deployment,CronJob`. Default: every Pod controller, CronJob included.
   */
  autogenControllers?: string;
}

/** The `kyverno` section of policyc.config.ts. */
export interface KyvernoConfig {
  /**
   * The namespace PolicyExceptions are created in. It must equal Kyverno's `--exceptionNamespace`
   * flag (Helm `features.policyExceptions.namespace`); Kyverno ignores exceptions elsewhere.
   * Default `kyverno`.
   */
  exceptionNamespace?: string;
  /** Namespaces (globs `*`, `?`) exempted from every Kyverno policy. Default: the config's `exemptNamespaces` (`kube-system`, `d8-*`). */
  exemptNamespaces?: string[];
  /** Folder(s), relative to the config file, of Kyverno `ClusterPolicy`/`Policy` YAML to exempt. */
  policyDir?: string | string[];
  /** Also write `kyverno/resource-filters.yaml` with the equivalent ConfigMap `resourceFilters` entries. Default false. */
  resourceFilters?: boolean;
}
