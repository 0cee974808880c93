// The D8* checks Deckhouse renders per policy knob, with its "allows everything" drops.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { operationPolicyChecks, securityPolicyChecks } from "../../src/explain/deckhouse-checks.js";

test("unset privilege knobs still render their checks; permissive values render none", () => {
  assert.equal(securityPolicyChecks({}), ["D8AllowPrivilegeEscalation", "D8PrivilegedContainer"]);
  assert.equal(securityPolicyChecks({ allowPrivileged: true, allowPrivilegeEscalation: true }), []);
});

test("knobs that would allow everything are dropped", () => {
  const permissive = { allowPrivileged: true, allowPrivilegeEscalation: true };
  assert.equal(securityPolicyChecks({ ...permissive, allowedCapabilities: ["ALL"] }), []);
  assert.equal(securityPolicyChecks({ ...permissive, allowedCapabilities: ["ALL"], requiredDropCapabilities: ["NET_RAW"] }), ["D8AllowedCapabilities"]);
  assert.equal(securityPolicyChecks({ ...permissive, allowedProcMount: "Unmasked", allowedVolumes: ["*"], runAsUser: { rule: "RunAsAny" } }), []);
  assert.equal(securityPolicyChecks({ ...permissive, allowedUnsafeSysctls: ["*"] }), []);
  assert.equal(securityPolicyChecks({ ...permissive, seccompProfiles: { allowedProfiles: ["*"], allowedLocalhostFiles: ["*"] } }), []);
  assert.equal(securityPolicyChecks({ ...permissive, allowHostIPC: true, allowHostNetwork: true, allowedHostPorts: [{ min: 1, max: 2 }] }), ["D8HostNetwork"]);
  assert.equal(securityPolicyChecks({ ...permissive, readOnlyRootFilesystem: false, automountServiceAccountToken: false }), ["D8AutomountServiceAccountTokenPod"]);
});

test("operation knobs for Pods; knobs for other kinds are left out", () => {
  assert.equal(operationPolicyChecks({ allowedRepos: [], maxRevisionHistoryLimit: 3, storageClassNames: ["x"], checkContainerDuplicates: false, disallowedTolerations: [] }), ["D8AllowedRepos"]);
  assert.equal(operationPolicyChecks({ requiredLabels: { labels: [{ key: "a" }], watchKinds: ["/Pod"] }, requiredAnnotations: { annotations: [{ key: "a" }], watchKinds: ["apps/Deployment"] } }), ["D8RequiredLabels"]);
});

test.run();
