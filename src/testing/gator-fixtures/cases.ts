/**
 * What `gator test`'s own CLI tests expect (Gatekeeper's test/gator/test/test.bats), restated as
 * data: the inputs of each run (paths under the fixtures folder, or stdin), its exit status, and
 * the messages its report must carry. `policyc check --no-project` runs each with the same inputs.
 * OCI-image cases are left out (policyc reads no registries).
 */
export interface GatorTestCase {
  name: string;
  /** Inputs, relative to test/gator/test/fixtures. */
  files: string[];
  /** A file given on stdin instead. */
  stdin?: string;
  /** gator's `-o`; without it, gator's text lines (check's `-o gator`). */
  output?: "yaml" | "json";
  exit: number;
  /** The `msg` of the first result of the YAML report (`yq '.[0].result.msg'`). */
  firstMsg?: string;
  /** Substrings of the report. */
  contains?: string[];
}

const READINESS = "Container <tomcat> in your <Pod> <test-pod1> has no <readinessProbe>";
const WITH = "manifests/with-policies/with-violations.yaml";
const NO = "manifests/with-policies/no-violations.yaml";

export const gatorTestCases: GatorTestCase[] = [
  { name: "no input at all: exit 1", files: [], exit: 1 },
  { name: "a named file whose extension is not .yaml, .yml or .json: exit 1", files: ["manifests/different-extensions/other-junk.txt"], exit: 1 },
  { name: "no violations on stdin: exit 0", files: [], stdin: NO, exit: 0 },
  { name: "violations on stdin: exit 1 with the violation", files: [], stdin: WITH, exit: 1, contains: [READINESS] },
  { name: "no violations in a named file: exit 0", files: [NO], exit: 0 },
  { name: "violations in a named file: exit 1", files: [WITH], exit: 1 },
  {
    name: "policies and manifests in separate paths",
    files: ["manifests/no-policies/with-violations.yaml", "policies/default"],
    output: "yaml",
    exit: 1,
    firstMsg: READINESS,
  },
  {
    name: "policies in a path, manifests on stdin",
    files: ["policies/default"],
    stdin: "manifests/no-policies/with-violations.yaml",
    output: "yaml",
    exit: 1,
    firstMsg: READINESS,
  },
  { name: "no violations across a policy folder and a manifest", files: ["policies/default", "manifests/no-policies/no-violations.yaml"], exit: 0 },
  { name: "violations across a policy folder and a manifest", files: ["policies/default", "manifests/no-policies/with-violations.yaml"], exit: 1 },
  { name: "a template that is not valid YAML is refused", files: ["manifests/invalid-resources/template.yaml"], exit: 1 },
  { name: "a constraint that is not valid YAML is refused", files: ["manifests/invalid-resources/constraint.yaml"], exit: 1 },
  { name: "json report", files: [WITH], output: "json", exit: 1, contains: [READINESS] },
  { name: "yaml report", files: [WITH], output: "yaml", exit: 1, firstMsg: READINESS },
  { name: "a folder of .json, .yaml and other files", files: ["manifests/different-extensions"], output: "yaml", exit: 1, firstMsg: READINESS },
  {
    name: "enforcementAction deny fails the run",
    files: ["policies/default/template_k8srequiredprobes.yaml", "policies/enforcement_action/k8srequiredprobes/deny.yaml", "manifests/no-policies/with-violations.yaml"],
    output: "yaml",
    exit: 1,
    firstMsg: READINESS,
  },
  {
    name: "an unknown enforcementAction reports but does not fail",
    files: ["policies/default/template_k8srequiredprobes.yaml", "policies/enforcement_action/k8srequiredprobes/foo.yaml", "manifests/no-policies/with-violations.yaml"],
    output: "yaml",
    exit: 0,
    firstMsg: READINESS,
  },
  {
    name: "templates read the other inputs as inventory",
    files: ["policies/default", "manifests/referential-data"],
    output: "yaml",
    exit: 1,
    firstMsg: "ingress host conflicts with an existing ingress <example-host.example.com>",
  },
  {
    name: "parameters take the defaults of the template's schema",
    files: ["manifests/with-policies/with-violations-and-defaults.yaml"],
    output: "yaml",
    exit: 1,
    contains: ["aRequiredLabel", "aRequiredMessage"],
  },
  {
    name: "an expanded Pod whose Namespace is unknown to a namespaceSelector",
    files: ["manifests/expansion/expansion-w-ns-selector.yaml"],
    output: "yaml",
    exit: 1,
    contains: [
      "Implied by expand-deployments] unable to match constraints: error matching the requested object: nginx-deployment-pod :failed to run Match criteria: namespace selector for namespace-scoped object but missing Namespace",
    ],
  },
  {
    name: "an expanded Pod's violation is reported on its Deployment",
    files: ["manifests/expansion/expansion-w-ns-selector.yaml", "manifests/expansion/ns.yaml"],
    output: "yaml",
    exit: 1,
    contains: ["[Implied by expand-deployments] All pods must have an `owner` label that points to your company username"],
  },
];
