/**
 * D8GpuResourceRestriction: GPU resources only in namespaces that carry a label. The module installs
 * the template (Deckhouse's main branch); no OperationPolicy field that renders it is in a CRD policyc
 * can read, so policyc's mapping renders no Constraint for it: a cluster's own Constraints use it.
 */
import { defineCheck, regoFile } from "policyc";
import { pod, podOf, workloadOf } from "../support/objects.js";

const gpuNamespace = (labels: Record<string, string> = {}) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app", labels } });
const nvidia = { namespaceLabel: { key: "gpu.deckhouse.io/enabled", value: "true" }, gpuResourcePatterns: ["^nvidia\\.com/.*$"] };
const gpu = (resources: Record<string, unknown>, name = "gpu") => ({ name, image: "registry.example.com/cuda:1", resources });

export const gpuResourceRestriction = defineCheck<{
  /** The label (`key: value`) a namespace must carry for its Pods to use GPU resources. */
  namespaceLabel: { key: string; value: string };
  /** RE2 regular expressions (unanchored) of the resource names that are GPUs, e.g. `^nvidia\.com/.*$`. */
  gpuResourcePatterns: string[];
}>({
  kind: "D8GpuResourceRestriction",
  regoPackage: "d8.operation_policies",
  title: "GPU resources",
  description: "A container (init and ephemeral ones too) whose limits or requests name a GPU resource runs only in a namespace carrying the label; a namespace missing from Gatekeeper's inventory is not trusted.",
  rego: regoFile("./gpu-resource-restriction.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "labelled-namespace", parameters: nvidia, object: podOf([gpu({ limits: { "nvidia.com/gpu": 1 } })]), inventory: [gpuNamespace({ "gpu.deckhouse.io/enabled": "true" })], violations: "no" },
    { name: "unlabelled-namespace", parameters: nvidia, object: podOf([gpu({ requests: { "nvidia.com/gpu": 1 } })]), inventory: [gpuNamespace()], violations: 1, messages: ["container <gpu> requests GPU resources <nvidia.com/gpu>, but namespace <app> does not have label <gpu.deckhouse.io/enabled: true>"] },
    { name: "wrong-label-value", parameters: nvidia, object: podOf([gpu({ limits: { "nvidia.com/gpu": 1 } })]), inventory: [gpuNamespace({ "gpu.deckhouse.io/enabled": "false" })], violations: 1 },
    { name: "namespace-not-synced", parameters: nvidia, object: podOf([gpu({ limits: { "nvidia.com/gpu": 1 } })]), violations: 1, messages: ["container <gpu> requests GPU resources <nvidia.com/gpu>, but namespace <app> is not present in the Gatekeeper cache, so the label <gpu.deckhouse.io/enabled> cannot be checked"] },
    { name: "several-resources-one-violation", parameters: nvidia, object: podOf([gpu({ limits: { "nvidia.com/mig-1g.5gb": 1, "nvidia.com/gpu": 1 }, requests: { "nvidia.com/mig-1g.5gb": 1 } })]), inventory: [gpuNamespace()], violations: 1, messages: ["GPU resources <nvidia.com/gpu, nvidia.com/mig-1g.5gb>"] },
    { name: "no-gpu", parameters: nvidia, object: podOf([gpu({ limits: { cpu: "1", "example.com/fpga": 1, "not-nvidia.com/gpu": 1 } })]), inventory: [gpuNamespace()], violations: "no" },
    { name: "no-resources", parameters: nvidia, object: podOf([{ name: "app", image: "a:1" }]), violations: "no" },
    { name: "init-and-ephemeral", parameters: nvidia, object: pod({ containers: [{ name: "app", image: "a:1" }], initContainers: [gpu({ limits: { "nvidia.com/gpu": 1 } }, "init")], ephemeralContainers: [gpu({ limits: { "nvidia.com/gpu": 1 } }, "debug")] }), inventory: [gpuNamespace()], violations: 2, messages: ["container <init>", "container <debug>"] },
    { name: "custom-patterns", parameters: { namespaceLabel: { key: "custom.io/gpu-allowed", value: "yes" }, gpuResourcePatterns: ["^amd\\.com/gpu$", "^intel\\.com/gpu$"] }, object: podOf([gpu({ limits: { "amd.com/gpu": 1, "nvidia.com/gpu": 1 } })]), inventory: [gpuNamespace()], violations: 1, messages: ["requests GPU resources <amd.com/gpu>, but namespace <app> does not have label <custom.io/gpu-allowed: yes>"] },
    { name: "deployment-template", parameters: nvidia, object: workloadOf("Deployment", { containers: [gpu({ limits: { "nvidia.com/gpu": 1 } })] }), inventory: [gpuNamespace()], violations: 1, messages: ["container <gpu> requests GPU resources <nvidia.com/gpu>, but namespace <app>"] },
  ],
});
