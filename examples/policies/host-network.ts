/**
 * No host network or host ports outside approved ranges: a pod on the host network bypasses
 * NetworkPolicies. Bound to the Deckhouse baseline standard (which also covers restricted namespaces).
 */
import { defineCheck, defineConstraint, type Integer, type Pod } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export interface PortRange {
  /** @minimum 1 @maximum 65535 */
  min: Integer;
  /** @minimum 1 @maximum 65535 */
  max: Integer;
}

export interface HostNetworkParams {
  /** Whether pods may set hostNetwork: true. */
  allowHostNetwork: boolean;
  /** Host port ranges that remain allowed. */
  ranges?: PortRange[];
}

export const hostNetwork = defineCheck<HostNetworkParams, Pod>({
  kind: "K8sHostNetworkingPorts",
  title: "Host network and ports",
  description: "Pods must not use the host network, and host ports must lie in an allowed range.",
  severity: "high",
  violation(review, params, report) {
    const pod = review.object;
    if (pod.spec?.hostNetwork && !params.allowHostNetwork) {
      report(`pod <${pod.metadata?.name ?? ""}> uses the host network`);
    }
    for (const container of pod.spec?.containers ?? []) {
      for (const port of container.ports ?? []) {
        const hostPort = port.hostPort;
        if (hostPort === undefined) continue;
        if (!(params.ranges ?? []).some((r) => hostPort >= r.min && hostPort <= r.max)) {
          report(`container <${container.name}> uses host port ${hostPort} outside the allowed ranges`);
        }
      }
    }
  },
  tests: [
    {
      name: "pod-network",
      parameters: { allowHostNetwork: false },
      object: pod({ containers: [goodContainer()] }),
      violations: "no",
    },
    {
      name: "host-network",
      parameters: { allowHostNetwork: false },
      object: pod({ containers: [goodContainer()], hostNetwork: true }),
      violations: 1,
      messages: ["uses the host network"],
    },
    {
      name: "host-port-in-range",
      parameters: { allowHostNetwork: false, ranges: [{ min: 30000, max: 32767 }] },
      object: pod({ containers: [goodContainer({ ports: [{ containerPort: 8080, hostPort: 30080 }] })] }),
      violations: "no",
    },
    {
      name: "host-port-out-of-range",
      parameters: { allowHostNetwork: false, ranges: [{ min: 30000, max: 32767 }] },
      object: pod({ containers: [goodContainer({ ports: [{ containerPort: 8080, hostPort: 80 }] })] }),
      violations: 1,
      messages: ["uses host port 80"],
    },
  ],
});

export const noHostNetwork = defineConstraint(hostNetwork, {
  name: "no-host-network",
  podSecurity: "baseline",
  parameters: { allowHostNetwork: false, ranges: [{ min: 30000, max: 32767 }] },
});
