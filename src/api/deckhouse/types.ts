/**
 * TypeScript shapes of Deckhouse's `deckhouse.io/v1alpha1` policy resources (admission-policy-engine):
 * `SecurityPolicy`, `OperationPolicy` and `SecurityPolicyException`. Every field of the upstream
 * CRDs is here, documented with what Deckhouse does with it, so that autocomplete is the manual.
 */

/** What happens to a request that violates the policy. Deckhouse spells these capitalised. */
export type DeckhouseEnforcementAction =
  /** Reject the request. The default. */
  | "Deny"
  /** Admit the request but return a warning with the reason it would have been denied. */
  | "Warn"
  /** Admit the request silently; the violation shows up in audit, metrics and Grafana only. */
  | "Dryrun";

/** One `matchExpressions` entry of a label selector. */
export interface DeckhouseLabelSelectorRequirement {
  /** The label key the requirement applies to. */
  key: string;
  /** How the label's value is compared with `values`. */
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  /** Values for `In` / `NotIn`; must be empty for `Exists` / `DoesNotExist`. */
  values?: string[];
}

/** A Kubernetes label selector; needs `matchLabels`, `matchExpressions` or both (ANDed). */
export interface DeckhouseLabelSelector {
  /** Labels that must all be present with exactly these values. */
  matchLabels?: Record<string, string>;
  /** Set-based requirements that must all hold. */
  matchExpressions?: DeckhouseLabelSelectorRequirement[];
}

/** Which namespaces a policy covers. At least one field is required; all given fields are ANDed. */
export interface DeckhouseNamespaceSelector {
  /** Only these namespaces. A single leading or trailing `*` is a glob (Gatekeeper semantics). */
  matchNames?: string[];
  /** Every namespace except these. Same glob rules as `matchNames`. */
  excludeNames?: string[];
  /** Namespaces whose labels match this selector. */
  labelSelector?: DeckhouseLabelSelector;
}

/**
 * Which Pods (or other objects) a policy covers: `(matchNames ∩ labelSelector) \ excludeNames` of
 * the namespace selector, intersected with the object label selector. At least one of the two
 * fields is required.
 */
export interface DeckhouseMatch {
  /** Selects namespaces by name or labels. */
  namespaceSelector?: DeckhouseNamespaceSelector;
  /** Selects objects (Pods) by their own labels. */
  labelSelector?: DeckhouseLabelSelector;
}

/** An inclusive numeric range. */
export interface IdRange {
  /** Lowest allowed value. */
  min?: number;
  /** Highest allowed value. */
  max?: number;
}

/** A UID/GID rule: how `ranges` are enforced. */
export interface IdRule<Rule extends string> {
  /** `MustRunAs` requires a value inside `ranges`; `MayRunAs` only checks values that are set; `RunAsAny` disables the check (Deckhouse drops it). */
  rule: Rule;
  /** Allowed ranges (inclusive). */
  ranges?: IdRange[];
}

/** Linux capability names as Deckhouse accepts them (without `CAP_`), plus `ALL`. */
export type Capability =
  | "ALL"
  | "SETPCAP"
  | "SYS_MODULE"
  | "SYS_RAWIO"
  | "SYS_PACCT"
  | "SYS_ADMIN"
  | "SYS_NICE"
  | "SYS_RESOURCE"
  | "SYS_TIME"
  | "SYS_TTY_CONFIG"
  | "MKNOD"
  | "AUDIT_WRITE"
  | "AUDIT_CONTROL"
  | "MAC_OVERRIDE"
  | "MAC_ADMIN"
  | "NET_ADMIN"
  | "SYSLOG"
  | "CHOWN"
  | "NET_RAW"
  | "DAC_OVERRIDE"
  | "FOWNER"
  | "DAC_READ_SEARCH"
  | "FSETID"
  | "KILL"
  | "SETGID"
  | "SETUID"
  | "LINUX_IMMUTABLE"
  | "NET_BIND_SERVICE"
  | "NET_BROADCAST"
  | "IPC_LOCK"
  | "IPC_OWNER"
  | "SYS_CHROOT"
  | "SYS_PTRACE"
  | "SYS_BOOT"
  | "LEASE"
  | "SETFCAP"
  | "WAKE_ALARM"
  | "BLOCK_SUSPEND";

