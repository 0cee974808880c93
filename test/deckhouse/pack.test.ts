// The Deckhouse policy pack against the documented facts: one template per kind Deckhouse renders
// from SecurityPolicy, OperationPolicy and PSS, with its parameter schema and message formats; every
// Constraint the mapping renders validates against its template; the committed build is fresh and
// its golden suites (and the differential runs of its TypeScript bodies) pass.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../support/shared.js";
import { DECKHOUSE_KINDS, PACK_DIR, packTemplates, pssConstraints, moduleConstraints, DEFAULT_CLUSTER, securityPolicyConstraints, operationPolicyConstraints } from "../../src/deckhouse/index.js";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";
import { validateConstraint } from "../../src/testing/gatekeeper/constraint.js";

type T = "boolean" | "array" | "object" | "string" | "integer";

// §2–§3: the parameters each kind takes, by name and type.
const PARAMETERS: Record<string, Record<string, T>> = {
  D8PrivilegedContainer: {},
  D8AllowPrivilegeEscalation: { allowPrivilegeEscalation: "boolean" },
  D8HostProcesses: { allowHostPID: "boolean", allowHostIPC: "boolean" },
  D8HostNetwork: { allowHostNetwork: "boolean", ranges: "array" },
  D8AllowedHostPaths: { allowedHostPaths: "array" },
  D8AllowedCapabilities: { allowedCapabilities: "array", requiredDropCapabilities: "array" },
  // allowedLocalhostFiles: Deckhouse's own suites pass it beside securityContext-form profiles
  // (`[RuntimeDefault, Localhost]`), as for seccomp; its Constraints would not validate otherwise.
  D8AppArmor: { allowedProfiles: "array", allowedLocalhostFiles: "array" },
  D8AllowedFlexVolumes: { allowedFlexVolumes: "array" },
  D8AllowedProcMount: { allowedProcMount: "string" },
  D8AllowedSysctls: { allowedSysctls: "array", forbiddenSysctls: "array" },
  D8AllowedUsers: { fsGroup: "object", runAsUser: "object", runAsGroup: "object", supplementalGroups: "object" },
  D8ReadOnlyRootFilesystem: {},
  D8AutomountServiceAccountTokenPod: {},
  D8AllowedClusterRoles: { allowedClusterRoles: "array" },
  D8AllowRbacWildcards: {},
  D8AllowedSeccompProfiles: { allowedProfiles: "array", allowedLocalhostFiles: "array" },
  D8SeLinux: { allowedSELinuxOptions: "array" },
  D8AllowedVolumeTypes: { volumes: "array" },
  D8AllowedServiceTypes: { allowedServiceTypes: "array" },
  D8AllowedIngresses: { blockWildcardDomains: "boolean" },
  D8VerifyImageSignatures: { references: "array", isTest: "boolean" },
  D8DenyExecHeritage: {},
  D8DenyExec: { allowedCommands: "array" },
  D8AllowedRepos: { repos: "array" },
  D8RequiredResources: { limits: "array", requests: "array" },
  D8DisallowedTags: { tags: "array" },
  D8DisallowedTolerations: { tolerations: "array" },
  D8RequiredLabels: { labels: "array" },
  D8RequiredAnnotations: { annotations: "array" },
  D8RequiredProbes: { probes: "array" },
  D8RevisionHistoryLimit: { limit: "integer" },
  D8ImagePullPolicy: { policy: "string" },
  D8PriorityClass: { priorityClassNames: "array" },
  D8IngressClass: { ingressClassNames: "array" },
  D8StorageClass: { storageClassNames: "array" },
  D8DNSPolicy: {},
  D8ContainerDuplicates: {},
  D8ReplicaLimits: { ranges: "array" },
  D8GpuResourceRestriction: { namespaceLabel: "object", gpuResourcePatterns: "array" },
  D8VulnerableImages: { isTest: "boolean" },
};

