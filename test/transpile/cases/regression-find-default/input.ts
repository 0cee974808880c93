import { defineCheck, type Pod, type Container } from "policyc";

function tagOf(image: string): string {
  const parts = image.split(":");
  if (parts.length < 2) return "latest";
  return parts[parts.length - 1] ?? "";
}

function isSidecar(c: Container): boolean {
  return c.name.startsWith("sidecar") || (c.env ?? []).some((e) => e.name === "SIDECAR");
}

export const dd = defineCheck<{ tags: string[]; verbose: boolean }, Pod>({
  kind: "TRegressionFindDefault",
  description: "Regression: constructs the differential tests once caught mis-compiled.",
  violation(review, params, report) {
    const containers = review.object.spec?.containers ?? [];
    const mains = containers.filter((c) => !isSidecar(c));
    if (!mains.length) report(`no main container among ${containers.length}`);
    const firstTagged = containers.find((c) => c.image !== undefined && c.image.includes(":"));
    const name = firstTagged?.name ?? "none";
    if (params.verbose) report(`first tagged: ${name}, verbose=${params.verbose}, count=${mains.length}`);
    for (const c of mains) {
      const tag = tagOf(c.image ?? "");
      if (params.tags.includes(tag)) report(`${c.name}: tag ${tag} ${tag === "latest" ? "(implicit or explicit)" : "is disallowed"}`);
      if ((c.volumeMounts ?? []).every((m) => m.readOnly === true) && (c.volumeMounts ?? []).length > 0) report(`${c.name}: all mounts read-only`);
      const ports = (c.ports ?? []).map((p) => p.containerPort).filter((n) => n < 1024);
      if (ports.length > 0) report(`${c.name}: privileged ports ${ports.map((n) => `${n}`).join(" ")}`);
    }
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "x", image: "a:latest", ports: [{ containerPort: 80 }] }, { name: "sidecar-1", image: "b" }] } }, parameters: { tags: ["latest"], verbose: true }, violations: "yes" },
  ],
});
