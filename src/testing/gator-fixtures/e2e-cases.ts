/**
 * What Gatekeeper's cluster end-to-end tests expect of its webhook (test/bats/test.bats with the
 * objects under test/bats/tests, and the expansion runs with test/expansion), restated as data:
 * the objects a run applies (paths under the Gatekeeper checkout; `stdin` for what a run creates
 * with `kubectl create`/`kubectl run`), whether the cluster admits them (exit status of
 * `policyc check --no-project`), and what the answer must say. Mutation runs read the stored
 * object back (`kubectl get -o jsonpath`): here, `--show-mutated` must print it so.
 * Left out: runs that need a live cluster's state (audit totals, events, metrics, external data
 * providers, VAP resource generation, http.send being disabled).
 */
export interface GatekeeperE2eCase {
  name: string;
  /** Inputs, relative to the Gatekeeper checkout. */
  files: string[];
  /** Objects given on stdin. */
  stdin?: string;
  /** More `policyc check` options. */
  args?: string[];
  /** 1 when the request is denied, 0 when it is admitted. */
  exit: number;
  /** Substrings of the report (stdout and stderr). */
  contains?: string[];
  /** Substrings the report must not have. */
  lacks?: string[];
  /** With --show-mutated: substrings of the stored objects. */
  mutated?: string[];
}