// §6: every message of a kind has one of these forms (main's `<reason>, <context> | field | policy
// allows` for the SecurityPolicy/PSS templates, the released wording elsewhere), and each form occurs.
const v = "(.+)";
const MESSAGES: Record<string, RegExp[]> = {
  D8PrivilegedContainer: [/^Privileged container is not allowed, container: \S+ \| privileged: true \| policy allows: false( \| SPE allows: .*)?$/],
  D8AllowPrivilegeEscalation: [/^Privilege escalation container is not allowed, container: \S+ \| allowPrivilegeEscalation: (true|null) \| policy allows: (false|true)( \| SPE allows: .*)?$/],
  D8HostProcesses: [/^Sharing the hostPID namespace is not allowed, pod: \S+ \| /, /^Sharing the hostIPC namespace is not allowed, pod: \S+ \| /],
  D8HostNetwork: [/^The hostNetwork or hostPort are not allowed, pod: \S+ \| hostNetwork: /, /^The hostNetwork or hostPort are not allowed, pod: \S+ \| hostPort: /],
  D8AllowedHostPaths: [/^HostPath volume is not allowed, pod: \S+\. \| .* \| .*$/],
  D8AllowedCapabilities: [/^container has a disallowed capability, container: \S+ \| /, /^container is not dropping all required capabilities, container: \S+ \| /],
  D8AppArmor: [/^AppArmor profile is not allowed, pod: \S+, container: \S+ \| /],
  D8AllowedFlexVolumes: [new RegExp(`^FlexVolume ${v} is not allowed, pod: \\S+\\. Allowed drivers: ${v}$`)],
  D8AllowedProcMount: [/^ProcMount type is not allowed, container: \S+ \| /],
  D8AllowedSysctls: [/^The sysctl is not allowed, pod: \S+\. \| /],
  D8AllowedUsers: [/^Container \S+ is attempting to run as disallowed user\. \| .* \| /, /^Container \S+ is attempting to run as disallowed group\. \| .* \| /, /^Pod \S+ is attempting to run as disallowed (fsGroup|supplementalGroups)\. \| .* \| /],
  D8ReadOnlyRootFilesystem: [/^only read-only root filesystem container is allowed, container: \S+ \| /],
  D8AutomountServiceAccountTokenPod: [/^Automounting service account token is disallowed, pod: \S+$/],
  D8AllowedClusterRoles: [/^ClusterRole ".+" is not in list of allowed roles \[.*\]$/],
  D8AllowRbacWildcards: [/^Wildcard is forbidden in rules\.verbs of Role '.+': '.+'$/, /^Wildcard is forbidden in rules\.apiGroups of Role '.+': '.+'$/, /^Wildcard is forbidden in rules\.resources of Role '.+': '.+'$/, /^Wildcard is forbidden in roleRef\.name of RoleBinding '.+': '.+'$/, /^Wildcard is forbidden in subjects of RoleBinding '.+': '.+'$/],
  D8AllowedSeccompProfiles: [/^Seccomp profile is not allowed, container: \S+ \| /],
  D8SeLinux: [/^SELinux options are not allowed, pod: \S+\. \| .* \| /, /^SELinux options are not allowed, pod: \S+, container \S+\. \| .* \| /],
  D8AllowedVolumeTypes: [/^The volume type \S+ is not allowed, pod: \S+\. \| /],
  D8AllowedServiceTypes: [/^Field Service \S+ type has value \S+ which is not allowed \(\[.*\]\)$/],
  D8AllowedIngresses: [/^Ingress '.+' contains a wildcard '\*' in host '.+', which is not allowed\.$/],
  D8VerifyImageSignatures: [/^Image signature verification failed: \S+$/, /^System error calling external data provider: .+$/, /^Error validating one or more images: .+$/],
  D8AllowedRepos: [/^container <.+> has an invalid image repo <.*>, allowed repos are \[.*\]$/],
  D8RequiredResources: [/^container <.+> does not have <(cpu|memory)> limits defined$/, /^container <.+> does not have <(cpu|memory)> requests defined$/],
  D8DisallowedTags: [/^container <.+> uses a disallowed tag <.+>; disallowed tags are \[.*\]$/, /^container <.+> didn't specify an image tag <.+>$/],
  D8DisallowedTolerations: [/^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob) <.+> has a disallowed toleration matching .+$/],
  D8RequiredLabels: [/^you must provide labels: \{.*\}$/, /^Label <.+: .*> does not satisfy allowed regex: .+$/],
  D8RequiredAnnotations: [/^you must provide annotations: \{.*\}$/, /^Annotation <.+: .*> does not satisfy allowed regex: .+$/],
  D8RequiredProbes: [/^Container <.+> in your <(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob)> <.+> has no <(livenessProbe|readinessProbe|startupProbe)>$/],
  D8RevisionHistoryLimit: [/^(Deployment|DaemonSet) <.+> has \.spec\.revisionHistoryLimit: \d+, required: \d+$/],
  D8ImagePullPolicy: [/^Container <.+> in your (Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob) <.+> has invalid pull policy: <.+>$/],
  D8PriorityClass: [/^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob) <.+> has invalid priority class: .+, allowed: \[.*\]$/],
  D8IngressClass: [/^Ingress <.+> has invalid ingress class: .+, allowed: \[.*\]$/],
  D8StorageClass: [/^PersistentVolumeClaim <.+> has invalid storage class: .+, allowed: \[.*\]$/],
  D8DNSPolicy: [/^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob) <.+> with hostNetwork must have 'ClusterFirstWithHostNet' dnsPolicy$/],
  D8ContainerDuplicates: [/^(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob) <.+> has duplicated container names: '.+'$/, /^Container <.+> in pod <.+> has duplicated env variable names: '.+'$/],
  // The user is empty when no AdmissionReview names one (a Pod reviewed as gator does).
  D8DenyExec: [/^Exec command \[.*\] is not allowed, container: \S* \| policy allows: \[.*\]$/, /^Interactive exec is not allowed, container: \S* \| (stdin|tty): true$/],
  D8DenyExecHeritage: [/^Exec\/attach to Pod ".+" in namespace ".+" with label 'heritage: deckhouse' is forbidden for user ".*"$/],
  D8ReplicaLimits: [/^The provided number of replicas is not allowed for Deployment: .+\. Allowed ranges: \{"ranges": \[.*\]\}$/],
  // From Deckhouse's suite for the template (its cases' expected messages).
  D8VulnerableImages: [/^System error calling external data provider: .+$/, /^Vulnerable images are not allowed: \[.*\]$/],
  D8GpuResourceRestriction: [/^container <.+> requests GPU resources <.+>, but namespace <.*> does not have label <.+: .*>$/, /^container <.+> requests GPU resources <.+>, but namespace <.*> is not present in the Gatekeeper cache, so the label <.+> cannot be checked$/],
};

