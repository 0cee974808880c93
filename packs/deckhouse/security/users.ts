/** D8AllowedUsers: rendered from SecurityPolicy `runAsUser`, `runAsGroup`, `fsGroup`, `supplementalGroups` and by the restricted PSS (`MustRunAsNonRoot`). */
import { defineCheck, regoFile, type Integer } from "policyc";
import { podWith, podWithInit, spe, speLabel, workloadOf } from "../support/objects.js";

/** An inclusive range of IDs. */
export interface IdRange {
  min: Integer;
  max: Integer;
}

/** Which UIDs containers may run as. */
export interface RunAsUserRule {
  /** `MustRunAs` (set, inside `ranges`), `MustRunAsNonRoot` (non-zero, or runAsNonRoot: true), `RunAsAny`. */
  rule: "MustRunAs" | "MustRunAsNonRoot" | "RunAsAny";
  ranges?: IdRange[];
}

/** Which group IDs are allowed. */
export interface GroupRule {
  /** `MustRunAs` (set, inside `ranges`), `MayRunAs` (inside `ranges` when set), `RunAsAny`. */
  rule: "MustRunAs" | "MayRunAs" | "RunAsAny";
  ranges?: IdRange[];
}

export const allowedUsers = defineCheck<{
  /** The Pod's `securityContext.fsGroup`. */
  fsGroup?: GroupRule;
  /** Each container's effective `runAsUser` (its own, else the Pod's). */
  runAsUser?: RunAsUserRule;
  /** Each container's effective `runAsGroup`. */
  runAsGroup?: GroupRule;
  /** The Pod's `securityContext.supplementalGroups`. */
  supplementalGroups?: GroupRule;
}>({
  kind: "D8AllowedUsers",
  title: "Users and groups",
  description: "Containers run as allowed users and groups; the Pod's fsGroup and supplementalGroups lie in the allowed ranges. On a controller's pod template an ID left unset is not judged (a mutating webhook may still set it on the Pod); one set outside the rule is.",
  rego: regoFile("./users.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "root", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0 }), violations: 1, messages: ["Container app is attempting to run as disallowed user. | runAsUser: 0 | policy allows: {\"rule\": \"MustRunAsNonRoot\"}"] },
    { name: "non-root-uid", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 1000 }), violations: "no" },
    { name: "run-as-non-root", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsNonRoot: true }), violations: "no" },
    { name: "pod-level-non-root", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith(undefined, { securityContext: { runAsNonRoot: true } }), violations: "no" },
    { name: "container-overrides-pod", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0 }, { securityContext: { runAsUser: 1000 } }), violations: 1 },
    { name: "unset", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith(undefined), violations: 1, messages: ["runAsUser: <unset>"] },
    { name: "must-run-as-range", parameters: { runAsUser: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith({ runAsUser: 300 }), violations: 1 },
    { name: "must-run-as-inside", parameters: { runAsUser: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith({ runAsUser: 150 }), violations: "no" },
    { name: "must-run-as-unset", parameters: { runAsUser: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith(undefined), violations: 1 },
    { name: "group-may-run-as-unset", parameters: { runAsGroup: { rule: "MayRunAs", ranges: [{ min: 300, max: 500 }] } }, object: podWith(undefined), violations: "no" },
    { name: "group-may-run-as-outside", parameters: { runAsGroup: { rule: "MayRunAs", ranges: [{ min: 300, max: 500 }] } }, object: podWith({ runAsGroup: 0 }), violations: 1, messages: ["Container app is attempting to run as disallowed group."] },
    { name: "fs-group-must", parameters: { fsGroup: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith(undefined), violations: 1, messages: ["Pod pod is attempting to run as disallowed fsGroup."] },
    { name: "fs-group-inside", parameters: { fsGroup: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith(undefined, { securityContext: { fsGroup: 150 } }), violations: "no" },
    { name: "supplemental-outside", parameters: { supplementalGroups: { rule: "MustRunAs", ranges: [{ min: 129, max: 133 }] } }, object: podWith(undefined, { securityContext: { supplementalGroups: [130, 140] } }), violations: 1 },
    { name: "supplemental-may-empty", parameters: { supplementalGroups: { rule: "MayRunAs", ranges: [{ min: 129, max: 133 }] } }, object: podWith(undefined), violations: "no" },
    { name: "group-run-as-any", parameters: { runAsGroup: { rule: "RunAsAny" } }, object: podWith({ runAsGroup: 0 }), violations: "no" },
    { name: "supplemental-may-outside", parameters: { supplementalGroups: { rule: "MayRunAs", ranges: [{ min: 129, max: 133 }] } }, object: podWith(undefined, { securityContext: { supplementalGroups: [140] } }), violations: 1, messages: ["supplementalGroups"] },
    { name: "supplemental-run-as-any", parameters: { supplementalGroups: { rule: "RunAsAny" } }, object: podWith(undefined, { securityContext: { supplementalGroups: [0] } }), violations: "no" },
    { name: "supplemental-inside", parameters: { supplementalGroups: { rule: "MustRunAs", ranges: [{ min: 129, max: 133 }] } }, object: podWith(undefined, { securityContext: { supplementalGroups: [130, 133] } }), violations: "no" },
    { name: "controller-unset-user-left-to-pod", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: workloadOf("Deployment", { containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "controller-root-denied", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: workloadOf("Deployment", { containers: [{ name: "app", image: "a:1", securityContext: { runAsUser: 0 } }, { name: "sidecar", image: "a:1" }] }), violations: 1, messages: ["Container app is attempting to run as disallowed user. | runAsUser: 0"] },
    { name: "controller-unset-groups-left-to-pod", parameters: { runAsGroup: { rule: "MustRunAs", ranges: [{ min: 300, max: 500 }] }, fsGroup: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] }, supplementalGroups: { rule: "MustRunAs", ranges: [{ min: 129, max: 133 }] } }, object: workloadOf("StatefulSet", { containers: [{ name: "db", image: "a:1" }] }), violations: "no" },
    { name: "controller-groups-outside", parameters: { runAsGroup: { rule: "MustRunAs", ranges: [{ min: 300, max: 500 }] }, fsGroup: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] }, supplementalGroups: { rule: "MustRunAs", ranges: [{ min: 129, max: 133 }] } }, object: workloadOf("CronJob", { securityContext: { fsGroup: 1, supplementalGroups: [1] }, containers: [{ name: "job", image: "a:1", securityContext: { runAsGroup: 1 } }] }), violations: 3 },
    { name: "init-container-root", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWithInit({ runAsUser: 0 }), violations: 2 },
    { name: "spe-uid", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0 }, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [0] } } })], violations: "no" },
    { name: "spe-uid-mismatch", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0 }, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [1] } } })], violations: 1, messages: ["SPE allows: [1]"] },
    { name: "spe-root-non-root-contradicts", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0, runAsNonRoot: true }, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [0] }, runAsNonRoot: { allowedValue: false } } })], violations: 1, messages: ["SPE allows: [0] | SPE allows: false"] },
    { name: "spe-root-non-root-agrees", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0, runAsNonRoot: false }, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [0] }, runAsNonRoot: { allowedValue: false } } })], violations: "no" },
    { name: "spe-root-pod-level-non-root-contradicts", parameters: { runAsUser: { rule: "MustRunAs", ranges: [{ min: 100, max: 200 }] } }, object: podWith({ runAsUser: 0 }, { securityContext: { runAsNonRoot: false } }, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [0] }, runAsNonRoot: { allowedValue: true } } })], violations: 1 },
    { name: "spe-root-non-root-unset", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith({ runAsUser: 0 }, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsUser: { allowedValues: [0] }, runAsNonRoot: { allowedValue: true } } })], violations: "no" },
    { name: "spe-run-as-non-root", parameters: { runAsUser: { rule: "MustRunAsNonRoot" } }, object: podWith(undefined, {}, speLabel("root")), inventory: [spe("root", { securityContext: { runAsNonRoot: { allowedValue: false } } })], violations: "no" },
  ],
});
