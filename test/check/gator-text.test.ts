// `policyc check -o gator`: the text `gator test` prints without `-o`, one line per violation:
// the object as `apiVersion/Kind [namespace/]name`, the constraint's name and the message, both
// Go-quoted (%q), in gator's order (by enforcement action, then message); nothing when none violates.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCheck } from "../../src/testing/check/run.js";
import { renderCheckReport } from "../../src/testing/check/report/index.js";
import { gatorTextLine } from "../../src/testing/check/report/gator.js";
import { projectRoot } from "../support/shared.js";
import { templateWithConstraint } from "./policy-yaml.js";

const settings = { operation: "CREATE" as const, defaultNamespace: "default" };
const report = async (docs: string[]) => {
  const run = await runCheck({ cwd: projectRoot, inputs: ["-"], stdinText: docs.join("---\n"), policies: { kind: "inputs" }, settings, workers: 1 });
  assert.equal(run.diagnostics.filter((d) => d.severity === "error"), []);
  return renderCheckReport(run, "gator", { color: false, verbose: false, failOn: "deny" });
};

test("a line per violation: namespaced and cluster-scoped objects, gator's order by action then message", async () => {
  const labels = (kind: string, matchKind: string, action: string) =>
    templateWithConstraint(kind, `package ${kind.toLowerCase()}\nviolation[{"msg": msg}] {\n  not input.review.object.metadata.labels.team\n  msg := sprintf("%v %v has no team", [input.review.kind.kind, input.review.object.metadata.name])\n}`, matchKind).replace(
      "spec:\n  match:",
      `spec:\n  enforcementAction: ${action}\n  match:`,
    );
  const out = await report([
    labels("NsTeam", "Namespace", "warn"),
    labels("CmTeam", "ConfigMap", "deny"),
    "apiVersion: v1\nkind: Namespace\nmetadata: {name: zeta}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b, namespace: apps}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok, namespace: apps, labels: {team: x}}\n",
  ]);
  assert.is(
    out,
    [
      'v1/ConfigMap default/a: ["cmteam-all"] Message: "ConfigMap a has no team"',
      'v1/ConfigMap apps/b: ["cmteam-all"] Message: "ConfigMap b has no team"',
      'v1/Namespace zeta: ["nsteam-all"] Message: "Namespace zeta has no team"',
      "",
    ].join("\n"),
  );
});

test("messages and constraint names are Go-quoted: quotes, backslashes, line breaks, tabs escaped; printable Unicode kept", () => {
  const r = { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" };
  const line = (name: string, msg: string) => gatorTextLine(r, { constraint: { kind: "K", name }, msg });
  assert.is(line("c", 'image "nginx:latest"'), 'apps/v1/Deployment prod/web: ["c"] Message: "image \\"nginx:latest\\""\n');
  assert.is(line("c", "first\nsecond\tthird \\ end"), 'apps/v1/Deployment prod/web: ["c"] Message: "first\\nsecond\\tthird \\\\ end"\n');
  assert.is(line("c", "größe ≤ 5"), 'apps/v1/Deployment prod/web: ["c"] Message: "größe ≤ 5"\n');
});

test("no violation prints nothing at all", async () => {
  const out = await report([
    templateWithConstraint("Never", 'package never\nviolation[{"msg": "x"}] {\n  false\n}'),
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: apps}\n",
  ]);
  assert.is(out, "");
});

test.run();