/** Volume types `allowedVolumes` may list; `*` allows all, `none` allows no volumes. */
export type VolumeType =
  | "*"
  | "none"
  | "awsElasticBlockStore"
  | "azureDisk"
  | "azureFile"
  | "cephFS"
  | "cinder"
  | "configMap"
  | "csi"
  | "downwardAPI"
  | "emptyDir"
  | "ephemeral"
  | "fc"
  | "flexVolume"
  | "flocker"
  | "gcePersistentDisk"
  | "gitRepo"
  | "glusterfs"
  | "hostPath"
  | "iscsi"
  | "nfs"
  | "persistentVolumeClaim"
  | "photonPersistentDisk"
  | "portworxVolume"
  | "projected"
  | "quobyte"
  | "rbd"
  | "scaleIO"
  | "secret"
  | "storageos"
  | "vsphereVolume";

/** One image-signature rule (Cosign, checked through Ratify; Deckhouse SE+/EE/CSE only). */
export interface VerifyImageSignature {
  /**
   * Image address or glob the rule covers. A single `*` is allowed, only at the end
   * (`company.registry.com/*`); without it the value is one exact image. Characters: lowercase
   * letters, digits, `.`, `-`, `:`, `@`, `/`. References must not overlap between SecurityPolicies.
   */
  reference: string;
  /** Cosign public keys in PEM (`-----BEGIN PUBLIC KEY-----`); an image must be signed by one of them. Checked at build time. */
  publicKeys: string[];
  /** Base64 of a docker config JSON (`{"auths": {...}}`) with credentials for the registry; omit for anonymous access. */
  dockerCfg?: string;
  /** PEM CA certificate to trust when connecting to the registry. */
  ca?: string;
}

/** The knobs of a SecurityPolicy. Each knob that is set becomes one Gatekeeper constraint (see the Deckhouse docs). */
export interface SecurityPolicyPolicies {
  /** Allow privileged containers. Omitted or `false` forbids them (Deckhouse renders the check when absent). */
  allowPrivileged?: boolean;
  /** Allow `allowPrivilegeEscalation: true`. Omitted or `false` forbids it. */
  allowPrivilegeEscalation?: boolean;
  /** Allow sharing the host PID namespace; `false` forbids it. */
  allowHostPID?: boolean;
  /** Allow sharing the host IPC namespace; `false` forbids it. */
  allowHostIPC?: boolean;
  /** Allow `hostNetwork: true`; `false` forbids it. */
  allowHostNetwork?: boolean;
  /** Allowed `hostPort` ranges; with `hostNetwork: true` container ports are checked as well. */
  allowedHostPorts?: IdRange[];
  /** Allowed hostPath prefixes (per path segment, no `*`). `[]` forbids every hostPath volume; omitted means no check. */
  allowedHostPaths?: {
    /** Prefix matched per path segment; trailing `/` is trimmed. */ pathPrefix: string;
    /** Require every mount of the volume to be read-only. Default `false`. */ readOnly?: boolean;
  }[];
  /** Capabilities `capabilities.add` may contain (`ALL` allows all). */
  allowedCapabilities?: Capability[];
  /** Capabilities every container must drop (`ALL` allowed). */
  requiredDropCapabilities?: Capability[];
  /** Allowed AppArmor profiles: `runtime/default`, `unconfined`, `localhost/<name>`, `localhost/*`. */
  allowedAppArmor?: string[];
  /** Allowed FlexVolume drivers. */
  allowedFlexVolumes?: {
    /** Driver name. */ driver?: string;
  }[];
  /** Allowed `procMount`; `Unmasked` disables the check. */
  allowedProcMount?: "Default" | "Unmasked";
  /** Unsafe sysctls that are allowed (globs; `*` allows all). */
  allowedUnsafeSysctls?: string[];
  /** Forbidden sysctls (globs); they win over `allowedUnsafeSysctls`. */
  forbiddenSysctls?: string[];
  /** Allowed `fsGroup`. */
  fsGroup?: IdRule<"MustRunAs" | "MayRunAs" | "RunAsAny">;
  /** Allowed UIDs; `MustRunAsNonRoot` requires a non-zero UID. */
  runAsUser?: IdRule<"MustRunAs" | "MustRunAsNonRoot" | "RunAsAny">;
  /** Allowed primary GIDs. */
  runAsGroup?: IdRule<"MustRunAs" | "MayRunAs" | "RunAsAny">;
  /** Allowed supplemental GIDs. */
  supplementalGroups?: IdRule<"MustRunAs" | "MayRunAs" | "RunAsAny">;
  /** Require `readOnlyRootFilesystem: true` in every container (only `true` has an effect). */
  readOnlyRootFilesystem?: boolean;
  /** `false` forbids Pods that automount the service account token. */
  automountServiceAccountToken?: boolean;
  /** ClusterRoles a RoleBinding may reference (`*` disables the check). */
  allowedClusterRoles?: string[];
  /** `false` forbids `*` in namespaced Role rules and RoleBinding subjects/roleRef. Default `true`. */
  allowRbacWildcards?: boolean;
  /** Allowed seccomp profiles, in annotation form (`runtime/default`, `localhost/<f>`) or securityContext form (`RuntimeDefault`, `Localhost`); `*` allows all. */
  seccompProfiles?: {
    /** Allowed profiles. */ allowedProfiles?: string[];
    /** Files allowed for `Localhost` profiles. */ allowedLocalhostFiles?: string[];
  };
  /** Allowed SELinux option tuples. */
  seLinux?: {
    /** SELinux level label, e.g. `s0:c123,c456`. */
    level?: string;
    /** SELinux role label. */
    role?: string;
    /** SELinux type label, e.g. `container_t` (`""` allows an unset type). */
    type?: string;
    /** SELinux user label. */
    user?: string;
  }[];
  /** Allowed volume types (`*` disables the check). */
  allowedVolumes?: VolumeType[];
  /** Allowed Service types. */
  allowedServiceTypes?: ("ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName")[];
  /** `true` rejects Ingresses with `*` in a host. */
  blockWildcardDomains?: boolean;
  /** Cosign image-signature verification rules (Deckhouse SE+, EE, CSE). */
  verifyImageSignatures?: VerifyImageSignature[];
}

