/** D8DNSPolicy: rendered from OperationPolicy `checkHostNetworkDNSPolicy: true`. */
import { defineCheck, podSpecOf, type Workload } from "policyc";
import { podOf, workloadOf } from "../support/objects.js";

export const dnsPolicy = defineCheck<{}, Workload>({
  kind: "D8DNSPolicy",
  regoPackage: "d8.operation_policies",
  title: "DNS policy with hostNetwork",
  description: "Pods with hostNetwork: true must use dnsPolicy ClusterFirstWithHostNet (the default ClusterFirst resolves through the node).",
  violation(review, _params, report) {
    const spec = podSpecOf(review.object);
    if (spec?.hostNetwork === true && spec?.dnsPolicy !== "ClusterFirstWithHostNet") {
      report(`Pod <${review.object.metadata?.name ?? ""}> with hostNetwork must have 'ClusterFirstWithHostNet' dnsPolicy`);
    }
  },
  tests: [
    { name: "daemonset-template", object: workloadOf("DaemonSet", { hostNetwork: true, containers: [{ name: "app", image: "a:1" }] }), violations: 1, messages: ["Pod <web> with hostNetwork must have 'ClusterFirstWithHostNet' dnsPolicy"] },
    { name: "cronjob-template-host-net-dns", object: workloadOf("CronJob", { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet", containers: [{ name: "app", image: "a:1" }] }), violations: "no" },
    { name: "cluster-first", object: podOf([{ name: "app", image: "a:1" }], { hostNetwork: true, dnsPolicy: "ClusterFirst" }), violations: 1, messages: ["Pod <pod> with hostNetwork must have 'ClusterFirstWithHostNet' dnsPolicy"] },
    { name: "unset", object: podOf([{ name: "app", image: "a:1" }], { hostNetwork: true }), violations: 1 },
    { name: "with-host-net", object: podOf([{ name: "app", image: "a:1" }], { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" }), violations: "no" },
    { name: "no-host-network", object: podOf([{ name: "app", image: "a:1" }], { dnsPolicy: "Default" }), violations: "no" },
  ],
});
