// Gatekeeper mutators, which Deckhouse's admission-policy-engine runs: one of each kind.
import { assign, assignImage, assignMetadata, modifySet } from "policyc";

const pods = [{ groups: [""], kinds: ["Pod"], versions: ["v1"] }];
const appNamespaces = { scope: "Namespaced" as const, kinds: [{ apiGroups: [""], kinds: ["Pod"] }], excludedNamespaces: ["kube-system", "d8-*"] };

export const alwaysPull = assign({
  name: "always-pull-images",
  applyTo: pods,
  match: appNamespaces,
  location: "spec.containers[name: *].imagePullPolicy",
  parameters: { assign: { value: "Always" } },
});

export const teamLabel = assignMetadata({
  name: "default-team-label",
  match: appNamespaces,
  location: 'metadata.labels."example.com/team"',
  parameters: { assign: { value: "platform" } },
});

export const noDebugArgs = modifySet({
  name: "drop-debug-args",
  applyTo: pods,
  match: appNamespaces,
  location: "spec.containers[name: *].args",
  parameters: { operation: "prune", values: { fromList: ["--debug"] } },
});

export const mirror = assignImage({
  name: "use-registry-mirror",
  applyTo: pods,
  match: appNamespaces,
  location: "spec.containers[name: *].image",
  parameters: { assignDomain: "mirror.example.com" },
});