const T = "test/bats/tests";
const X = "test/expansion";
const LABELS = `${T}/templates/k8srequiredlabels_template.yaml`;
const configMap = (name: string, ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`;
const ENV = 'you must provide labels: {"env"}';

export const gatekeeperE2eCases: GatekeeperE2eCase[] = [
  // gatekeeper mutation test
  {
    name: "AssignMetadata adds the owner label to a ConfigMap its labelSelector picks",
    files: [`${T}/mutations/k8sownerlabel_assignmetadata.yaml`, `${T}/mutations/mutate_cm.yaml`],
    args: ["--show-mutated"],
    exit: 0,
    mutated: ["owner: gatekeeper", "AssignMetadata/k8sownerlabel"],
  },
  {
    name: "Assign of an empty list clears a Service's externalIPs",
    files: [`${T}/mutations/k8sexternalip_assign.yaml`, `${T}/mutations/mutate_svc.yaml`],
    args: ["--show-mutated"],
    exit: 0,
    mutated: ["externalIPs: []", "Assign/k8sexternalip"],
  },
  {
    name: "AssignImage sets the domain and digest of a Pod's image",
    files: [`${T}/mutations/assign_image.yaml`, `${T}/mutations/nginx_pod.yaml`],
    args: ["--show-mutated"],
    exit: 0,
    mutated: ["image: foocorp.org/nginx@sha256:abcde67890123456789abc345678901a"],
  },
  // no ignore label unless namespace is exempt test
  {
    name: "a Namespace that is not exempt may not carry admission.gatekeeper.sh/ignore",
    files: [`${T}/bad/ignore_label_ns.yaml`, LABELS, `${T}/constraints/all_cm_must_have_gatekeeper.yaml`],
    exit: 1,
    contains: ["Only exempt namespace can have the admission.gatekeeper.sh/ignore label"],
  },
  // required labels warn and dryrun test
  { name: "required labels: a labelled ConfigMap is admitted", files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper.yaml`, `${T}/good/good_cm.yaml`], exit: 0 },
  {
    name: "required labels: deny refuses an unlabelled ConfigMap",
    files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper.yaml`, `${T}/bad/bad_cm.yaml`],
    exit: 1,
    contains: ['deny   K8sRequiredLabels/cm-must-have-gk: you must provide labels: {"gatekeeper"}'],
  },
  {
    name: "required labels: warn admits with a warning",
    files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper-warn.yaml`, `${T}/bad/bad_cm.yaml`],
    exit: 0,
    contains: ["warn   K8sRequiredLabels/cm-must-have-gk"],
  },
  {
    name: "required labels: dryrun admits",
    files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper-dryrun.yaml`, `${T}/bad/bad_cm.yaml`],
    exit: 0,
    lacks: ["deny   ", "warn   "],
  },
  {
    name: "scoped enforcement actions: the webhook's warn and deny, not audit's",
    files: [
      LABELS,
      `${T}/constraints/all_cm_must_have_gatekeeper_scoped.yaml`,
      `${T}/constraints/all_cm_must_have_gatekeeper_scoped_audit.yaml`,
      `${T}/constraints/all_cm_must_have_gatekeeper_scoped_webhook.yaml`,
      `${T}/bad/bad_cm_scoped.yaml`,
    ],
    exit: 1,
    contains: ["warn   K8sRequiredLabels/cm-must-have-gk-scoped:", "deny   K8sRequiredLabels/cm-must-have-gk-scoped-webhook:"],
    lacks: ["cm-must-have-gk-scoped-audit"],
  },
  // unique labels test
  {
    name: "unique labels: a ConfigMap repeating another's label value is refused (the inputs are the synced data)",
    files: [`${T}/templates/k8suniquelabel_template.yaml`, `${T}/constraints/all_cm_gatekeeper_label_unique.yaml`, `${T}/good/no_dupe_cm.yaml`, `${T}/bad/no_dupe_cm_2.yaml`],
    exit: 1,
    contains: ["ConfigMap gatekeeper-test-playground/no-dupes-2", "label gatekeeper has duplicate value not_duplicated"],
  },
  // config namespace exclusion tests (kubectl create configmap should-succeed -n NS)
  ...(["prefix", "suffix"] as const).flatMap((how): GatekeeperE2eCase[] => [
    {
      name: `config namespace exclusion (${how} match): refused without the Config`,
      files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper.yaml`],
      stdin: configMap("should-fail", `gatekeeper-excluded-${how}-match-namespace`),
      exit: 1,
      contains: ["cm-must-have-gk"],
    },
    {
      name: `config namespace exclusion (${how} match): admitted with it`,
      files: [LABELS, `${T}/constraints/all_cm_must_have_gatekeeper.yaml`, `${T}/sync_with_exclusion_${how}_match.yaml`],
      stdin: configMap("should-succeed", `gatekeeper-excluded-${how}-match-namespace`),
      exit: 0,
      contains: ["1 exempt"],
    },
  ]),
  // CEL's namespaceObject
  {
    name: "CEL namespaceObject: the ConfigMap's Namespace must carry the label",
    files: [
      `${T}/templates/k8snamespacelabelcheck_template_cel.yaml`,
      `${T}/constraints/ns_must_have_env_label_cel.yaml`,
      `${T}/good/ns_with_env_label.yaml`,
      `${T}/bad/ns_without_env_label.yaml`,
    ],
    stdin: `${configMap("test-cm", "ns-with-env-label")}---\n${configMap("test-cm", "ns-without-env-label")}`,
    exit: 1,
    contains: ["Namespace 'ns-without-env-label' does not have required label: environment"],
    lacks: ["ConfigMap ns-with-env-label/test-cm"],
  },
  // vap test (the webhook's answer for the same constraints)
  {
    name: "K8sNativeValidation: an unlabelled Namespace is denied and warned",
    files: [
      `${T}/templates/k8srequiredlabels_template_vap.yaml`,
      `${T}/constraints/all_ns_must_have_label_provided_vapbinding.yaml`,
      `${T}/constraints/all_ns_must_have_label_provided_vapbinding_scoped.yaml`,
      `${T}/bad/bad_ns.yaml`,
    ],
    exit: 1,
    contains: ["deny   K8sRequiredLabelsVap/all-must-have-label: missing required label, requires all of: owner", "warn   K8sRequiredLabelsVap/all-must-have-label-scoped"],
  },
  {
    name: "K8sNativeValidation: a Namespace with a matching owner label is admitted",
    files: [
      `${T}/templates/k8srequiredlabels_template_vap.yaml`,
      `${T}/constraints/all_ns_must_have_label_provided_vapbinding.yaml`,
      `${T}/constraints/all_ns_must_have_label_provided_vapbinding_scoped.yaml`,
      `${T}/good/good_ns.yaml`,
    ],
    exit: 0,
    contains: ["1 passed"],
  },
  // gatekeeper expansion test
  {
    name: "expansion: a Deployment whose Pods lack the label is refused",
    files: [`${X}/expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env.yaml`, `${X}/deployment_no_label.yaml`],
    exit: 1,
    contains: [`[Implied by expand-deployments] ${ENV}`],
  },
  {
    name: "expansion: a Deployment whose Pods carry the label is admitted",
    files: [`${X}/expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env.yaml`, `${X}/deployment_with_label.yaml`],
    exit: 0,
  },
  {
    name: "expansion: an AssignMetadata on generated Pods makes the Deployment compliant",
    files: [`${X}/expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env.yaml`, `${X}/assignmeta_env.yaml`, `${X}/deployment_no_label.yaml`],
    exit: 0,
  },
  {
    name: "expansion: the template's enforcementAction warn overrides the constraint's",
    files: [`${X}/warn_expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env.yaml`, `${X}/deployment_no_label.yaml`],
    exit: 0,
    contains: [`warn   K8sRequiredLabels/loadbalancers-must-have-env: [Implied by expand-deployments] ${ENV}`],
  },
  {
    name: "expansion: match.source Generated judges the generated Pod",
    files: [`${X}/expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env_source_gen.yaml`, `${X}/deployment_no_label.yaml`],
    exit: 1,
    contains: ["loadbalancers-must-have-env-gen"],
  },
  {
    name: "expansion: match.source Generated leaves a Pod created directly alone",
    files: [`${X}/expand_deployments.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env_source_gen.yaml`],
    stdin: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n  namespace: loadbalancers\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n",
    exit: 0,
  },
  {
    name: "expansion: CronJob to Job to Pod, the Pod's violation refuses the CronJob",
    files: [`${X}/expand_cronjob_job_pod.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env_source_gen.yaml`, `${X}/cronjob.yaml`],
    exit: 1,
    contains: [`[Implied by expand-jobs] ${ENV}`],
  },
  {
    name: "expansion: a template that closes a cycle is refused",
    files: [`${X}/expand_cronjob_job_pod.yaml`, `${X}/expand_pod_cronjob.yaml`, `${X}/k8srequiredlabels_ct.yaml`, `${X}/loadbalancers_must_have_env_source_gen.yaml`, `${X}/cronjob.yaml`],
    exit: 1,
    contains: ["ExpansionTemplate 'expand-pods' is not usable", "expansion cycle"],
  },
];
