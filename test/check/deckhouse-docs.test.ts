// The Deckhouse documentation's scenarios through `policyc check`: a policy project written with the
// DSL (test/check/deckhouse-docs: the FAQ's foo and bar, the recommended `common` OperationPolicy, a
// SecurityPolicyException, a Baseline default) against an application team's manifests. The report
// is golden (beside its input); each scenario is also asserted on its own, so the golden cannot
// drift into accepting a wrong decision.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck, type CheckRun } from "../../src/testing/check/run.js";
import { renderCheckReport } from "../../src/testing/check/report/index.js";
import { checkExitCode } from "../../src/testing/check/report/outcome.js";
import { projectRoot } from "../support/shared.js";

const update = process.env.UPDATE_GOLDEN === "1" || process.argv.includes("--update");
const project = path.join(projectRoot, "test/check/deckhouse-docs");
const golden = path.join(projectRoot, "test/check/deckhouse-docs.golden.txt");
const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
const check = (inputs: string[]) => runCheck({ cwd: project, inputs, policies: { kind: "project" }, settings, workers: 1 });

/** `action Kind/constraint: message` of one object's violations. */
function violations(run: CheckRun, kind: string, namespace: string, name: string): string[] {
  const r = run.results.find((x) => x.kind === kind && x.namespace === namespace && x.name === name);
  assert.ok(r, `no result for ${kind} ${namespace}/${name}`);
  return r!.violations.map((v) => `${v.action} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`);
}

let all: CheckRun;
let staging: CheckRun;
test.before(async () => {
  all = await check(["manifests"]);
  staging = await check(["manifests/namespaces.yaml", "manifests/staging.yaml"]);
});

test("the report of every manifest is the golden one; exit codes per --fail-on", () => {
  assert.equal(all.diagnostics, []);
  const parts: string[] = [];
  for (const [name, run] of [["all manifests", all], ["staging (pod-policy-action=warn)", staging]] as const) {
    parts.push(`== ${name}`, renderCheckReport(run, "pretty", { color: false, verbose: false, failOn: "deny" }));
    for (const failOn of ["deny", "warn", "none"] as const) parts.push(`--fail-on ${failOn}: exit ${checkExitCode(run, failOn)}`);
  }
  const actual = parts.join("\n") + "\n";
  if (update || !existsSync(golden)) writeFileSync(golden, actual);
  assert.fixture(actual, readFileSync(golden, "utf8"));
});

const ro = (c: string) => `deny D8ReadOnlyRootFilesystem/foo: only read-only root filesystem container is allowed, container: ${c} | readOnlyRootFilesystem: false | policy allows: true`;
const drop = (policy: string, dropped: string, required: string) =>
  `deny D8AllowedCapabilities/${policy}: container is not dropping all required capabilities, container: app | capabilities.drop: ${dropped} | policy allows: ["${required}"]`;

test("foo + bar on name=test: a container must drop MKNOD and NET_BIND_SERVICE and have a read-only root filesystem", () => {
  assert.equal(violations(all, "Pod", "test", "compliant"), [], "the FAQ's container passes both policies");
  assert.equal(violations(all, "Pod", "test", "keeps-mknod"), [drop("foo", '["NET_BIND_SERVICE"]', "MKNOD")]);
  assert.equal(violations(all, "Pod", "test", "keeps-net-bind-service"), [drop("bar", '["MKNOD"]', "NET_BIND_SERVICE")]);
  assert.equal(violations(all, "Pod", "test", "writable-root"), [ro("app")]);
});

test("a SecurityPolicyException lifts exactly what it names, for the pods and containers bound to it in its namespace", () => {
  assert.equal(violations(all, "Pod", "test", "cache-writer"), [], "bound by the pod label: the writable root is allowed");
  assert.equal(
    violations(all, "Pod", "test", "cache-writer-keeps-capabilities"),
    [drop("bar", "[]", "NET_BIND_SERVICE"), drop("foo", "[]", "MKNOD")],
    "the exception names no capabilities: they are still required",
  );
  assert.equal(violations(all, "Pod", "test", "sidecar-exception"), [ro("app")], "bound to the cache container only");
  assert.equal(violations(all, "Pod", "test-2", "cache-writer"), [ro("app")], "the exception lives in namespace test");
});

test("a restricted namespace denies a container running as root", () => {
  assert.equal(violations(all, "Pod", "prod", "root"), [
    'deny D8AllowedUsers/d8-pod-security-restricted-deny-default: Container app is attempting to run as disallowed user. | runAsUser: 0 | policy allows: {"rule": "MustRunAsNonRoot"}',
  ]);
  assert.equal(violations(all, "Pod", "prod", "non-root"), []);
});

test("pod-policy-action=warn yields a warning, not a denial: exit 0 unless --fail-on warn", () => {
  const expected = ['warn D8AllowedUsers/d8-pod-security-restricted-warn: Container app is attempting to run as disallowed user. | runAsUser: 0 | policy allows: {"rule": "MustRunAsNonRoot"}'];
  assert.equal(violations(all, "Pod", "staging", "root"), expected);
  assert.equal(violations(staging, "Pod", "staging", "root"), expected);
  assert.equal(staging.summary.violations, { deny: 0, warn: 1, dryrun: 0 });
  assert.is(checkExitCode(staging, "deny"), 0);
  assert.is(checkExitCode(staging, "warn"), 1);
  assert.is(checkExitCode(all, "deny"), 1);
});

test("the common OperationPolicy denies a :latest image and a Deployment with revisionHistoryLimit: 10", () => {
  assert.equal(violations(all, "Pod", "apps", "latest"), [
    'deny D8DisallowedTags/common: container <app> uses a disallowed tag <registry.deckhouse.io/app:latest>; disallowed tags are ["latest"]',
  ]);
  assert.equal(violations(all, "Pod", "apps", "pinned"), []);
  assert.equal(violations(all, "Deployment", "apps", "web"), ["deny D8RevisionHistoryLimit/common: Deployment <web> has .spec.revisionHistoryLimit: 10, required: 3"]);
  assert.equal(violations(all, "Deployment", "apps", "api"), []);
});

test("system namespaces: exempt, unless they opted in with enable-security-policy-check (then the -d8 PSS sets apply)", () => {
  assert.equal(violations(all, "Pod", "d8-system", "agent"), [
    "warn D8PrivilegedContainer/d8-pod-security-baseline-warn-d8: Privileged container is not allowed, container: agent | privileged: true | policy allows: false",
  ]);
  const monitoring = all.results.find((r) => r.namespace === "d8-monitoring" && r.name === "agent");
  assert.is(monitoring?.status, "exempt");
});

test.run();