/** `spec` of a SecurityPolicy. */
export interface SecurityPolicySpec {
  /** `Deny` (default), `Warn` or `Dryrun`. */
  enforcementAction?: DeckhouseEnforcementAction;
  /** Where the policy applies. */
  match: DeckhouseMatch;
  /** What the policy requires. */
  policies: SecurityPolicyPolicies;
}

/** A required label or annotation. */
export interface RequiredKey {
  /** Label or annotation key. */
  key?: string;
  /** Regular expression the value must match. */
  allowedRegex?: string;
}

/** The knobs of an OperationPolicy; each knob that is set becomes one Gatekeeper constraint. */
export interface OperationPolicyPolicies {
  /** Prefixes every container image must start with. */
  allowedRepos?: string[];
  /** Resources every container must declare. */
  requiredResources?: {
    /** Required limits. */ limits?: ("cpu" | "memory")[];
    /** Required requests. */ requests?: ("cpu" | "memory")[];
  };
  /** Forbidden image tags (for example `latest`); an image without a tag is forbidden as well. */
  disallowedImageTags?: string[];
  /** Tolerations Pods must not carry. */
  disallowedTolerations?: {
    /** Taint key the toleration refers to. */
    key?: string;
    /** `Exists` (any value) or `Equal` (to `value`). */
    operator?: "Exists" | "Equal";
    /** Taint value, for `Equal`. */
    value?: string;
    /** Taint effect. */
    effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  }[];
  /** Labels objects of `watchKinds` must carry. */
  requiredLabels?: {
    /** Required labels (at least one). */ labels?: RequiredKey[];
    /** `"<group>/<Kind>"`, e.g. `/Pod`, `apps/Deployment` (at least one). */ watchKinds?: string[];
  };
  /** Annotations objects of `watchKinds` must carry. */
  requiredAnnotations?: {
    /** Required annotations (at least one). */ annotations?: RequiredKey[];
    /** `"<group>/<Kind>"` (at least one). */ watchKinds?: string[];
  };
  /** Probes every container must define. */
  requiredProbes?: ("livenessProbe" | "readinessProbe" | "startupProbe")[];
  /** Upper bound for `.spec.revisionHistoryLimit` of Deployments and DaemonSets. */
  maxRevisionHistoryLimit?: number;
  /** Required `imagePullPolicy`. */
  imagePullPolicy?: "Always" | "IfNotPresent";
  /** Allowed priority classes. */
  priorityClassNames?: string[];
  /** Allowed ingress classes. */
  ingressClassNames?: string[];
  /** Allowed storage classes of PersistentVolumeClaims. */
  storageClassNames?: string[];
  /** Pods with `hostNetwork: true` must use `dnsPolicy: ClusterFirstWithHostNet`. */
  checkHostNetworkDNSPolicy?: boolean;
  /** Forbid duplicate container names and duplicate env names inside a container. */
  checkContainerDuplicates?: boolean;
  /** Allowed Deployment replica range (inclusive). */
  replicaLimits?: {
    /** Fewest replicas allowed. */ minReplicas?: number;
    /** Most replicas allowed. */ maxReplicas?: number;
  };
}

