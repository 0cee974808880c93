/**
 * The rule names Kyverno's auto-generation adds for a Pod rule: `autogen-<rule>` for the Pod
 * controllers (Deployment, DaemonSet, StatefulSet, Job, ReplicaSet, ...) and
 * `autogen-cronjob-<rule>` for CronJob, steered by the policy annotation
 * `pod-policies.kyverno.io/autogen-controllers` (`none` turns it off). Naming a generated rule that
 * Kyverno then does not create is harmless in an exception, so any rule whose kinds include Pod
 * gets the names; leaving one out would let the controller objects through unexempted.
 */

export const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";

function isPodKind(kind: string): boolean {
  // `Pod`, `v1/Pod`, `*/Pod` name Pods; `Pod/exec` is a subresource and is not auto-generated.
  const parts = kind.split("/");
  return parts[parts.length - 1] === "Pod" || kind === "*";
}

/** The rule names an exception must list for one rule. */
export function ruleNamesFor(rule: string, kinds: readonly string[], controllersAnnotation: string | undefined): string[] {
  const names = [rule];
  if (!kinds.some(isPodKind)) return names;
  const controllers = controllersAnnotation === undefined ? undefined : controllersAnnotation.split(",").map((s) => s.trim()).filter(Boolean);
  if (controllers && (controllers.length === 0 || controllers.some((c) => c.toLowerCase() === "none"))) return names;
  const cron = !controllers || controllers.includes("CronJob");
  const others = !controllers || controllers.some((c) => c !== "CronJob");
  if (others) names.push(`autogen-${rule}`);
  if (cron) names.push(`autogen-cronjob-${rule}`);
  return names;
}
