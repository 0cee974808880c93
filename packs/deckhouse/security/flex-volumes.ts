/** D8AllowedFlexVolumes: rendered from SecurityPolicy `allowedFlexVolumes`. */
import { defineCheck, podSpecOf, regoString, type Workload } from "policyc";
import { pod, workloadOf } from "../support/objects.js";

/** A FlexVolume driver Pods may use. */
export interface FlexVolumeDriver {
  driver: string;
}

const withFlex = (driver: string) => pod({ containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "v", flexVolume: { driver } }] });

export const allowedFlexVolumes = defineCheck<{
  /** The allowed drivers. */
  allowedFlexVolumes: FlexVolumeDriver[];
}, Workload>({
  kind: "D8AllowedFlexVolumes",
  regoPackage: "d8.security_policies",
  title: "FlexVolume drivers",
  description: "FlexVolume volumes must use an allowed driver. A workload's pod template is judged as the Pod it creates. A Pod's volumes are immutable, so updates of Pods are not checked.",
  violation(review, params, report) {
    if (review.operation === "UPDATE" && review.object.kind === "Pod") return;
    for (const volume of podSpecOf(review.object)?.volumes ?? []) {
      const flex = volume.flexVolume;
      if (flex === undefined) continue;
      if (!params.allowedFlexVolumes.some((d) => d.driver === flex.driver)) {
        report(`FlexVolume ${regoString(volume)} is not allowed, pod: ${review.object.metadata?.name ?? ""}. Allowed drivers: ${regoString(params.allowedFlexVolumes)}`, {});
      }
    }
  },
  tests: [
    { name: "statefulset-template", parameters: { allowedFlexVolumes: [{ driver: "vmware" }] }, object: workloadOf("StatefulSet", { containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "v", flexVolume: { driver: "example/lvm" } }] }), violations: 1, messages: ["is not allowed, pod: web."] },
    { name: "cronjob-template-allowed", parameters: { allowedFlexVolumes: [{ driver: "vmware" }] }, object: workloadOf("CronJob", { containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "v", flexVolume: { driver: "vmware" } }] }), violations: "no" },
    { name: "other-driver", parameters: { allowedFlexVolumes: [{ driver: "vmware" }] }, object: withFlex("example/lvm"), violations: 1, messages: ["FlexVolume {\"flexVolume\": {\"driver\": \"example/lvm\"}, \"name\": \"v\"} is not allowed, pod: pod. Allowed drivers: [{\"driver\": \"vmware\"}]"] },
    { name: "allowed", parameters: { allowedFlexVolumes: [{ driver: "vmware" }] }, object: withFlex("vmware"), violations: "no" },
    { name: "none-allowed", parameters: { allowedFlexVolumes: [] }, object: withFlex("vmware"), violations: 1 },
    { name: "no-flex", parameters: { allowedFlexVolumes: [] }, object: pod({ containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "v", emptyDir: {} }] }), violations: "no" },
    { name: "update", parameters: { allowedFlexVolumes: [] }, object: withFlex("vmware"), oldObject: withFlex("vmware"), operation: "UPDATE", violations: "no" },
  ],
});
