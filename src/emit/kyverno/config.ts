/**
 * The `kyverno` section of policyc.config.ts: where exceptions go, which namespaces they exempt,
 * where to find the repo's Kyverno policies, and whether to emit `resourceFilters` entries.
 */
export type { KyvernoConfig } from "../../api/kyverno/types.js";

export interface KyvernoConfigIR {
  exceptionNamespace: string;
  /** Undefined: use the config's `exemptNamespaces`. */
  exemptNamespaces?: string[];
  policyDirs: string[];
  resourceFilters: boolean;
}

export const DEFAULT_EXCEPTION_NAMESPACE = "kyverno";

/** Normalizes the raw `kyverno` option; `bad(msg)` reports a problem at the config file. */
export function normalizeKyvernoConfig(raw: unknown, bad: (msg: string) => void): KyvernoConfigIR {
  const out: KyvernoConfigIR = { exceptionNamespace: DEFAULT_EXCEPTION_NAMESPACE, policyDirs: [], resourceFilters: false };
  if (raw === undefined) return out;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    bad("`kyverno` must be an object");
    return out;
  }
  const c = raw as Record<string, unknown>;
  for (const k of Object.keys(c).sort()) {
    if (!["exceptionNamespace", "exemptNamespaces", "policyDir", "resourceFilters"].includes(k)) bad(`unknown option \`kyverno.${k}\``);
  }
  if (c.exceptionNamespace !== undefined) {
    if (typeof c.exceptionNamespace === "string" && (c.exceptionNamespace === "*" || /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.exceptionNamespace))) out.exceptionNamespace = c.exceptionNamespace;
    else bad("`kyverno.exceptionNamespace` must be a namespace name");
  }
  if (c.exemptNamespaces !== undefined) {
    if (Array.isArray(c.exemptNamespaces) && c.exemptNamespaces.every((s) => typeof s === "string")) out.exemptNamespaces = c.exemptNamespaces as string[];
    else bad("`kyverno.exemptNamespaces` must be an array of strings");
  }
  if (c.policyDir !== undefined) {
    const dirs = typeof c.policyDir === "string" ? [c.policyDir] : c.policyDir;
    if (Array.isArray(dirs) && dirs.every((s) => typeof s === "string" && s !== "")) out.policyDirs = dirs as string[];
    else bad("`kyverno.policyDir` must be a folder or a list of folders");
  }
  if (c.resourceFilters !== undefined) {
    if (typeof c.resourceFilters === "boolean") out.resourceFilters = c.resourceFilters;
    else bad("`kyverno.resourceFilters` must be true or false");
  }
  return out;
}
