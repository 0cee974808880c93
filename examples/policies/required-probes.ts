/**
 * Long-running containers need probes, otherwise Kubernetes routes traffic to pods that are not
 * ready and never restarts hung ones. Rolled out in `warn` mode first.
 */
import { defineCheck, defineConstraint, type Container, type Pod } from "policyc";
import { goodContainer, pod } from "./support/objects.js";

export type ProbeName = "readinessProbe" | "livenessProbe" | "startupProbe";

/** A probe counts when it is set and not empty (`{}` probes nothing). */
function hasProbe(container: Container, probe: ProbeName): boolean {
  const p = container[probe];
  return p !== undefined && Object.keys(p).length > 0;
}

export const requiredProbes = defineCheck<{
  /** Probes every container must define. */
  probes: ProbeName[];
}, Pod>({
  kind: "K8sRequiredProbes",
  title: "Required probes",
  description: "Every container must define the listed probes.",
  severity: "medium",
  violation(review, params, report) {
    for (const container of review.object.spec?.containers ?? []) {
      for (const probe of params.probes) {
        if (!hasProbe(container, probe)) report(`container <${container.name}> has no ${probe}`);
      }
    }
  },
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
      // CEL reports the container once, listing both probes.
      cel: { violations: 1, messages: ["container <app> has no readinessProbe, container <app> has no livenessProbe"] },
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