/** `spec` of an OperationPolicy. */
export interface OperationPolicySpec {
  /** `Deny` (default), `Warn` or `Dryrun`. */
  enforcementAction?: DeckhouseEnforcementAction;
  /** Where the policy applies. */
  match: DeckhouseMatch;
  /** What the policy requires. */
  policies: OperationPolicyPolicies;
}

/** Free-form notes kept with an exception entry (for example `description`). */
export type ExceptionMetadata = Record<string, unknown>;
/** An exception allowing one boolean value. */
export interface AllowedValue<T> {
  /** The value the Pod may use. */ allowedValue: T;
  /** Notes, e.g. `{ description }`. */ metadata?: ExceptionMetadata;
}
/** An exception allowing a set of values. */
export interface AllowedValues<T> {
  /** Values the Pod may use. */ allowedValues: T;
  /** Notes, e.g. `{ description }`. */ metadata?: ExceptionMetadata;
}

/**
 * `spec` of a SecurityPolicyException. Pods opt in with the label
 * `security.deckhouse.io/security-policy-exception: <name>` (or per container with
 * `security.deckhouse.io/security-policy-exception.container.<container>: <name>`); a value given
 * here replaces the policy's decision for that field.
 */
export interface SecurityPolicyExceptionSpec {
  /** Container securityContext fields. */
  securityContext?: {
    /** The `readOnlyRootFilesystem` value a container may use (CRD default `false`). */
    readOnlyRootFilesystem?: AllowedValue<boolean>;
    /** The `allowPrivilegeEscalation` value a container may use (CRD default `false`). */
    allowPrivilegeEscalation?: AllowedValue<boolean>;
    /** Capabilities that may be added (`add`, default none) and the drop list that satisfies the policy (`drop`, default `["all"]`). */
    capabilities?: AllowedValues<{
      /** Capabilities whose drop satisfies the policy (CRD default `["all"]`). */
      drop?: string[];
      /** Capabilities a container may add (CRD default none). */
      add?: string[];
    }>;
    /** UIDs a container may run as. */
    runAsUser?: AllowedValues<number[]>;
    /** The `runAsNonRoot` value a container may use (CRD default `true`). */
    runAsNonRoot?: AllowedValue<boolean>;
    /** Seccomp profiles a container may use. */
    seccompProfile?: AllowedValues<string[]>;
    /** AppArmor profiles: `runtime/default`, `unconfined` or `localhost/<profile>`. */
    appArmorProfile?: AllowedValues<string[]>;
    /** SELinux option tuples a container may use. */
    seLinuxOptions?: AllowedValues<
      {
        /** SELinux user label. */
        user?: string;
        /** SELinux role label. */
        role?: string;
        /** SELinux type label. */
        type?: string;
        /** SELinux level label. */
        level?: string;
      }[]
    >;
    /** The `privileged` value a container may use (CRD default `false`). */
    privileged?: AllowedValue<boolean>;
    /** `procMount` values a container may use. */
    procMount?: AllowedValues<("Default" | "Unmasked")[]>;
    /** Sysctls (name and value) the Pod may set. */
    sysctls?: AllowedValues<
      {
        /** Sysctl name, e.g. `net.core.somaxconn`. */
        name?: string;
        /** The value it may be set to. */
        value?: string;
      }[]
    >;
  };
  /** Host network fields. */
  network?: {
    /** Host ports the Pod may use. */
    hostPorts?: {
      /** Host port number. */ port?: number;
      /** `TCP` or `UDP`. */ protocol?: "TCP" | "UDP";
      /** Notes, e.g. `{ description }`. */ metadata?: ExceptionMetadata;
    }[];
    /** The `hostNetwork` value the Pod may use (CRD default `false`). */
    hostNetwork?: AllowedValue<boolean>;
    /** The `hostPID` value the Pod may use (CRD default `false`). */
    hostPID?: AllowedValue<boolean>;
    /** The `hostIPC` value the Pod may use (CRD default `false`). */
    hostIPC?: AllowedValue<boolean>;
  };
  /** Volume fields. */
  volumes?: {
    /** Volume types the Pod may use. */
    types?: AllowedValues<string[]>;
    /** hostPath volumes the Pod may mount. */
    hostPath?: {
      /** Host paths the Pod may mount, each with whether it must be read-only. */
      allowedValues: {
        /** Host path. */ path?: string;
        /** Require a read-only mount (default `false`). */ readOnly?: boolean;
        /** Notes. */
        metadata?: {
          /** Why the path is allowed. */
          description?: string;
        };
      }[];
    };
  };
}
