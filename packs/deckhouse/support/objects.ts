// Objects the pack's test cases are built from: a Pod in namespace `app`, its containers, and the
// SecurityPolicyExceptions the inventory carries.

type Obj = Record<string, unknown>;

/** A Pod named `pod` in namespace `app`. */
export function pod(spec: Obj, metadata: Obj = {}) {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "pod", namespace: "app", ...metadata }, spec };
}

/** A Pod with one container `app` whose securityContext is `sc`. */
export function podWith(sc: Obj | undefined, spec: Obj = {}, metadata: Obj = {}) {
  return pod({ containers: [{ name: "app", image: "registry.example.com/app:1.0", ...(sc ? { securityContext: sc } : {}) }], ...spec }, metadata);
}

/** A Pod whose init container `init` carries `sc` (and a harmless main container). */
export function podWithInit(sc: Obj) {
  return pod({
    initContainers: [{ name: "init", image: "registry.example.com/init:1.0", securityContext: sc }],
    containers: [{ name: "app", image: "registry.example.com/app:1.0" }],
  });
}

/** A Pod whose ephemeral container `debug` carries `sc`. */
export function podWithEphemeral(sc: Obj) {
  return pod({
    containers: [{ name: "app", image: "registry.example.com/app:1.0" }],
    ephemeralContainers: [{ name: "debug", image: "registry.example.com/debug:1.0", securityContext: sc }],
  });
}

/** Labels binding the whole Pod to exception `name`. */
export const speLabel = (name: string) => ({ labels: { "security.deckhouse.io/security-policy-exception": name } });

/** Labels binding container `container` to exception `name`. */
export const speContainerLabel = (container: string, name: string) => ({
  labels: { [`security.deckhouse.io/security-policy-exception.container.${container}`]: name },
});

/** The older container label form, `…/security-policy-exception/<container>`, that Deckhouse's own suites bind with. */
export const speSlashLabel = (container: string, name: string) => ({
  labels: { [`security.deckhouse.io/security-policy-exception/${container}`]: name },
});

/**
 * The AdmissionReview the API server sends for `object` (a core v1 kind on `pods`): a `CREATE` of a
 * Pod, or a `CONNECT` of `pods/exec` or `pods/attach` whose object is PodExecOptions or PodAttachOptions.
 */
export function podReview(request: { object: Obj & { kind: string }; name: string; namespace?: string; operation: "CREATE" | "CONNECT"; subResource?: string; userInfo: Obj }) {
  const { object, subResource, ...rest } = request;
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: "",
      kind: { group: "", version: "v1", kind: object.kind },
      resource: { group: "", version: "v1", resource: "pods" },
      ...(subResource ? { subResource } : {}),
      ...rest,
      object,
    },
  };
}

/** A SecurityPolicyException in namespace `app`, as Gatekeeper's inventory holds it. */
export function spe(name: string, spec: Obj) {
  return { apiVersion: "deckhouse.io/v1alpha1", kind: "SecurityPolicyException", metadata: { name, namespace: "app" }, spec };
}

/** A Pod in namespace `app` whose containers are `containers` (name and image only, plus `extra`). */
export function podOf(containers: Obj[], spec: Obj = {}) {
  return pod({ containers, ...spec });
}

/** An apps/v1 workload (`Deployment`, `DaemonSet`) named `web` in namespace `app`. */
export function workload(kind: string, spec: Obj) {
  return { apiVersion: "apps/v1", kind, metadata: { name: "web", namespace: "app" }, spec };
}

/** An object of any kind named `obj` in namespace `app`. */
export function object(apiVersion: string, kind: string, body: Obj, metadata: Obj = {}) {
  return { apiVersion, kind, metadata: { name: "obj", namespace: "app", ...metadata }, ...body };
}

/** A workload named `web` in namespace `app` whose pod template is `spec` (with template `metadata`): a Deployment, StatefulSet, ... or a CronJob. */
export function workloadOf(kind: string, spec: Obj, metadata: Obj = {}) {
  const template = { metadata, spec };
  if (kind === "CronJob") return { apiVersion: "batch/v1", kind, metadata: { name: "web", namespace: "app" }, spec: { schedule: "0 0 * * *", jobTemplate: { spec: { template } } } };
  const apiVersion = kind === "Job" ? "batch/v1" : kind === "ReplicationController" ? "v1" : "apps/v1";
  return { apiVersion, kind, metadata: { name: "web", namespace: "app" }, spec: { template } };
}
