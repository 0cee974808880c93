/** D8SeLinux: rendered from SecurityPolicy `seLinux` and by the baseline PSS. */
import { defineCheck, regoFile } from "policyc";
import { podWith, spe, speLabel } from "../support/objects.js";

/** An allowed SELinux option tuple; a field the Pod sets must equal the tuple's. */
export interface SELinuxOptions {
  level?: string;
  role?: string;
  type?: string;
  user?: string;
}

const baseline = [{ type: "" }, { type: "container_t" }, { type: "container_init_t" }, { type: "container_kvm_t" }, { type: "container_engine_t" }];

export const seLinux = defineCheck<{
  /** The allowed tuples. */
  allowedSELinuxOptions?: SELinuxOptions[];
}>({
  kind: "D8SeLinux",
  title: "SELinux options",
  description: "seLinuxOptions of the Pod and of each container must match an allowed tuple: every field set must equal the tuple's.",
  rego: regoFile("./selinux.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "container-type", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "spc_t" } }), violations: 1, messages: ["SELinux options are not allowed, pod: pod, container app. | seLinuxOptions: {\"type\": \"spc_t\"}"] },
    { name: "allowed-type", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "container_t", level: "s0:c123,c456" } }), violations: 1 },
    { name: "allowed-type-only", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "container_t" } }), violations: "no" },
    { name: "user-set", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "container_t", user: "unconfined_u" } }), violations: 1 },
    { name: "pod-level", parameters: { allowedSELinuxOptions: baseline }, object: podWith(undefined, { securityContext: { seLinuxOptions: { type: "spc_t" } } }), violations: 1, messages: ["SELinux options are not allowed, pod: pod. |"] },
    { name: "absent", parameters: { allowedSELinuxOptions: baseline }, object: podWith(undefined), violations: "no" },
    { name: "full-tuple", parameters: { allowedSELinuxOptions: [{ level: "s0", role: "r", type: "t", user: "u" }] }, object: podWith({ seLinuxOptions: { level: "s0", role: "r", type: "t", user: "u" } }), violations: "no" },
    { name: "spe-match", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "spc_t" } }, {}, speLabel("se")), inventory: [spe("se", { securityContext: { seLinuxOptions: { allowedValues: [{ type: "spc_t" }] } } })], violations: "no" },
    { name: "spe-mismatch", parameters: { allowedSELinuxOptions: baseline }, object: podWith({ seLinuxOptions: { type: "spc_t" } }, {}, speLabel("se")), inventory: [spe("se", { securityContext: { seLinuxOptions: { allowedValues: [{ type: "other_t" }] } } })], violations: 1, messages: ["SPE allows:"] },
  ],
});
