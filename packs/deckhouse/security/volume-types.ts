/** D8AllowedVolumeTypes: rendered from SecurityPolicy `allowedVolumes` (without `*`) and by the restricted PSS. */
import { defineCheck, regoFile } from "policyc";
import { pod, spe, speLabel } from "../support/objects.js";

const restricted = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];
const withVolume = (volume: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
  pod({ containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "v", ...volume }] }, metadata);

export const allowedVolumeTypes = defineCheck<{
  /** Volume types Pods may use (`*`: any; `none`: none). */
  volumes?: string[];
}>({
  kind: "D8AllowedVolumeTypes",
  title: "Volume types",
  description: "Every volume of a Pod must be of an allowed type.",
  rego: regoFile("./volume-types.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "host-path", parameters: { volumes: restricted }, object: withVolume({ hostPath: { path: "/" } }), violations: 1, messages: ["The volume type hostPath is not allowed, pod: pod."] },
    { name: "config-map", parameters: { volumes: restricted }, object: withVolume({ configMap: { name: "c" } }), violations: "no" },
    { name: "wildcard", parameters: { volumes: ["*"] }, object: withVolume({ hostPath: { path: "/" } }), violations: "no" },
    { name: "none", parameters: { volumes: ["none"] }, object: withVolume({ emptyDir: {} }), violations: 1 },
    { name: "no-volumes", parameters: { volumes: ["none"] }, object: pod({ containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "spe-match", parameters: { volumes: restricted }, object: withVolume({ hostPath: { path: "/" } }, speLabel("vt")), inventory: [spe("vt", { volumes: { types: { allowedValues: ["hostPath"] } } })], violations: "no" },
    { name: "spe-mismatch", parameters: { volumes: restricted }, object: withVolume({ nfs: { server: "s", path: "/" } }, speLabel("vt")), inventory: [spe("vt", { volumes: { types: { allowedValues: ["hostPath"] } } })], violations: 1, messages: ["SPE allows: [\"hostPath\"]"] },
  ],
});
