/**
 * `policyc check [PATH...|-]`: would the cluster admit these manifests? Evaluates them against the
 * project's policies (or `--policies DIR`, or the policy objects among the inputs) with Gatekeeper's
 * admission semantics, prints a report and exits 1 when a violation fails the run.
 */
import { findConfig } from "../../frontend/config.js";
import { diag } from "../../diagnostics/index.js";
import { D } from "../../ir/diagnostics.js";
import { runCheck, type PolicySourceChoice } from "../../testing/check/run.js";
import { openCheckReport, reportFields, REPORT_FORMATS, type ReportFormat } from "../../testing/check/report/index.js";
import { checkExitCode, type FailOn } from "../../testing/check/report/outcome.js";
import { renderMutated } from "../../testing/gatekeeper/mutation/show.js";
import type { Diagnostic } from "../../diagnostics/index.js";
import type { ObjectResult } from "../../testing/check/evaluate.js";
import type { AdmissionOptions } from "../../testing/gatekeeper/review.js";
import { gatorBooleanFlags, parseCommandArgs, usageError, wantsColor } from "../args.js";
import type { Command } from "../command.js";
import { CLOSED_PIPE_EXIT, isClosedPipe } from "../output.js";
import { printDiagnostics } from "../report.js";
import { stdinBesidePaths } from "../stdin.js";

const usage = `policyc check [PATH...|-] [options]

Checks Kubernetes manifests the way the cluster's Gatekeeper admission webhook would: files,
folders (recursively: .yaml, .yml, .json), or stdin (-): multi-document YAML, JSON, kind: List,
helm template output (locations from its "# Source:" comments) and kustomize build output.
A named file must be .yaml, .yml or .json. Stdin is read for -, when no path is given and stdin is
not a terminal, and beside the paths when stdin is a redirected file or a shell pipe (as gator
test does).
  -f, --filename PATH         a path, as gator test takes it (repeatable; same as a positional PATH)

Policies (by default the project's, compiled in memory from policyc.config.ts):
  --policies DIR              Gatekeeper YAML instead (ConstraintTemplates, Constraints, mutators,
                              ExpansionTemplates, Config): a GitOps repo's generated/, a cluster export
  --no-project                do not compile the project; policy objects among the inputs are used
                              (as gator test -f policies/ -f app/ does)
  --config FILE               use this config file instead of searching for policyc.config.ts
  --templates DIR             ConstraintTemplates exported from the cluster (kubectl get
                              constrainttemplates -o yaml): used instead of the Deckhouse pack's
                              for the kinds they define
Cluster:
  --namespace NAME            namespace of objects that have none (default: default)
  --namespaces FILE           Namespace objects with their labels (e.g. kubectl get ns -o yaml)
  --namespace-labels NS=K=V,...  labels of namespace NS (repeatable)
  --operation OP              CREATE (default), UPDATE, DELETE or CONNECT
  --exempt-namespace NS       a namespace Gatekeeper's controller exempts (repeatable; prefix* and
                              *suffix for its prefix and suffix flags; default gatekeeper-system):
                              only these may carry the admission.gatekeeper.sh/ignore label
  --disable-k8s-native-validation, --enable-k8s-native-validation=false
                              as a Gatekeeper started with --enable-k8s-native-validation=false:
                              templates run their Rego even when they carry K8sNativeValidation
                              (CEL) code, which Gatekeeper otherwise prefers
  --old PATH                  the stored objects an UPDATE replaces (matched by kind, namespace, name)
  --username NAME             userInfo.username of the request
  --groups G1,G2              userInfo.groups of the request
Report:
  -o, --output FORMAT         pretty (default), json, yaml (gator test's result list), gator (the
                              lines gator test prints without -o), junit, sarif, policy-report
                              (wgpolicyk8s.io/v1alpha2 PolicyReports)
  --fail-on LEVEL             deny (default): exit 1 on a deny violation; warn: also on warn; none: never
  --deny-only                 report only the violations the webhook denies (gator test's flag;
                              the exit status is unchanged)
  --show-mutated              print the objects as mutation leaves them (multi-document YAML, each
                              with its location and the mutators that changed it) instead of a report
  -v, --verbose               pretty: list every object, also those that pass
  --color, --no-color         pretty: force colours on or off (default: on a terminal)
  --workers N                 evaluation threads (default: every core; 1: the main thread only)
  -h, --help                  show this help

Exit status: 0 admitted, 1 a violation that fails the run (see --fail-on) or bad input, 2 internal error.`;

