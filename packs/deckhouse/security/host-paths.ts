/** D8AllowedHostPaths: rendered from SecurityPolicy `allowedHostPaths` and by the baseline PSS (`[]`: no hostPath at all). */
import { defineCheck, regoFile } from "policyc";
import { pod, spe, speLabel } from "../support/objects.js";

/** A hostPath prefix Pods may mount. */
export interface AllowedHostPath {
  /** Path prefix, matched per path segment (`/foo` allows `/foo/bar`, not `/foobar`); a trailing `/` is ignored. */
  pathPrefix: string;
  /** When true, every mount of such a volume must be read-only. */
  readOnly?: boolean;
}

const withHostPath = (path: string, readOnly?: boolean, metadata: Record<string, unknown> = {}) =>
  pod(
    {
      containers: [{ name: "app", image: "a:1", volumeMounts: [{ name: "host", mountPath: "/host", ...(readOnly === undefined ? {} : { readOnly }) }] }],
      volumes: [{ name: "host", hostPath: { path } }],
    },
    metadata,
  );

export const allowedHostPaths = defineCheck<{
  /** hostPath prefixes Pods may mount; `[]` forbids every hostPath volume. */
  allowedHostPaths?: AllowedHostPath[];
}>({
  kind: "D8AllowedHostPaths",
  title: "hostPath volumes",
  description: "hostPath volumes must lie under an allowed prefix (per path segment), mounted read-only where the prefix requires it.",
  rego: regoFile("./host-paths.rego"),
  libs: [regoFile("../lib/deckhouse.rego")],
  tests: [
    { name: "none-allowed", parameters: { allowedHostPaths: [] }, object: withHostPath("/var/log"), violations: 1, messages: ["HostPath volume is not allowed, pod: pod. | hostPath: /var/log"] },
    { name: "prefix", parameters: { allowedHostPaths: [{ pathPrefix: "/var/log" }] }, object: withHostPath("/var/log/app"), violations: "no" },
    { name: "exact-with-slash", parameters: { allowedHostPaths: [{ pathPrefix: "/var/log/" }] }, object: withHostPath("/var/log/"), violations: "no" },
    { name: "not-segment", parameters: { allowedHostPaths: [{ pathPrefix: "/var/log" }] }, object: withHostPath("/var/logs"), violations: 1 },
    { name: "root-prefix", parameters: { allowedHostPaths: [{ pathPrefix: "/" }] }, object: withHostPath("/etc"), violations: "no" },
    { name: "read-only-required", parameters: { allowedHostPaths: [{ pathPrefix: "/data", readOnly: true }] }, object: withHostPath("/data/x", false), violations: 1 },
    { name: "read-only-given", parameters: { allowedHostPaths: [{ pathPrefix: "/data", readOnly: true }] }, object: withHostPath("/data/x", true), violations: "no" },
    { name: "no-host-path", parameters: { allowedHostPaths: [] }, object: pod({ containers: [{ name: "app", image: "a:1" }], volumes: [{ name: "tmp", emptyDir: {} }] }), violations: "no" },
    { name: "spe-match", parameters: { allowedHostPaths: [] }, object: withHostPath("/var/run/x.sock", false, speLabel("hp")), inventory: [spe("hp", { volumes: { hostPath: { allowedValues: [{ path: "/var/run/x.sock", readOnly: false }] } } })], violations: "no" },
    { name: "spe-read-write-entry-read-only-mount", parameters: { allowedHostPaths: [] }, object: withHostPath("/var/run/x.sock", true, speLabel("hp")), inventory: [spe("hp", { volumes: { hostPath: { allowedValues: [{ path: "/var/run/x.sock", readOnly: false }] } } })], violations: 1, messages: ["hostPath: /var/run/x.sock, readOnly: true | policy allows: [] | SPE allows:"] },
    { name: "spe-read-only-entry-read-only-mount", parameters: { allowedHostPaths: [] }, object: withHostPath("/var/run/x.sock", true, speLabel("hp")), inventory: [spe("hp", { volumes: { hostPath: { allowedValues: [{ path: "/var/run/x.sock", readOnly: true }] } } })], violations: "no" },
    { name: "spe-read-only", parameters: { allowedHostPaths: [] }, object: withHostPath("/var/run/x.sock", false, speLabel("hp")), inventory: [spe("hp", { volumes: { hostPath: { allowedValues: [{ path: "/var/run/x.sock", readOnly: true }] } } })], violations: 1, messages: ["SPE allows:"] },
  ],
});
