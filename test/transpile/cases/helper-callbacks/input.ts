import { defineCheck, type Container, type Pod } from "policyc";

function nameOf(c: Container): string {
  return c.name.toLowerCase();
}

function privileged(c: Container): boolean {
  if (c.securityContext?.privileged === true) return true;
  if (c.securityContext?.allowPrivilegeEscalation === false) return false;
  return (c.securityContext?.capabilities?.add ?? []).includes("SYS_ADMIN");
}

function describeUser(uid: number): string {
  if (uid === 0) return "root";
  if (uid < 1000) return `system user ${uid}`;
  return `user ${uid}`;
}

export const hh = defineCheck<{ allowPrivileged: string[] }, Pod>({
  kind: "THelperCallbacks",
  description: "Helper functions passed as callbacks and used as values (if/return chains, boolean and string results).",
  violation(review, params, report) {
    const cs = review.object.spec?.containers ?? [];
    const names = cs.map(nameOf);
    if (cs.some(privileged)) report(`privileged among ${names.join(",")}`);
    for (const c of cs) {
      const isPriv = privileged(c);
      if (isPriv && !params.allowPrivileged.includes(c.name)) report(`${c.name} is privileged`);
      const uid = c.securityContext?.runAsUser;
      if (uid !== undefined) report(`${c.name} runs as ${describeUser(uid)}`);
    }
  },
  tests: [
    { name: "a", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "C", securityContext: { privileged: true, runAsUser: 5 } }] } }, parameters: { allowPrivileged: [] }, violations: "yes" },
  ],
});
