/**
 * Long-running containers need probes, otherwise Kubernetes routes traffic to pods that are not
 * ready and never restarts hung ones. Rolled out in `warn` mode first.
 */
import { defineCheck, defineConstraint, rego } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export type ProbeName = "readinessProbe" | "livenessProbe" | "startupProbe";

export const requiredProbes = defineCheck<{
  /** Probes every container must define. */
  probes: ProbeName[];
}>({
  kind: "K8sRequiredProbes",
  title: "Required probes",
  description: "Every container must define the listed probes.",
  severity: "medium",
  rego: rego`
    package k8srequiredprobes

    violation[{"msg": msg}] {
      container := input.review.object.spec.containers[_]
      probe := input.parameters.probes[_]
      not has_probe(container, probe)
      msg := sprintf("container <%v> has no %v", [container.name, probe])
    }

    has_probe(container, probe) {
      p := container[probe]
      is_object(p)
      count(p) > 0
    }
  `,
  tests: [
    {
      name: "both-probes",
      parameters: { probes: ["readinessProbe", "livenessProbe"] },
      object: pod({ containers: [goodContainer()] }),
      violations: "no",
    },
    {
      name: "no-probes",
      parameters: { probes: ["readinessProbe", "livenessProbe"] },
      object: pod({ containers: [{ name: "app", image: "mycompany.registry.com/app:1.4.2" }] }),
      violations: 2,
      messages: ["container <app> has no readinessProbe", "container <app> has no livenessProbe"],
    },
    {
      name: "missing-liveness",
      parameters: { probes: ["readinessProbe", "livenessProbe"] },
      object: pod({ containers: [{ name: "app", image: "mycompany.registry.com/app:1.4.2", readinessProbe: { tcpSocket: { port: 8080 } } }] }),
      violations: 1,
    },
  ],
});

export const probesRequired = defineConstraint(requiredProbes, {
  name: "probes-required",
  enforcementAction: "warn",
  match: {
    kinds: [{ apiGroups: [""], kinds: ["Pod"] }],
    excludedNamespaces: ["*-jobs"],
  },
  parameters: { probes: ["readinessProbe", "livenessProbe"] },
});
