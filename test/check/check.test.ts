// policyc check: the fixture application against examples/ (golden), exit codes per --fail-on,
// helm output on stdin, bad input, the policy sources, workers, and the reporters' schemas.
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { main } from "../../src/cli/main.js";
import { schemaValidator } from "../../src/emit/schema-validators.js";
import { runCheck, type CheckOptions } from "../../src/testing/check/run.js";
import type { ObjectResult } from "../../src/testing/check/evaluate.js";
import { renderCheckReport } from "../../src/testing/check/report/index.js";
import { checkExitCode } from "../../src/testing/check/report/outcome.js";
import { policyReports } from "../../src/testing/check/report/policy-report.js";
import { projectRoot } from "../support/shared.js";
import { parseXml } from "./xml.js";
import { templateWithConstraint, templateYaml, twoEngineTemplateYaml } from "./policy-yaml.js";

const update = process.env.UPDATE_GOLDEN === "1" || process.argv.includes("--update");
const fixture = "test/check/fixture-app";
const golden = path.join(projectRoot, "test/check/fixture-app.golden.txt");
const manifests = "generated/manifests";

async function cli(argv: string[], cwd = projectRoot) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
const check = (o: Partial<CheckOptions> & { inputs: string[] }) =>
  runCheck({ cwd: projectRoot, policies: { kind: "folder", dir: manifests }, settings, workers: 1, ...o });

test("the fixture application against examples/: exactly the golden violations; exit code per --fail-on", async () => {
  // One run (compiling the project is the slow part); the CLI's exit code is checkExitCode's.
  const run = await runCheck({ cwd: projectRoot, inputs: [fixture], policies: { kind: "project" }, settings, workers: 1 });
  const runs = [renderCheckReport(run, "pretty", { color: false, verbose: true, failOn: "deny" })];
  for (const failOn of ["deny", "warn", "none"] as const) runs.push(`--fail-on ${failOn}: exit ${checkExitCode(run, failOn)}`);
  const actual = runs.join("\n") + "\n";
  if (update || !existsSync(golden)) writeFileSync(golden, actual);
  assert.fixture(actual, readFileSync(golden, "utf8"));
  // What the golden must say, independently of how it was recorded.
  assert.match(actual, /Pod tools\/netdebug {2}test\/check\/fixture-app\/pod\.yaml:1\n(  .*\n)* {2}deny {3}K8sHostNetworkingPorts\/no-host-network: pod <netdebug> uses the host network/);
  assert.match(actual, /Namespace sandbox .*\n {2}deny {3}K8sRequiredLabels\/namespace-owner/);
  assert.match(actual, /Service shop\/web .* not matched by any constraint/);
  // Pod-level checks reach the workloads through the project's ExpansionTemplates, reported on the workload.
  assert.match(actual, /Deployment shop\/web .*\n(  .*\n)* {2}deny {3}D8PrivilegedContainer\/[\w-]+: \[Implied by policyc-expand-workloads\] Privileged container is not allowed, container: setup/);
  assert.match(actual, /Deployment shop\/web .*\n(  .*\n)* {2}deny {3}K8sDisallowedTags\/no-latest-tag: \[Implied by policyc-expand-workloads\] container <web> uses a disallowed tag <latest>/);
  assert.match(actual, /CronJob sandbox\/report .*\n(  .*\n)* {2}deny {3}K8sDisallowedTags\/no-latest-tag: \[Implied by policyc-expand-cronjobs\]/);
  assert.match(actual, /--fail-on deny: exit 1\n--fail-on warn: exit 1\n--fail-on none: exit 0\n$/);
  // The in-memory build's warnings reach the run (the CLI prints them on stderr), never a report or the exit status.
  const warnings = run.diagnostics.filter((d) => d.severity === "warning");
  assert.ok(warnings.some((d) => d.code === "PC6012"), JSON.stringify(run.diagnostics.map((d) => d.code)));
  for (const format of ["json", "sarif", "junit", "policy-report"] as const) {
    const report = renderCheckReport(run, format, { color: false, verbose: false, failOn: "none" });
    for (const w of warnings) assert.not.ok(report.includes(w.message), `${format} report carries ${w.code}`);
  }
  assert.is(checkExitCode(run, "none"), 0);
});

