/** D8StorageClass: rendered from OperationPolicy `storageClassNames`, on PersistentVolumeClaims. */
import { defineCheck, regoString } from "policyc";
import { object } from "../support/objects.js";

/** The fields of a PersistentVolumeClaim the check reads. */
export interface PersistentVolumeClaim {
  kind: string;
  metadata?: { name?: string };
  spec?: { storageClassName?: string };
}

export const storageClass = defineCheck<{
  /** Storage classes PersistentVolumeClaims may use. */
  storageClassNames: string[];
}, PersistentVolumeClaim>({
  kind: "D8StorageClass",
  regoPackage: "d8.operation_policies",
  title: "Storage classes",
  description: "A PersistentVolumeClaim's spec.storageClassName must be one of the allowed ones (an unset one is not checked).",
  violation(review, params, report) {
    const name = review.object.spec?.storageClassName;
    if (name === undefined) return;
    if (!params.storageClassNames.includes(name)) {
      report(`PersistentVolumeClaim <${review.object.metadata?.name ?? ""}> has invalid storage class: ${name}, allowed: ${regoString(params.storageClassNames)}`);
    }
  },
  tests: [
    { name: "other", parameters: { storageClassNames: ["ceph-ssd"] }, object: object("v1", "PersistentVolumeClaim", { spec: { storageClassName: "local" } }), violations: 1, messages: ["PersistentVolumeClaim <obj> has invalid storage class: local, allowed: [\"ceph-ssd\"]"] },
    { name: "allowed", parameters: { storageClassNames: ["ceph-ssd"] }, object: object("v1", "PersistentVolumeClaim", { spec: { storageClassName: "ceph-ssd" } }), violations: "no" },
    { name: "unset", parameters: { storageClassNames: ["ceph-ssd"] }, object: object("v1", "PersistentVolumeClaim", { spec: {} }), violations: "no" },
  ],
});