/** Violation heads other than `{"msg": msg, "details": {}}`. */
const msgOnly = /^\{"msg": msg\}$/;
const VIOLATION_HEAD: Record<string, RegExp> = {
  ...Object.fromEntries(DECKHOUSE_KINDS.filter((k) => k.source === "OperationPolicy").map((k) => [k.kind, msgOnly])),
  D8AutomountServiceAccountTokenPod: msgOnly,
  D8VerifyImageSignatures: msgOnly,
  D8DenyExecHeritage: msgOnly,
  D8DenyExec: msgOnly,
  D8GpuResourceRestriction: msgOnly,
  D8VulnerableImages: msgOnly,
  // "Parts of allowed-seccomp and allowed-users return only msg."
  D8AllowedSeccompProfiles: /^\{"msg": msg(, "details": \{\})?\}$/,
  D8AllowedUsers: /^\{"msg": msg(, "details": \{\})?\}$/,
  D8RequiredLabels: /^\{"msg": msg(, "details": \{"missing_labels": missing\})?\}$/,
  D8RequiredAnnotations: /^\{"msg": msg(, "details": \{"missing_annotations": missing\})?\}$/,
};

test("every kind Deckhouse renders from SecurityPolicy, OperationPolicy and PSS has one template in the pack", () => {
  const pack = packTemplates();
  const kinds = DECKHOUSE_KINDS.map((k) => k.kind).sort();
  assert.equal([...pack.keys()].sort(), kinds);
  assert.equal(Object.keys(PARAMETERS).sort(), kinds);
  assert.equal(Object.keys(MESSAGES).sort(), kinds);
  for (const [kind, t] of pack) {
    assert.is(t.metadata.name, kind.toLowerCase());
    const info = readTemplate(t);
    assert.is(info.regoVersion, "v1", kind);
    // Deckhouse's package for the kind (research §5), TypeScript bodies included (`regoPackage`).
    const pkg = info.rego!.match(/^package (\S+)/m)![1];
    assert.is(pkg, DECKHOUSE_KINDS.find((k) => k.kind === kind)!.regoPackage, `${kind}: Rego package`);
    // The violation shape of Deckhouse's template (research §6): `details: {}` in the v1 security
    // and PSS templates, `msg` alone in the OperationPolicy ones, the automount and signature templates,
    // and the missing labels/annotations in the details of the required-labels/annotations ones.
    const heads = [...info.rego!.matchAll(/^violation contains (\{.*\}) if/gm)].map((m) => m[1]);
    assert.ok(heads.length > 0, kind);
    for (const h of heads) assert.ok(VIOLATION_HEAD[kind] ? VIOLATION_HEAD[kind]!.test(h!) : /^\{"msg": msg, "details": \{\}\}$/.test(h!), `${kind}: violation ${h}`);
  }
});