const OPERATIONS = ["CREATE", "UPDATE", "DELETE", "CONNECT"] as const;
const FAIL_ON: readonly FailOn[] = ["deny", "warn", "none"];

export const command: Command = {
  name: "check",
  summary: "check manifests against the policies as the cluster's admission webhook would",
  usage,
  async run(argv, io) {
    const flags = gatorBooleanFlags(argv);
    const args = parseCommandArgs(
      { name: "check", usage },
      flags,
      io,
      {
        filename: { type: "string", short: "f", multiple: true, placeholder: "PATH" },
        policies: { type: "string", placeholder: "DIR" },
        "no-project": { type: "boolean" },
        config: { type: "string", placeholder: "FILE" },
        templates: { type: "string", placeholder: "DIR" },
        namespace: { type: "string", placeholder: "NAME" },
        namespaces: { type: "string", placeholder: "FILE" },
        "namespace-labels": { type: "string", multiple: true, placeholder: "NS=K=V,..." },
        "exempt-namespace": { type: "string", multiple: true, placeholder: "NS" },
        operation: { type: "string", choices: OPERATIONS, ignoreCase: true },
        old: { type: "string", placeholder: "PATH" },
        username: { type: "string", placeholder: "NAME" },
        groups: { type: "string", placeholder: "G1,G2" },
        output: { type: "string", short: "o", choices: REPORT_FORMATS, ignoreCase: true },
        "deny-only": { type: "boolean" },
        "fail-on": { type: "string", choices: FAIL_ON },
        verbose: { type: "boolean", short: "v" },
        "show-mutated": { type: "boolean" },
        color: { type: "boolean" },
        "no-color": { type: "boolean" },
        workers: { type: "string", kind: "integer", min: 1 },
        "disable-k8s-native-validation": { type: "boolean" },
        "enable-k8s-native-validation": { type: "boolean" },
      },
      { positionals: true },
    );
    if (typeof args === "number") return args;
    const { values, positionals } = args;
    const bad = (message: string) => usageError(io, "check", message);
    const format = (values.output ?? "pretty") as ReportFormat;
    const failOn = (values["fail-on"] ?? "deny") as FailOn;
    const operation = values.operation ?? "CREATE";
    const workers = values.workers === undefined ? undefined : Number(values.workers);
    if (values.policies && values.config) return bad("--policies and --config choose different policy sources; give one");
    if (values.config && !findConfig(io.cwd, values.config)) {
      printDiagnostics(io, [diag(D.configNotFound, [values.config])], io.cwd);
      return 1;
    }

    // gator's `-f/--filename` is accepted beside positional paths, so gator commands carry over.
    let inputs = [...positionals, ...(values.filename ?? [])];
    if (inputs.length === 0) {
      if (process.stdin.isTTY) return bad("no manifests to check: give files, folders, or - for stdin");
      inputs = ["-"];
    } else if (!inputs.includes("-") && stdinBesidePaths()) {
      // As gator: `policyc check policies/ < app.yaml` and `cat app.yaml | policyc check policies/`
      // read both (see stdinBesidePaths for why a spawner's socket is not read unasked).
      inputs.push("-");
    }
    let policies: PolicySourceChoice;
    if (values.policies) policies = { kind: "folder", dir: values.policies };
    else if (values["no-project"] || !findConfig(io.cwd, values.config)) policies = { kind: "inputs" };
    else policies = { kind: "project", ...(values.config ? { configPath: values.config } : {}) };

    const userInfo: AdmissionOptions["userInfo"] = {};
    if (values.username) userInfo.username = values.username;
    if (values.groups) userInfo.groups = values.groups.split(",").map((g) => g.trim()).filter(Boolean);

    // The report is written as the run makes results (the pretty report keeps none of them), or,
    // with --show-mutated, each mutated object. Problems of the policies and inputs found before
    // the first object is checked go to stderr first; per-object ones are in the pretty report.
    const showMutated = values["show-mutated"] === true;
    const denyOnly = values["deny-only"] === true;
    // A reader that goes away (`policyc check … | head`) ends the run quietly: nothing more is
    // written, no further input is read, and the exit status is the shell's for a closed pipe.
    const closed = new AbortController();
    const quiet =
      (write: (s: string) => void) =>
      (s: string): void => {
        if (closed.signal.aborted) return;
        try {
          write(s);
        } catch (e) {
          if (!isClosedPipe(e)) throw e;
          closed.abort();
        }
      };
    const stdout = quiet(io.stdout);
    io = { ...io, stderr: quiet(io.stderr) };
    const report = showMutated ? undefined : openCheckReport(format, { color: wantsColor(values), verbose: values.verbose === true, failOn }, stdout);
    const perObject = new Set<Diagnostic>();
    let mutatedDocs = 0;
    const onResult = (r: ObjectResult) => {
      for (const d of r.diagnostics) perObject.add(d);
      // gator test's --deny-only: the report shows only what the webhook would deny.
      if (report) return report.result(denyOnly ? { ...r, violations: r.violations.filter((v) => v.action === "deny") } : r);
      if (!r.mutatedBy || !r.reviewed) return;
      // renderMutated's document separator, between documents.
      stdout(`${mutatedDocs++ > 0 ? "---\n" : ""}${renderMutated([{ origin: r.origin, object: r.reviewed, mutatedBy: r.mutatedBy }])}`);
    };
    let printed = 0;
    // A run that fails lets the report's spool go at once (it holds no named file either way).
    const run = await runCheck({
      onResult,
      onEvaluate: (ds, constraintObjects) => {
        report?.begin(constraintObjects);
        printDiagnostics(io, ds, io.cwd);
        printed = ds.length;
      },
      keep: reportFields(format),
      signal: closed.signal,
      cwd: io.cwd,
      inputs,
      policies,
      ...(values.namespaces ? { namespacesFile: values.namespaces } : {}),
      ...(values["namespace-labels"] ? { namespaceLabels: values["namespace-labels"] } : {}),
      ...(values.old ? { oldDir: values.old } : {}),
      ...(values.templates ? { templatesDir: values.templates } : {}),
      ...(workers !== undefined ? { workers } : {}),
      // gator's --enable-k8s-native-validation (default true; =false runs the Rego); of the two spellings, the last one given wins.
      ...(flags.lastIndexOf("--disable-k8s-native-validation") > flags.lastIndexOf("--enable-k8s-native-validation") ? { k8sNativeValidation: false } : {}),
      settings: {
        operation: operation as AdmissionOptions["operation"],
        defaultNamespace: values.namespace ?? "default",
        // Only gator's json and yaml reports print the violating objects.
        keepViolatingObjects: format === "json" || format === "yaml",
        ...(userInfo.username || userInfo.groups ? { userInfo } : {}),
        ...(values["exempt-namespace"] ? { labelExemptNamespaces: values["exempt-namespace"] } : {}),
      },
    }).catch((e: unknown) => {
      report?.abort();
      throw e;
    });
    // The rest: inputs' problems found while checking, and per-object ones unless the report has them.
    if (closed.signal.aborted) {
      report?.abort();
      return CLOSED_PIPE_EXIT;
    }
    printDiagnostics(io, run.diagnostics.slice(printed).filter((d) => !perObject.has(d) || format !== "pretty"), io.cwd);
    report?.end(run);
    return closed.signal.aborted ? CLOSED_PIPE_EXIT : checkExitCode(run, failOn);
  },
};
