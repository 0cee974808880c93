/**
 * No host network or host ports outside approved ranges: a pod on the host network bypasses
 * NetworkPolicies. Bound to the Deckhouse baseline standard (which also covers restricted namespaces).
 */
import { defineCheck, defineConstraint, rego, type Integer } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export interface PortRange {
  /** @minimum 1 @maximum 65535 */
  min: Integer;
  /** @minimum 1 @maximum 65535 */
  max: Integer;
}

export const hostNetwork = defineCheck<{
  /** Whether pods may set hostNetwork: true. */
  allowHostNetwork: boolean;
  /** Host port ranges that remain allowed. */
  ranges?: PortRange[];
}>({
  kind: "K8sHostNetworkingPorts",
  title: "Host network and ports",
  description: "Pods must not use the host network, and host ports must lie in an allowed range.",
  severity: "high",
  rego: rego`
    package k8shostnetworkingports

    violation[{"msg": msg}] {
      input.review.object.spec.hostNetwork
      not input.parameters.allowHostNetwork
      msg := sprintf("pod <%v> uses the host network", [input.review.object.metadata.name])
    }

    violation[{"msg": msg}] {
      container := input.review.object.spec.containers[_]
      port := container.ports[_].hostPort
      not port_allowed(port)
      msg := sprintf("container <%v> uses host port %v outside the allowed ranges", [container.name, port])
    }

    port_allowed(port) {
      r := input.parameters.ranges[_]
      port >= r.min
      port <= r.max
    }
  `,
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