test("each template's parameter schema has the documented names and types", () => {
  for (const [kind, t] of packTemplates()) {
    const props = (t.spec.crd.spec.validation?.openAPIV3Schema?.properties ?? {}) as Record<string, { type?: string }>;
    const got = Object.fromEntries(Object.entries(props).map(([k, s]) => [k, s.type]));
    assert.equal(got, PARAMETERS[kind], kind);
  }
});

test("each template's messages (its golden cases) have the documented formats, and every format occurs", () => {
  for (const kind of Object.keys(MESSAGES)) {
    // One entry per constraint of the suite (`<Kind>` and `<Kind> [<case>]` for cases with parameters).
    const golden = JSON.parse(readFileSync(path.join(PACK_DIR, "generated/tests", kind.toLowerCase(), "golden.json"), "utf8")) as Record<string, Record<string, { msg: string }[]>>;
    const msgs = Object.values(golden).flatMap((cases) => Object.values(cases).flat()).map((x) => x.msg);
    for (const m of msgs) assert.ok(MESSAGES[kind]!.some((re) => re.test(m)), `${kind}: ${JSON.stringify(m)} has no documented form`);
    for (const re of MESSAGES[kind]!) assert.ok(msgs.some((m) => re.test(m)), `${kind}: no case shows ${re}`);
    for (const m of msgs) assert.not.match(m, /[\n\r]/, "messages are one line");
  }
});

