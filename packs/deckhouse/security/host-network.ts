/** D8HostNetwork: rendered from SecurityPolicy `allowHostNetwork: false` or `allowedHostPorts`, and by the baseline PSS. */
import { defineCheck, regoFile, type Integer } from "policyc";
import { pod, podWith, spe, speLabel, workloadOf } from "../support/objects.js";

/** An inclusive range of host ports. */
export interface PortRange {
  min: Integer;
  max: Integer;
}

const withPort = (port: Record<string, unknown>, spec: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  pod({ containers: [{ name: "app", image: "registry.example.com/app:1.0", ports: [port] }], ...spec }, metadata);

export const hostNetwork = defineCheck<{
  /** Whether Pods may use the host network. */
  allowHostNetwork?: boolean;
  /** Host ports that are allowed; with hostNetwork every containerPort must lie in them too. Left out, host ports are not checked; `[]` allows none. */
  ranges?: PortRange[];
}>({
  kind: "D8HostNetwork",
  title: "Host network and host ports",
  description: "Pods must not use the host network unless allowed, and host ports (every container port under hostNetwork) must lie in the allowed ranges.",
  rego: regoFile("./host-network.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "host-network", parameters: { allowHostNetwork: false }, object: podWith(undefined, { hostNetwork: true }), violations: 1, messages: ["The hostNetwork or hostPort are not allowed, pod: pod | hostNetwork: true | policy allows: false"] },
    { name: "deployment-template", parameters: { allowHostNetwork: false }, object: workloadOf("Deployment", { hostNetwork: true, containers: [{ name: "app", image: "a:1" }] }), violations: 1, messages: ["The hostNetwork or hostPort are not allowed, pod: web | hostNetwork: true | policy allows: false"] },
    { name: "daemonset-template-exception", parameters: { allowHostNetwork: false }, object: workloadOf("DaemonSet", { hostNetwork: true, containers: [{ name: "app", image: "a:1" }] }, speLabel("net")), inventory: [spe("net", { network: { hostNetwork: { allowedValue: true } } })], violations: "no" },
    { name: "cronjob-template-host-port", parameters: { allowHostNetwork: false, ranges: [] }, object: workloadOf("CronJob", { containers: [{ name: "app", image: "a:1", ports: [{ containerPort: 80, hostPort: 8080 }] }] }), violations: 1, messages: ["pod: web | hostPort: 8080"] },
    { name: "not-a-workload", parameters: { allowHostNetwork: false }, object: { apiVersion: "v1", kind: "Service", metadata: { name: "svc", namespace: "app" }, spec: { hostNetwork: true } }, violations: "no" },
    { name: "host-network-allowed", parameters: { allowHostNetwork: true, ranges: [{ min: 80, max: 80 }] }, object: podWith(undefined, { hostNetwork: true }), violations: "no" },
    { name: "no-host-network", parameters: { allowHostNetwork: false }, object: podWith(undefined, { hostNetwork: false }), violations: "no" },
    { name: "host-port-outside", parameters: { allowHostNetwork: true, ranges: [{ min: 2000, max: 4000 }] }, object: withPort({ containerPort: 80, hostPort: 80 }), violations: 1, messages: ["| hostPort: 80 | policy allows: [{\"max\": 4000, \"min\": 2000}]"] },
    { name: "host-port-inside", parameters: { ranges: [{ min: 2000, max: 4000 }] }, object: withPort({ containerPort: 80, hostPort: 3000 }), violations: "no" },
    { name: "host-port-no-ranges", parameters: { allowHostNetwork: false }, object: withPort({ containerPort: 80, hostPort: 8080 }), violations: "no" },
    { name: "host-port-empty-ranges", parameters: { allowHostNetwork: false, ranges: [] }, object: withPort({ containerPort: 80, hostPort: 8080 }), violations: 1, messages: ["hostPort: 8080 | policy allows: []"] },
    { name: "init-port-no-ranges", parameters: { allowHostNetwork: true }, object: pod({ containers: [{ name: "app", image: "a:1" }], initContainers: [{ name: "init", image: "a:1", ports: [{ containerPort: 53, hostPort: 53 }] }] }), violations: "no" },
    { name: "container-port-under-host-network-no-ranges", parameters: { allowHostNetwork: true }, object: withPort({ containerPort: 80 }, { hostNetwork: true }), violations: "no" },
    { name: "container-port-only", parameters: { allowHostNetwork: false, ranges: [] }, object: withPort({ containerPort: 80 }), violations: "no" },
    { name: "container-port-under-host-network", parameters: { allowHostNetwork: true, ranges: [{ min: 2000, max: 4000 }] }, object: withPort({ containerPort: 80 }, { hostNetwork: true }), violations: 1, messages: ["hostPort: 80"] },
    { name: "known-range-zero", parameters: { allowHostNetwork: false, ranges: [{ min: 0, max: 0 }] }, object: withPort({ containerPort: 80, hostPort: 0 }), violations: "no" },
    {
      name: "init-container-port",
      parameters: { ranges: [{ min: 1, max: 10 }] },
      object: pod({ containers: [{ name: "app", image: "a:1" }], initContainers: [{ name: "init", image: "a:1", ports: [{ containerPort: 53, hostPort: 53 }] }] }),
      violations: 1,
    },
    { name: "spe-host-network", parameters: { allowHostNetwork: false }, object: podWith(undefined, { hostNetwork: true }, speLabel("net")), inventory: [spe("net", { network: { hostNetwork: { allowedValue: true } } })], violations: "no" },
    { name: "spe-false-narrows-allowing-policy", parameters: { allowHostNetwork: true, ranges: [{ min: 80, max: 80 }] }, object: podWith(undefined, { hostNetwork: true }, speLabel("nonet")), inventory: [spe("nonet", { network: { hostNetwork: { allowedValue: false } } })], violations: 1, messages: ["hostNetwork: true | policy allows: true | SPE allows: false"] },
    { name: "spe-false-without-host-network", parameters: { allowHostNetwork: true }, object: podWith(undefined, {}, speLabel("nonet")), inventory: [spe("nonet", { network: { hostNetwork: { allowedValue: false } } })], violations: "no" },
    { name: "spe-host-port", parameters: { ranges: [] }, object: withPort({ containerPort: 80, hostPort: 80 }, {}, speLabel("net")), inventory: [spe("net", { network: { hostPorts: [{ port: 80, protocol: "TCP" }] } })], violations: "no" },
    { name: "spe-host-port-protocol", parameters: { ranges: [] }, object: withPort({ containerPort: 80, hostPort: 80, protocol: "UDP" }, {}, speLabel("net")), inventory: [spe("net", { network: { hostPorts: [{ port: 80, protocol: "TCP" }] } })], violations: 1, messages: ["SPE allows:"] },
  ],
});
