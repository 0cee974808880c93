import { defineCheck, type Container, type Pod } from "policyc";

const DEBUG = /^(debug|tmp)-/i;
const DIGEST = /@sha256:[0-9a-f]{8,}$/;

function pinned(c: Container): boolean {
  if (c.image === undefined) return false;
  return DIGEST.test(c.image);
}

function label(c: Container): string {
  if (c.securityContext?.privileged === true) return `${c.name} (privileged)`;
  return c.name;
}

function readOnly(c: Container): boolean {
  return c.securityContext?.readOnlyRootFilesystem === true;
}

export const callbacks = defineCheck<{ required: string[]; sidecar: string }, Pod>({
  kind: "TCelCallbacks",
  description: "Callbacks given by name, .find, a RegExp held in a const and .concat of an element: the forms CEL keeps.",
  violation(review, params, report) {
    const containers = review.object.spec?.containers ?? [];
    if (!containers.every(pinned)) report(`not pinned: ${containers.filter((c) => !pinned(c)).map(label).join(", ")}`);
    if (containers.some(readOnly) && !containers.every(readOnly)) report("read-only root filesystems are mixed");
    const debug = containers.find((c) => DEBUG.test(c.name));
    if (debug !== undefined) report(`debug container ${debug.name} (image ${debug.image ?? "none"})`);
    const names = containers.map((c) => c.name).concat(params.sidecar);
    for (const r of params.required) {
      if (!names.includes(r)) report(`missing ${r} among ${names.join("/")}`);
    }
    for (const c of containers) {
      const port = (c.ports ?? []).find((p) => p.containerPort < 1024 && p.name !== c.name);
      if (port) report(`${label(c)}: privileged port ${port.containerPort}`);
    }
  },
  tests: [
    {
      name: "clean",
      parameters: { required: ["app"], sidecar: "proxy" },
      object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "app", image: "r/app@sha256:0123456789abcdef" }] } },
      violations: "no",
    },
    {
      name: "everything",
      parameters: { required: ["app", "proxy", "db"], sidecar: "proxy" },
      object: {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "p" },
        spec: {
          containers: [
            { name: "DEBUG-shell", image: "busybox", securityContext: { privileged: true, readOnlyRootFilesystem: true }, ports: [{ containerPort: 80 }] },
            { name: "app", image: "r/app@sha256:0123456789abcdef" },
          ],
        },
      },
      violations: 5,
      messages: ["not pinned: DEBUG-shell (privileged)", "read-only root filesystems are mixed", "debug container DEBUG-shell (image busybox)", "missing db among DEBUG-shell/app/proxy", "DEBUG-shell (privileged): privileged port 80"],
    },
  ],
});