test("--fail-on: warn-only violations exit 0 by default, 1 with --fail-on warn; dryrun never fails", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-"));
  try {
    // In tools (baseline, no hostNetwork): only the warn (probes) and dryrun (resources) constraints fire.
    writeFileSync(
      path.join(dir, "pod.yaml"),
      "apiVersion: v1\nkind: Pod\nmetadata: {name: quiet, namespace: tools}\nspec:\n  containers:\n  - {name: c, image: mycompany.registry.com/c:1}\n",
    );
    const ns = path.join(projectRoot, fixture, "namespaces.yaml");
    const base = ["check", path.join(dir, "pod.yaml"), "--policies", manifests, "--namespaces", ns, "--no-color"];
    const byDefault = await cli(base);
    assert.is(byDefault.code, 0, byDefault.stdout + byDefault.stderr);
    assert.match(byDefault.stdout, /warn {3}K8sRequiredProbes/);
    assert.match(byDefault.stdout, /dryrun K8sRequiredResources/);
    assert.is((await cli([...base, "--fail-on", "warn"])).code, 1);
    assert.is((await cli([...base, "--fail-on", "none"])).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const HELM = `---
# Source: shop/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {security.deckhouse.io/pod-policy: restricted, platform.example.com/owner: team}
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports: [{port: 80}]
---
# Source: shop/templates/pod.yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
  - name: web
    image: nginx:latest
`;

test("helm template output on stdin: every object located by its # Source: comment and its line in the stream", async () => {
  const run = await check({ inputs: ["-"], stdinText: HELM });
  const pod = run.results.find((r) => r.kind === "Pod")!;
  assert.equal(pod.origin, { file: "<stdin>", line: 18, col: 1, source: "shop/templates/pod.yaml", document: 3 });
  assert.ok(pod.violations.some((v) => v.constraint.kind === "K8sDisallowedTags"));
  const svc = run.results.find((r) => r.kind === "Service")!;
  assert.is(svc.origin.source, "shop/templates/service.yaml");
  assert.is(svc.namespace, "default", "an object without a namespace gets --namespace");
  const pretty = renderCheckReport(run, "pretty", { color: false, verbose: false, failOn: "deny" });
  assert.match(pretty, /Pod shop\/web {2}shop\/templates\/pod\.yaml \(<stdin>:18\)/);
  const sarif = JSON.parse(renderCheckReport(run, "sarif", { color: false, verbose: false, failOn: "deny" }));
  const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
  assert.ok(uris.length > 0 && uris.every((u: string) => u === "shop/templates/pod.yaml"), JSON.stringify(uris));
});

// What `kustomize build` prints: documents separated by `---` (none before the first), keys sorted,
// no Source comments; here with a `kind: List` and a broken document among them.
const KUSTOMIZE = `apiVersion: v1
kind: Namespace
metadata:
  labels:
    platform.example.com/owner: team
    security.deckhouse.io/pod-policy: restricted
  name: shop
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  data:
    mode: prod
  kind: ConfigMap
  metadata:
    name: settings
    namespace: shop
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: empty
    namespace: shop
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx:latest
        name: web
`;

test("kustomize build output on stdin: objects located by line and document index, List items at their own lines, a broken document reported and skipped", async () => {
  const run = await check({ inputs: ["-"], stdinText: KUSTOMIZE });
  const at = (kind: string, name: string) => run.results.find((r) => r.kind === kind && r.name === name)?.origin;
  assert.equal(at("Namespace", "shop"), { file: "<stdin>", line: 1, col: 1, document: 1 });
  // The List's items: each at its own line, in the List's document.
  assert.equal(at("ConfigMap", "settings"), { file: "<stdin>", line: 12, col: 3, document: 2 });
  assert.equal(at("ConfigMap", "empty"), { file: "<stdin>", line: 19, col: 3, document: 2 });
  assert.equal(at("Deployment", "web"), { file: "<stdin>", line: 29, col: 1, document: 4 });
  assert.is(at("Service", "web"), undefined);
  const broken = run.diagnostics.find((d) => d.span?.file === "<stdin>");
  assert.ok(broken && broken.severity === "error" && broken.span!.line >= 25 && broken.span!.line <= 28, JSON.stringify(broken));
  const deployment = run.results.find((r) => r.kind === "Deployment")!;
  assert.ok(deployment.violations.some((v) => v.constraint.kind === "K8sDisallowedTags"), JSON.stringify(deployment.violations));
  const pretty = renderCheckReport(run, "pretty", { color: false, verbose: false, failOn: "deny" });
  assert.match(pretty, /Deployment shop\/web {2}<stdin>:29 \(document 4\)/);
  // Files keep file:line (the document index is for streams).
  assert.not.match(pretty.replace(/<stdin>:\d+ \(document \d+\)/g, ""), /\(document/);
});

test("the CLI reads stdin for -", () => {
  const bin = path.join(projectRoot, "bin/policyc.js");
  const r = spawnSync(process.execPath, [bin, "check", "-", "--policies", manifests, "-o", "json"], { cwd: projectRoot, input: HELM, encoding: "utf8" });
  assert.is(r.status, 1, r.stderr);
  const results = JSON.parse(r.stdout) as any[];
  assert.ok(results.some((x) => x.constraint.kind === "K8sDisallowedTags" && x.violatingObject.metadata.name === "web"));
});

test("gator's CLI carries over: -f/--filename, a redirected stdin beside the paths, an enforcementAction Gatekeeper does not know never fails", () => {
  const bin = path.join(projectRoot, "bin/policyc.js");
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-gator-"));
  try {
    const rego = 'package k8sfoo\n\nviolation[{"msg": msg}] {\n  input.review.object.foo != "bar"\n  msg := "foo is not bar"\n}\n';
    writeFileSync(path.join(dir, "template.yaml"), TEMPLATE("K8sFoo", rego));
    const constraint = (action: string) =>
      `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sFoo\nmetadata: {name: foo}\nspec:\n  enforcementAction: ${action}\n  match:\n    kinds: [{apiGroups: [""], kinds: [FooIsBar]}]\n`;
    writeFileSync(path.join(dir, "deny.yaml"), constraint("deny"));
    writeFileSync(path.join(dir, "foo.yaml"), constraint("foo"));
    writeFileSync(path.join(dir, "object.yaml"), "apiVersion: v1\nkind: FooIsBar\nmetadata: {name: x}\nfoo: qux\n");
    const stdin = openSync(path.join(dir, "object.yaml"), "r");
    try {
      const redirected = spawnSync(process.execPath, [bin, "check", "--no-project", "-f", "template.yaml", "--filename", "deny.yaml", "-o", "yaml"], { cwd: dir, stdio: [stdin, "pipe", "pipe"], encoding: "utf8" });
      assert.is(redirected.status, 1, redirected.stderr);
      assert.is((YAML.parse(redirected.stdout) as any[])[0].result.msg, "foo is not bar");
    } finally {
      closeSync(stdin);
    }
    const unknown = spawnSync(process.execPath, [bin, "check", "--no-project", "template.yaml", "foo.yaml", "object.yaml", "-o", "json"], { cwd: dir, input: "", encoding: "utf8" });
    assert.is(unknown.status, 0, unknown.stderr);
    assert.is((JSON.parse(unknown.stdout) as any[])[0].enforcementAction, "foo");
    assert.match(unknown.stderr, /warning PC4118: constraint K8sFoo 'foo' has enforcementAction 'foo'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("gator test's flags carry over: --deny-only, --enable-k8s-native-validation[=false], -o in any case", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-gatorflags-"));
  try {
    const twoEngines = twoEngineTemplateYaml("NeedsData", { expression: "has(object.data)", message: "cel says no data" }, 'package needsdata\nviolation[{"msg": "rego says no data"}] { not input.review.object.data }');
    const constraint = (name: string, action: string) =>
      `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NeedsData\nmetadata: {name: ${name}}\nspec:\n  enforcementAction: ${action}\n  match:\n    kinds: [{apiGroups: [""], kinds: [ConfigMap]}]\n`;
    writeFileSync(path.join(dir, "policy.yaml"), `${twoEngines}---\n${constraint("hard", "deny")}---\n${constraint("soft", "warn")}---\n${constraint("quiet", "dryrun")}`);
    writeFileSync(path.join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: empty}\n");
    const json = async (...flags: string[]) => {
      const r = await cli(["check", "--no-project", "policy.yaml", "cm.yaml", ...flags], dir);
      return { code: r.code, results: (JSON.parse(r.stdout) as any[]).map((x) => `${x.constraint.metadata.name}: ${x.msg}`).sort(), stderr: r.stderr };
    };
    // All three actions are reported; --deny-only keeps the deny one, and the exit status stays 1.
    assert.equal((await json("-o", "json")).results, ["hard: cel says no data", "quiet: cel says no data", "soft: cel says no data"]);
    const denyOnly = await json("-o", "json", "--deny-only");
    assert.equal([denyOnly.code, denyOnly.results], [1, ["hard: cel says no data"]]);
    // gator's Go-style boolean: =false runs the Rego; the last spelling given wins.
    assert.equal((await json("-o", "JSON", "--deny-only", "--enable-k8s-native-validation=false")).results, ["hard: rego says no data"]);
    assert.equal((await json("-o", "Json", "--deny-only", "--disable-k8s-native-validation", "--enable-k8s-native-validation")).results, ["hard: cel says no data"]);
    assert.equal((await json("-o", "json", "--deny-only", "--enable-k8s-native-validation", "--enable-k8s-native-validation=f")).results, ["hard: rego says no data"]);
    // gator's YAML report, asked for as gator's tests do ("YaML").
    const yaml = await cli(["check", "--no-project", "policy.yaml", "cm.yaml", "-o", "YaML", "--deny-only"], dir);
    assert.equal((YAML.parse(yaml.stdout) as any[]).map((x) => x.result.msg), ["cel says no data"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a shell pipe beside the paths is read as gator reads stdin; a spawner's socket is read only for -", () => {
  const bin = path.join(projectRoot, "bin/policyc.js");
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-pipe-"));
  try {
    const rego = 'package k8sfoo\n\nviolation[{"msg": msg}] {\n  input.review.object.foo != "bar"\n  msg := sprintf("%v: foo is not bar", [input.review.object.metadata.name])\n}\n';
    writeFileSync(path.join(dir, "template.yaml"), TEMPLATE("K8sFoo", rego));
    writeFileSync(path.join(dir, "deny.yaml"), "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sFoo\nmetadata: {name: foo}\nspec:\n  match:\n    kinds: [{apiGroups: [\"\"], kinds: [FooIsBar]}]\n");
    writeFileSync(path.join(dir, "piped.yaml"), "apiVersion: v1\nkind: FooIsBar\nmetadata: {name: piped}\nfoo: qux\n");
    writeFileSync(path.join(dir, "named.yaml"), "apiVersion: v1\nkind: FooIsBar\nmetadata: {name: named}\nfoo: qux\n");
    const shell = (command: string) => spawnSync("sh", ["-c", command], { cwd: dir, encoding: "utf8", env: { ...process.env, BIN: bin, NODE: process.execPath } });
    const msgs = (out: string) => (JSON.parse(out) as any[]).map((r) => r.msg).sort();
    // gator's documented form: manifests piped in, policies named.
    const positional = shell('cat piped.yaml | "$NODE" "$BIN" check --no-project template.yaml deny.yaml -o json');
    assert.is(positional.status, 1, positional.stderr);
    assert.equal(msgs(positional.stdout), ["piped: foo is not bar"]);
    const flags = shell('cat piped.yaml | "$NODE" "$BIN" check --no-project -f template.yaml --filename=deny.yaml -f named.yaml -o json');
    assert.is(flags.status, 1, flags.stderr);
    assert.equal(msgs(flags.stdout), ["named: foo is not bar", "piped: foo is not bar"]);
    // The policy itself may come down the pipe: stdin's objects join the inputs like any file's.
    const policyPiped = shell('cat deny.yaml | "$NODE" "$BIN" check --no-project template.yaml named.yaml -o json');
    assert.is(policyPiped.status, 1, policyPiped.stderr);
    assert.equal(msgs(policyPiped.stdout), ["named: foo is not bar"]);
    // A program's child gets a socket for stdin: read only when named with -.
    const socket = spawnSync(process.execPath, [bin, "check", "--no-project", "template.yaml", "deny.yaml", "-o", "json"], { cwd: dir, input: readFileSync(path.join(dir, "piped.yaml"), "utf8"), encoding: "utf8" });
    assert.is(socket.status, 0, socket.stderr);
    const named = spawnSync(process.execPath, [bin, "check", "--no-project", "template.yaml", "deny.yaml", "-", "-o", "json"], { cwd: dir, input: readFileSync(path.join(dir, "piped.yaml"), "utf8"), encoding: "utf8" });
    assert.is(named.status, 1, named.stderr);
    assert.equal(msgs(named.stdout), ["piped: foo is not bar"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input: a broken document is a diagnostic at its line and the rest is checked; unmatched kinds are counted, not errors", async () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: 'x:latest'}]\n";
  const run = await check({ inputs: ["-"], stdinText: text, namespaceLabels: ["shop=security.deckhouse.io/pod-policy=restricted"] });
  const broken = run.diagnostics.find((d) => d.code === "PC4002");
  assert.ok(broken, JSON.stringify(run.diagnostics));
  assert.equal([broken!.span?.file, broken!.span?.line], ["<stdin>", 5]);
  assert.is(run.summary.objects, 2);
  assert.is(run.summary.notMatched, 1);
  assert.is(run.results.find((r) => r.kind === "ConfigMap")!.status, "not-matched");
  assert.ok(run.results.find((r) => r.kind === "Pod")!.violations.length > 0);
});

test("as gator: a named file must be .yaml, .yml or .json (folders skip other files); a pipe is read whatever its name", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-ext-"));
  try {
    const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: 'x:1'}]\n";
    writeFileSync(path.join(dir, "notes.txt"), pod);
    writeFileSync(path.join(dir, "pod.yml"), pod);
    const named = await check({ inputs: [path.join(dir, "notes.txt")] });
    const d = named.diagnostics.find((x) => x.code === "PC4102");
    assert.ok(d && /notes\.txt' is not a manifest file: only \.yaml, \.yml and \.json/.test(d.message), JSON.stringify(named.diagnostics));
    assert.is(named.summary.objects, 0);
    const folder = await check({ inputs: [dir] });
    assert.equal([folder.summary.objects, folder.diagnostics.filter((x) => x.code === "PC4102").length], [1, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an object whose namespace labels a namespaceSelector needs, supplied by no input, is an error naming the namespace and the ways to supply them", async () => {
  const text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: payments}\nspec:\n  containers: [{name: c, image: 'x:1'}]\n";
  const run = await check({ inputs: ["-"], stdinText: text });
  const pod = run.results[0]!;
  assert.is(pod.status, "error");
  const d = pod.diagnostics.find((x) => x.code === "PC4108")!;
  assert.ok(d, JSON.stringify(pod.diagnostics));
  assert.match(d.message, /namespace 'payments'/);
  assert.match(d.notes!.join("\n"), /--namespaces FILE/);
  assert.match(d.notes!.join("\n"), /--namespace-labels payments=KEY=VALUE/);
  assert.equal(d.span, { file: "<stdin>", line: 1, col: 1 });
  // As the webhook (and gator) answer: an autoreject in Gatekeeper's words, with the constraint's action.
  const auto = pod.violations.filter((v) => v.msg.startsWith("unable to match constraints: "));
  assert.ok(auto.length > 0, JSON.stringify(pod.violations));
  assert.is(auto[0]!.msg, "unable to match constraints: error matching the requested object: p :failed to run Match criteria: namespace selector for namespace-scoped object but missing Namespace");
  // Supplied by --namespace-labels, the same object is judged normally.
  const ok = await check({ inputs: ["-"], stdinText: text, namespaceLabels: ["payments=security.deckhouse.io/pod-policy=baseline"] });
  assert.is(ok.results[0]!.diagnostics.length, 0);
  assert.is(ok.results[0]!.status, "fail");
});

const TEMPLATE = templateWithConstraint;

test("gator style: policies among the inputs (--no-project); a template that does not compile is a diagnostic and the others still run", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-"));
  try {
    mkdirSync(path.join(dir, "policies"));
    mkdirSync(path.join(dir, "app"));
    writeFileSync(path.join(dir, "policies", "good.yaml"), TEMPLATE("NoData", 'package nodata\nviolation[{"msg": "configmaps need data"}] {\n  not input.review.object.data\n}'));
    writeFileSync(path.join(dir, "policies", "broken.yaml"), TEMPLATE("Broken", "package broken\nviolation[{\"msg\": m}] {\n  m := undefined_function(1)\n}"));
    writeFileSync(path.join(dir, "app", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: empty}\n");
    const r = await cli(["check", "policies", "app", "--no-project", "--no-color"], dir);
    assert.is(r.code, 1);
    assert.match(r.stdout, /ConfigMap default\/empty {2}app\/cm\.yaml:1\n {2}deny {3}NoData\/nodata-all: configmaps need data/);
    assert.match(r.stderr, /policies\/broken\.yaml:1:1: error PC4105: the Rego of ConstraintTemplate 'broken' does not compile/);
    assert.match(r.stdout, /1 templates, 1 constraints/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("policy objects among the inputs are reviewed as gator test and the webhook review them: by a constraint without match, by group, by kind", async () => {
  // Gatekeeper's webhook validates its own resources and then reviews them like any object, and gator
  // test reviews every input object: a ConstraintTemplate, a Constraint or a mutator can violate.
  const rego = 'package names\nviolation[{"msg": msg}] {\n  msg := sprintf("%v/%v %v", [input.review.kind.group, input.review.kind.kind, input.review.object.metadata.name])\n}';
  const constraint = (match: string) => `apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: Names\nmetadata: {name: names}\nspec: ${match}\n`;
  const assign =
    'apiVersion: mutations.gatekeeper.sh/v1\nkind: Assign\nmetadata: {name: pull-always}\nspec:\n  applyTo: [{groups: [""], kinds: [Pod], versions: [v1]}]\n  location: "spec.containers[name:*].imagePullPolicy"\n  parameters: {assign: {value: Always}}\n';
  const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: app}\n";
  const violations = async (match: string) => {
    const stdinText = [templateYaml("Names", rego), constraint(match), assign, cm].join("---\n");
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText, policies: { kind: "inputs" }, settings: { operation: "CREATE", defaultNamespace: "default" }, workers: 1 });
    assert.equal(run.diagnostics.filter((d) => d.severity === "error"), []);
    return run.results.flatMap((r) => r.violations.map((v) => v.msg));
  };
  // No match: every input, the policy objects included.
  assert.equal(await violations("{}"), ["templates.gatekeeper.sh/ConstraintTemplate names", "constraints.gatekeeper.sh/Names names", "mutations.gatekeeper.sh/Assign pull-always", "/ConfigMap cm"]);
  // A group: only the mutator.
  assert.equal(await violations('{match: {kinds: [{apiGroups: ["mutations.gatekeeper.sh"], kinds: ["*"]}]}}'), ["mutations.gatekeeper.sh/Assign pull-always"]);
  // A kind: only the template (cluster-scoped, so a namespaces list does not exclude it).
  assert.equal(await violations('{match: {kinds: [{apiGroups: ["templates.gatekeeper.sh"], kinds: ["ConstraintTemplate"]}], excludedNamespaces: ["*"]}}'), ["templates.gatekeeper.sh/ConstraintTemplate names"]);
});

test("Config exempt namespaces (processes * or webhook) and --operation/--username reach the review", async () => {
  const config = `apiVersion: config.gatekeeper.sh/v1alpha1
kind: Config
metadata: {name: config, namespace: gatekeeper-system}
spec:
  match:
    - excludedNamespaces: ["legacy-*"]
      processes: ["webhook"]
`;
  const who = TEMPLATE("WhoIsIt", 'package whoisit\nviolation[{"msg": msg}] {\n  msg := sprintf("%v by %v", [input.review.operation, input.review.userInfo.username])\n}');
  const objs = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: legacy-app}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: app}\n";
  const run = await runCheck({
    cwd: projectRoot,
    inputs: ["-"],
    stdinText: `${config}---\n${who}---\n${objs}`,
    policies: { kind: "inputs" },
    settings: { operation: "UPDATE", defaultNamespace: "default", userInfo: { username: "alice" } },
    workers: 1,
  });
  // The Config, template and constraint among the inputs are reviewed too (and not matched).
  assert.equal(run.results.map((r) => [r.kind, r.status]).slice(0, 3), [["Config", "not-matched"], ["ConstraintTemplate", "not-matched"], ["WhoIsIt", "not-matched"]]);
  const [a, b] = run.results.filter((r) => r.kind === "ConfigMap");
  assert.is(a!.status, "exempt");
  assert.equal(b!.violations.map((v) => v.msg), ["UPDATE by alice"]);
});

test("Config exemptions: prefix, suffix and exact globs (Gatekeeper's e2e shapes); a Config not named config is ignored with PC4120", async () => {
  const who = TEMPLATE("NeedsLabel", 'package needslabel\nviolation[{"msg": msg}] {\n  not input.review.object.metadata.labels.gatekeeper\n  msg := "needs the gatekeeper label"\n}');
  const config = (name: string, pattern: string) =>
    `apiVersion: config.gatekeeper.sh/v1alpha1\nkind: Config\nmetadata: {name: ${name}, namespace: gatekeeper-system}\nspec:\n  match:\n    - excludedNamespaces: ["${pattern}"]\n      processes: ["*"]\n`;
  const cm = (ns: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: should, namespace: ${ns}}\n`;
  const statuses = async (cfg: string, ns: string) => {
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: `${cfg}---\n${who}---\n${cm(ns)}`, policies: { kind: "inputs" }, settings: { defaultNamespace: "default" }, workers: 1 });
    return { status: run.results.find((r) => r.kind === "ConfigMap")!.status, codes: run.diagnostics.map((d) => d.code) };
  };
  assert.equal(await statuses(config("config", "excluded-prefix-*"), "excluded-prefix-team"), { status: "exempt", codes: [] });
  assert.equal(await statuses(config("config", "*-suffix-namespace"), "team-suffix-namespace"), { status: "exempt", codes: [] });
  assert.equal(await statuses(config("config", "excluded-exact"), "excluded-exact"), { status: "exempt", codes: [] });
  // A glob is the whole name: neither a longer name nor another prefix is exempt.
  assert.equal((await statuses(config("config", "excluded-exact"), "excluded-exact-2")).status, "fail");
  assert.equal((await statuses(config("config", "excluded-prefix-*"), "other-prefix-team")).status, "fail");
  // Gatekeeper reconciles only the Config named config.
  assert.equal(await statuses(config("other", "excluded-exact"), "excluded-exact"), { status: "fail", codes: ["PC4120"] });
});

test("Gatekeeper's namespace-label webhook: only a --exempt-namespace may carry admission.gatekeeper.sh/ignore (names, prefix*, *suffix); others are refused on CREATE and UPDATE", async () => {
  const who = TEMPLATE("NeedsLabel", 'package needslabel\nviolation[{"msg": msg}] {\n  not input.review.object.metadata.labels.gatekeeper\n  msg := "needs the gatekeeper label"\n}');
  const ns = (name: string, ignore = true) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {${ignore ? '"admission.gatekeeper.sh/ignore": "yes", ' : ""}team: a}\n`;
  const outcome = async (text: string, settings: Partial<CheckOptions["settings"]> = {}) => {
    const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: `${who}---\n${text}`, policies: { kind: "inputs" }, settings: { operation: "CREATE", defaultNamespace: "default", ...settings }, workers: 1 });
    const r = run.results.find((x) => x.kind === "Namespace")!;
    return { status: r.status, messages: r.diagnostics.map((d) => d.message.replace(/^.*: (?=Only)/, "")) };
  };
  const refused = { status: "error", messages: ["Only exempt namespace can have the admission.gatekeeper.sh/ignore label"] };
  assert.equal(await outcome(ns("bad-ns")), refused);
  assert.equal(await outcome(ns("bad-ns"), { operation: "UPDATE" }), refused);
  // The Helm chart's exemption of Gatekeeper's own namespace, and the flags' three forms.
  assert.equal((await outcome(ns("gatekeeper-system"))).status, "exempt");
  assert.equal((await outcome(ns("tenant-sandbox"), { labelExemptNamespaces: ["tenant-sandbox"] })).status, "exempt");
  assert.equal((await outcome(ns("tenant-sandbox"), { labelExemptNamespaces: ["tenant-*"] })).status, "exempt");
  assert.equal((await outcome(ns("team-sandbox"), { labelExemptNamespaces: ["*-sandbox"] })).status, "exempt");
  assert.equal(await outcome(ns("team-sandbox"), { labelExemptNamespaces: ["tenant-*"] }), refused);
  // Deleting such a Namespace, or one without the label, is not the label webhook's business.
  assert.equal((await outcome(ns("bad-ns"), { operation: "DELETE" })).status, "exempt");
  assert.equal((await outcome(ns("plain", false))).status, "not-matched");
});

test("a template with both engines runs on CEL (Gatekeeper's driver order), on Rego with --disable-k8s-native-validation; namespaceObject is the Namespace", async () => {
  const both = `${twoEngineTemplateYaml(
    "TwoEngines",
    { expression: "has(object.data)", messageExpression: "'cel: ' + object.metadata.name + ' in ' + namespaceObject.metadata.labels.team" },
    'package twoengines\nviolation[{"msg": "rego"}] { not input.review.object.data }',
  )}---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: TwoEngines
metadata: {name: all}
spec:
  match: {kinds: [{apiGroups: [""], kinds: ["ConfigMap"]}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: payments}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: empty, namespace: shop}
`;
  const run = (o: Partial<CheckOptions>) => runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: both, policies: { kind: "inputs" }, settings, workers: 1, ...o });
  const cel = await run({});
  assert.equal(cel.diagnostics.filter((d) => d.severity === "error"), []);
  assert.equal(cel.results.filter((r) => r.kind === "ConfigMap").map((r) => r.violations.map((v) => v.msg)), [["cel: empty in payments"]]);
  const rego = await run({ k8sNativeValidation: false });
  assert.equal(rego.results.filter((r) => r.kind === "ConfigMap").map((r) => r.violations.map((v) => v.msg)), [["rego"]]);
});

test("worker threads give the same results, in input order, as the main thread", async () => {
  const docs: string[] = [];
  for (let i = 0; i < 300; i++)
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  containers: [{name: c, image: 'img:${i % 3 === 0 ? "latest" : "1"}'}]\n`);
  const text = docs.join("---\n");
  const opts = { inputs: ["-"], stdinText: text, namespaceLabels: ["shop=security.deckhouse.io/pod-policy=restricted"] };
  const one = await check({ ...opts, workers: 1 });
  const two = await check({ ...opts, workers: 2 });
  assert.is(one.results.length, 300);
  assert.equal(
    two.results.map((r) => [r.name, r.origin.line, r.violations.map((v) => v.msg)]),
    one.results.map((r) => [r.name, r.origin.line, r.violations.map((v) => v.msg)]),
  );
  assert.equal(two.summary, one.summary);
});

test("a large input: the policies compile on a thread of their own; a second run with the same plan reuses what was loaded", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-large-"));
  try {
    const docs: string[] = [];
    for (let i = 0; i < 700; i++)
      docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: shop}\nspec:\n  containers: [{name: c, image: 'img:${i % 3 === 0 ? "latest" : "1"}'}]\n`);
    const file = path.join(dir, "pods.yaml");
    writeFileSync(file, docs.join("---\n"));
    assert.ok(readFileSync(file).length >= 64 * 1024, "the input is large enough to compile off the main thread");
    const opts = { inputs: [file], namespaceLabels: ["shop=security.deckhouse.io/pod-policy=restricted"] };
    // Small (stdin): compiled in place.
    const inPlace = await check({ ...opts, inputs: ["-"], stdinText: readFileSync(file, "utf8") });
    const shape = (r: Awaited<ReturnType<typeof check>>) => r.results.map((x) => [x.name, x.origin.line, x.status, x.violations.map((v) => `${v.constraint.name}: ${v.msg}`)]);
    for (const workers of [1, 2, 2, 1]) {
      const r = await check({ ...opts, workers });
      assert.is(r.results.length, 700);
      assert.ok(r.summary.failed > 0);
      assert.equal(shape(r), shape(inPlace), `workers ${workers}`);
      assert.equal(r.summary, inPlace.summary);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a large kubectl List, YAML or JSON, file or stdin, is checked item by item, with the results of the same objects as documents", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-list-"));
  try {
    const pods = Array.from({ length: 700 }, (_, i) => ({ name: `p${i}`, image: `img:${i % 3 === 0 ? "latest" : "1"}` }));
    const list = ["apiVersion: v1", "items:"];
    for (const p of pods) list.push(`- apiVersion: v1`, `  kind: Pod`, `  metadata:`, `    name: ${p.name}`, `    namespace: shop`, `  spec:`, `    containers:`, `    - name: c`, `      image: '${p.image}'`);
    list.push("kind: List", "metadata:", '  resourceVersion: ""', "");
    const objects = pods.map((p) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: p.name, namespace: "shop" }, spec: { containers: [{ name: "c", image: p.image }] } }));
    // As `kubectl get -o json` prints it (Go's four-space indent, keys sorted).
    const json = `${JSON.stringify({ apiVersion: "v1", items: objects, kind: "List", metadata: { resourceVersion: "" } }, null, 4)}\n`;
    const file = path.join(dir, "cluster.yaml");
    const jsonFile = path.join(dir, "cluster.json");
    writeFileSync(file, list.join("\n"));
    writeFileSync(jsonFile, json);
    assert.ok(readFileSync(file).length >= 64 * 1024);
    const opts = { namespaceLabels: ["shop=security.deckhouse.io/pod-policy=restricted"] };
    // The same objects as documents.
    const docs = pods.map((p) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${p.name}\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: '${p.image}'\n`);
    const asDocs = await check({ ...opts, inputs: ["-"], stdinText: docs.join("---\n"), workers: 1 });
    assert.ok(asDocs.summary.failed > 0);
    const outcome = (run: { results: ObjectResult[] }) => run.results.map((x) => [x.name, x.status, x.violations.map((v) => v.msg)]);
    const forms = [
      { inputs: [file], workers: 2, at: [["p0", 3, 3], ["p1", 12, 3]] },
      { inputs: [jsonFile], workers: 2, at: [["p0", 4, 9], ["p1", 20, 9]] },
      { inputs: ["-"], stdinText: list.join("\n"), workers: 1, at: [["p0", 3, 3], ["p1", 12, 3]] },
      { inputs: ["-"], stdinText: json, workers: 1, at: [["p0", 4, 9], ["p1", 20, 9]] },
    ];
    for (const { at, ...form } of forms) {
      const r = await check({ ...opts, ...form });
      assert.is(r.results.length, 700);
      assert.equal(r.results.slice(0, 2).map((x) => [x.name, x.origin.line, x.origin.col]), at, JSON.stringify(form.inputs));
      assert.equal(outcome(r), outcome(asDocs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a plan's key: equal for equal plans, different when anything evaluation reads differs", async () => {
  const { planKey } = await import("../../src/testing/check/pool.js");
  const base = { compiled: { modules: [], templates: [], failures: [] }, constraints: [], mutators: [], expansionTemplates: [], exempt: [], namespaces: [], moduleData: [new Uint8Array([1, 2])], settings };
  const same = { ...base, moduleData: [new Uint8Array([1, 2])] };
  assert.is(planKey(base as never), planKey(same as never));
  assert.is.not(planKey(base as never), planKey({ ...base, moduleData: [new Uint8Array([1, 3])] } as never));
  assert.is.not(planKey(base as never), planKey({ ...base, settings: { ...settings, operation: "UPDATE" } } as never));
  assert.is.not(planKey(base as never), planKey({ ...base, namespaces: [{ kind: "Namespace", metadata: { name: "a" } }] } as never));
});

test("SARIF and gator's json and yaml are written in pieces, byte for byte as the whole documents", async () => {
  const { sarifLog } = await import("../../src/testing/check/report/sarif.js");
  const { gatorResults, gatorJsonItem, gatorYamlItem } = await import("../../src/testing/check/report/gator.js");
  const { openCheckReport } = await import("../../src/testing/check/report/index.js");
  const { toYamlSequence } = await import("../../src/emit/yaml.js");
  const run = await check({ inputs: [fixture] });
  assert.ok(run.results.some((r) => r.violations.length > 0));
  const passing = { ...run, results: run.results.map((r) => ({ ...r, violations: [] })) };
  for (const r of [run, passing]) {
    const whole = {
      sarif: `${JSON.stringify(sarifLog(r), null, 2)}\n`,
      json: `${JSON.stringify(gatorResults(r).map(gatorJsonItem), null, 4)}\n`,
      yaml: toYamlSequence(gatorResults(r).map(gatorYamlItem)),
    };
    for (const format of ["sarif", "json", "yaml"] as const) {
      // Through the spool file (budget 0) and in memory.
      for (const budget of [0, undefined]) {
        const pieces: string[] = [];
        const w = openCheckReport(format, { color: false, verbose: false, failOn: "deny" }, (s) => void pieces.push(s), budget);
        w.begin(r.constraintObjects);
        for (const x of r.results) w.result(x);
        w.end(r);
        // SARIF: a piece per result; gator's: results gathered into writes of about 64 KB (the report-stream test counts them).
        assert.ok(r === passing || format !== "sarif" || pieces.length > 2, "one piece per result");
        assert.is(pieces.join(""), whole[format], `${format}, budget ${budget}`);
      }
    }
  }
});

test("reporters: SARIF 2.1.0, PolicyReport and JUnit validate against their schemas; json is gator test's result list", async () => {
  const run = await check({ inputs: [fixture] });
  const o = { color: false, verbose: false, failOn: "deny" as const };
  const sarif = JSON.parse(renderCheckReport(run, "sarif", o));
  const vs = schemaValidator("reports/sarif-2.1.0.json");
  assert.ok(vs(sarif), JSON.stringify(vs.errors));
  const loc = sarif.runs[0].results.find((r: any) => r.ruleId === "K8sHostNetworkingPorts/no-host-network").locations[0].physicalLocation;
  assert.equal(loc, { artifactLocation: { uri: "test/check/fixture-app/pod.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 1, startColumn: 1 } });
  // A broken log fails the schema (the test can fail).
  assert.not.ok(vs({ version: "2.1.0", runs: [{ tool: { driver: {} } }] }));

  const vp = schemaValidator("reports/policyreport-v1alpha2.json");
  const reports = YAML.parseAllDocuments(renderCheckReport(run, "policy-report", o)).map((d) => d.toJS());
  assert.equal(reports, policyReports(run));
  for (const r of reports) assert.ok(vp(r), JSON.stringify(vp.errors));
  const tools = reports.find((r: any) => r.metadata.namespace === "tools");
  assert.ok(tools.results.some((x: any) => x.result === "fail" && x.policy === "K8sHostNetworkingPorts"));
  assert.ok(reports.some((r: any) => r.kind === "ClusterPolicyReport" && r.metadata.namespace === undefined));
  assert.not.ok(vp({ ...tools, results: [{ policy: "x", result: "maybe" }] }));

  const vj = schemaValidator("reports/junit.json");
  const xml = parseXml(renderCheckReport(run, "junit", o));
  assert.ok(vj(xml), JSON.stringify(vj.errors));
  const cases = (xml.testsuites as any)[0].testsuite.flatMap((s: any) => s.testcase);
  assert.is(cases.length, run.results.length);
  assert.ok(cases.some((c: any) => c["@name"] === "Pod tools/netdebug" && c.failure?.[0]["@type"] === "deny"));
  assert.throws(() => parseXml("<a><b></a>"));

  const gator = JSON.parse(renderCheckReport(run, "json", o)) as any[];
  assert.is(gator.length, run.results.reduce((n, r) => n + r.violations.length, 0));
  for (const g of gator) {
    assert.equal(Object.keys(g).filter((k) => k !== "scopedActions"), ["target", "msg", "metadata", "constraint", "enforcementAction", "violatingObject", "trace"]);
    assert.is(g.target, "admission.k8s.gatekeeper.sh");
    assert.is(g.constraint.apiVersion, "constraints.gatekeeper.sh/v1beta1");
    assert.equal(Object.keys(g.violatingObject), Object.keys(g.violatingObject).sort(), "maps in Go's key order");
  }
  const order = gator.map((g) => `${g.enforcementAction}\u0000${g.msg}`);
  assert.equal(order, [...order].sort(), "sorted as gator sorts: by action, then message");
  // gator's YAML nests the framework's Result under `result:` with lower-cased field names.
  const yaml = YAML.parse(renderCheckReport(run, "yaml", o)) as any[];
  assert.equal(
    yaml.map((y) => [y.result.msg, y.result.enforcementaction, y.result.constraint.object, y.violatingObject, Object.keys(y)]),
    gator.map((g) => [g.msg, g.enforcementAction, g.constraint, g.violatingObject, ["result", "violatingObject", "trace"]]),
  );
});

test.run();