test("every Constraint the mapping renders validates against the pack's template", () => {
  const cluster = { ...DEFAULT_CLUSTER, edition: "EE" as const, knownHostPortRanges: [{ min: 8080, max: 8090 }] };
  const security = {
    metadata: { name: "everything" },
    spec: {
      enforcementAction: "Warn",
      match: { namespaceSelector: { matchNames: ["a-*"], excludeNames: ["a-x"] }, labelSelector: { matchLabels: { app: "x" } } },
      policies: {
        allowPrivileged: false, allowPrivilegeEscalation: false, allowHostPID: false, allowHostIPC: true, allowHostNetwork: false,
        allowedHostPorts: [{ min: 1, max: 2 }], allowedHostPaths: [{ pathPrefix: "/x", readOnly: true }], allowedCapabilities: ["CHOWN"],
        requiredDropCapabilities: ["ALL"], allowedAppArmor: ["runtime/default"], allowedFlexVolumes: [{ driver: "d" }], allowedProcMount: "Default",
        allowedUnsafeSysctls: ["kernel.*"], forbiddenSysctls: ["kernel.msg*"], fsGroup: { rule: "MustRunAs", ranges: [{ min: 1, max: 2 }] },
        runAsUser: { rule: "MustRunAsNonRoot" }, runAsGroup: { rule: "MayRunAs", ranges: [{ min: 1, max: 2 }] }, supplementalGroups: { rule: "MustRunAs", ranges: [{ min: 1, max: 2 }] },
        readOnlyRootFilesystem: true, automountServiceAccountToken: false, allowedClusterRoles: ["view"], allowRbacWildcards: false,
        seccompProfiles: { allowedProfiles: ["RuntimeDefault"], allowedLocalhostFiles: ["*"] }, seLinux: [{ type: "container_t" }],
        allowedVolumes: ["configMap"], allowedServiceTypes: ["ClusterIP"], blockWildcardDomains: true,
        verifyImageSignatures: [{ reference: "docker.io/myrepo/*", publicKeys: ["k"] }],
      },
    },
  };
  const operation = {
    metadata: { name: "ops" },
    spec: {
      match: { namespaceSelector: { labelSelector: { matchLabels: { a: "b" } } } },
      policies: {
        allowedRepos: ["r"], requiredResources: { limits: ["memory"], requests: ["cpu"] }, disallowedImageTags: ["latest"],
        disallowedTolerations: [{ key: "k", operator: "Exists" }], requiredLabels: { labels: [{ key: "a", allowedRegex: "^x$" }], watchKinds: ["/Pod", "apps/Deployment"] },
        requiredAnnotations: { annotations: [{ key: "a" }], watchKinds: ["/Namespace"] }, requiredProbes: ["livenessProbe"], maxRevisionHistoryLimit: 3,
        imagePullPolicy: "Always", priorityClassNames: ["p"], ingressClassNames: ["nginx"], storageClassNames: ["s"], checkHostNetworkDNSPolicy: true,
        checkContainerDuplicates: true, replicaLimits: { minReplicas: 1, maxReplicas: 3 },
      },
    },
  };
  const rendered = [...securityPolicyConstraints(security, cluster), ...operationPolicyConstraints(operation), ...pssConstraints(cluster, ["warn"]), ...moduleConstraints()];
  const kinds = new Set(rendered.map((c) => c.kind));
  // Every kind but the shipped ones, which only a cluster's own Constraints use (one is added here).
  assert.equal([...kinds].sort(), DECKHOUSE_KINDS.filter((k) => k.source !== "Shipped").map((k) => k.kind).sort(), "the fixtures render every kind");
  rendered.push({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "D8DenyExec", metadata: { name: "exec-ls" }, spec: { match: { kinds: [{ apiGroups: [""], kinds: ["PodExecOptions"] }] }, parameters: { allowedCommands: ["ls"] } } } as (typeof rendered)[number]);
  const pack = packTemplates();
  for (const c of rendered) {
    const problem = validateConstraint(c as unknown as Record<string, unknown>, readTemplate(pack.get(c.kind)!));
    assert.is(problem, undefined, `${c.kind}/${c.metadata.name}: ${problem?.message}`);
  }
});

const policyc = (...args: string[]) => spawnSync(process.execPath, [path.join(projectRoot, "bin/policyc.js"), ...args, "--config", path.join(PACK_DIR, "policyc.config.ts")], { cwd: projectRoot, encoding: "utf8", timeout: 240_000 });

test("the committed pack build is fresh, and its golden and differential tests pass", () => {
  const check = policyc("build", "--check");
  assert.is(check.status, 0, check.stdout + check.stderr);
  const run = policyc("test", "--differential");
  assert.is(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, / 0 failed/);
});

test.run();
