// `tests:` on the Deckhouse builders: objects with namespace labels and exceptions, judged by the
// Constraints Deckhouse renders from the policy (the pack's templates), run by `policyc test`.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { makeProject, removeProject } from "../build/fixture.js";
import { projectTest } from "../../src/testing/project-test.js";
import { compile } from "../../src/build/stages.js";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../support/shared.js";

const policy = `import { securityPolicy, operationPolicy } from "policyc";

const pod = (sc: Record<string, unknown>, labels: Record<string, string> = {}) => ({
  apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "team", labels },
  spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0", securityContext: sc }] },
});

securityPolicy({
  name: "no-root",
  enforcementAction: "Warn",
  match: { namespaceSelector: { labelSelector: { matchLabels: { team: "a" } } } },
  policies: { allowPrivileged: true, allowPrivilegeEscalation: true, runAsUser: { rule: "MustRunAsNonRoot" } },
  tests: [
    { name: "root", namespaceLabels: { team: "a" }, object: pod({ runAsUser: 0 }), violations: 1, messages: [/disallowed user\\. \\| runAsUser: 0/] },
    { name: "non-root", namespaceLabels: { team: "a" }, object: pod({ runAsUser: 1000 }), violations: "no" },
    { name: "wrong-expectation", namespaceLabels: { team: "a" }, object: pod({ runAsUser: 0 }), violations: "no" },
    { name: "exception", namespaceLabels: { team: "a" }, object: pod({ runAsUser: 0 }, { "security.deckhouse.io/security-policy-exception": "root" }),
      inventory: [{ apiVersion: "deckhouse.io/v1alpha1", kind: "SecurityPolicyException", metadata: { name: "root", namespace: "team" }, spec: { securityContext: { runAsUser: { allowedValues: [0] } } } }],
      violations: "no" },
  ],
});

operationPolicy({
  name: "probes",
  match: { labelSelector: { matchLabels: { app: "web" } } },
  policies: { requiredProbes: ["readinessProbe"] },
  tests: [
    { name: "no-probe", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "a:1" }] } }, violations: 1, messages: ["Container <c> in your <Pod> <p> has no <readinessProbe>"] },
  ],
});
`;

test("policy cases run through the pack: passing, failing and excepted cases, at the user's source", async () => {
  const dir = makeProject({ "policies/deckhouse.ts": policy });
  try {
    const built = await compile({ cwd: dir });
    assert.equal(built.diagnostics.filter((d) => d.severity === "error"), []);
    const sp = built.project!.resources.find((r) => r.name === "no-root")!;
    assert.is(sp.tests!.length, 4);
    assert.not.ok("tests" in sp.object, "tests are not part of the emitted object");
    // policyc test refuses a stale output: build it first, as a user would.
    const build = spawnSync(process.execPath, [path.join(projectRoot, "bin/policyc.js"), "build"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    assert.is(build.status, 0, build.stdout + build.stderr);
    const result = await projectTest({ cwd: dir });
    const suites = result.suites.filter((s) => s.name?.startsWith("SecurityPolicy") || s.name?.startsWith("OperationPolicy"));
    assert.equal(suites.map((s) => s.name).sort(), ["OperationPolicy probes", "SecurityPolicy no-root"]);
    const cases = Object.fromEntries(suites.flatMap((s) => s.tests[0]!.cases.map((c) => [c.name, c])));
    assert.is(cases["root"]!.status, "pass", cases["root"]!.reasons.join("; "));
    assert.is(cases["non-root"]!.status, "pass");
    assert.is(cases["exception"]!.status, "pass", cases["exception"]!.reasons.join("; "));
    assert.is(cases["no-probe"]!.status, "pass", cases["no-probe"]!.reasons.join("; "));
    assert.is(cases["wrong-expectation"]!.status, "fail");
    assert.match(cases["wrong-expectation"]!.reasons[0]!, /got 1 violations but want none/);
    assert.is(cases["root"]!.violations![0]!.enforcementAction, "warn");
    assert.match(suites.find((s) => s.name === "SecurityPolicy no-root")!.display, /^policies\/deckhouse\.ts:\d+:1$/);
    const filtered = await projectTest({ cwd: dir, filter: "non-root" });
    assert.equal(filtered.suites.flatMap((s) => s.tests.flatMap((t) => t.cases.map((c) => c.name))).filter((n) => n.includes("root")), ["non-root"]);
  } finally {
    removeProject(dir);
  }
});

test.run();
