// A SecurityPolicyException: Pods in `monitoring` labelled
// `security.deckhouse.io/security-policy-exception: node-exporter` may use the host network and
// PID namespace, mount /proc and /sys read-only, and listen on host port 9100.
import { securityPolicyException } from "policyc";

export const nodeExporter = securityPolicyException({
  name: "node-exporter",
  namespace: "monitoring",
  network: {
    hostNetwork: { allowedValue: true, metadata: { description: "scrapes node metrics" } },
    hostPID: { allowedValue: true },
    hostPorts: [{ port: 9100, protocol: "TCP", metadata: { description: "metrics endpoint" } }],
  },
  volumes: {
    types: { allowedValues: ["hostPath", "configMap", "projected"] },
    hostPath: {
      allowedValues: [
        { path: "/proc", readOnly: true },
        { path: "/sys", readOnly: true },
      ],
    },
  },
  securityContext: {
    readOnlyRootFilesystem: { allowedValue: false, metadata: { description: "writes a textfile collector cache" } },
  },
});
