/**
 * Finds `policyc.config.ts` (from the cwd upwards, or `--config`) and turns its default export into
 * the normalized `ConfigIR` with every default filled in.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { diag, type Diagnostic } from "../diagnostics/index.js";
import type { ConfigIR, Origin } from "../ir/ir.js";
import { D } from "../ir/diagnostics.js";
import { normalizeKyvernoConfig } from "../emit/kyverno/config.js";

export const CONFIG_FILE = "policyc.config.ts";

export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    // A folder given as --config means the config file in it.
    const given = path.resolve(cwd, explicit);
    const p = existsSync(given) && statSync(given).isDirectory() ? path.join(given, CONFIG_FILE) : given;
    return existsSync(p) ? p : undefined;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const p = path.join(dir, CONFIG_FILE);
    if (existsSync(p)) return p;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const KNOWN = new Set([
  "include",
  "exclude",
  "outDir",
  "regoVersion",
  "cel",
  "exemptNamespaces",
  "argocd",
  "podSecurity",
  "deckhouse",
  "kubeconformSchemas",
  "kyverno",
  "docs",
  "timeout",
  "strict",
  "expansion",
  "validatingAdmissionPolicy",
]);

/** Validates the raw default export and fills defaults; problems are reported at the config file. */
export function normalizeConfig(raw: unknown, file: string, diagnostics: Diagnostic[]): ConfigIR {
  const at: Origin = { file, line: 1, col: 1 };
  const bad = (msg: string) => diagnostics.push(diag(D.configInvalid, [msg], at));
  const c = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null) bad("the config must `export default defineConfig({ ... })`");
  for (const key of Object.keys(c).sort()) if (!KNOWN.has(key)) bad(`unknown option \`${key}\``);
  const strings = (key: string, def: string[]): string[] => {
    const v = c[key];
    if (v === undefined) return def;
    if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v as string[];
    bad(`\`${key}\` must be an array of strings`);
    return def;
  };
  const outDir = c.outDir ?? "generated";
  if (typeof outDir !== "string" || outDir === "") bad("`outDir` must be a non-empty string");
  const regoVersion = c.regoVersion ?? "v0";
  if (regoVersion !== "v0" && regoVersion !== "v1") bad("`regoVersion` must be \"v0\" or \"v1\"");
  const argo = c.argocd ?? true;
  const argoObj = typeof argo === "object" && argo !== null ? (argo as Record<string, unknown>) : {};
  const wave = (v: unknown, d: number) => (typeof v === "number" && Number.isInteger(v) ? v : d);
  const pss = (c.podSecurity ?? {}) as Record<string, unknown>;
  const defaultPolicy = pss.defaultPolicy ?? "Privileged";
  if (!["Privileged", "Baseline", "Restricted"].includes(defaultPolicy as string)) {
    bad("`podSecurity.defaultPolicy` must be Privileged, Baseline or Restricted");
  }
  const pssAction = pss.enforcementAction ?? "Deny";
  if (!["Deny", "Warn", "Dryrun"].includes(pssAction as string)) bad("`podSecurity.enforcementAction` must be Deny, Warn or Dryrun");
  const ranges = pss.knownHostPortRanges ?? [];
  const rangesOk = Array.isArray(ranges) && ranges.every((r) => typeof r === "object" && r !== null && Number.isInteger((r as { min?: unknown }).min) && Number.isInteger((r as { max?: unknown }).max));
  if (!rangesOk) bad("`podSecurity.knownHostPortRanges` must be a list of { min, max } integer port ranges");
  if (pss.controllerValidation !== undefined && typeof pss.controllerValidation !== "boolean") bad("`podSecurity.controllerValidation` must be true or false");
  const dh = (c.deckhouse ?? {}) as Record<string, unknown>;
  const editions = ["CE", "BE", "SE", "SE-plus", "EE", "FE", "CSE"];
  if (dh.edition !== undefined && !editions.includes(dh.edition as string)) bad(`\`deckhouse.edition\` must be one of ${editions.join(", ")}`);
  if (dh.policyPack !== undefined && typeof dh.policyPack !== "boolean") bad("`deckhouse.policyPack` must be true or false");
  if (c.docs !== undefined && typeof c.docs !== "boolean") bad("`docs` must be true or false");
  const timeout = c.timeout ?? 60;
  const timeoutOk = typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0;
  if (!timeoutOk) bad("`timeout` must be a positive number of seconds");
  if (c.strict !== undefined && typeof c.strict !== "boolean") bad("`strict` must be true or false");
  if (c.cel !== undefined && typeof c.cel !== "boolean") bad("`cel` must be true or false");
  for (const ns of strings("exemptNamespaces", [])) {
    if (!/^\*?[-:a-z0-9]*\*?$/.test(ns)) bad(`exemptNamespaces: \`${ns}\` is not a Gatekeeper namespace glob (a \`*\` only at the start or end)`);
  }
  const expansion = normalizeExpansion(c.expansion, bad);
  const vap = normalizeValidatingAdmissionPolicy(c.validatingAdmissionPolicy, bad);
  return {
    file,
    include: strings("include", ["policies/**/*.ts"]),
    exclude: strings("exclude", ["**/*.test.ts", "**/*.d.ts"]),
    outDir: typeof outDir === "string" && outDir ? outDir : "generated",
    regoVersion: regoVersion === "v1" ? "v1" : "v0",
    exemptNamespaces: strings("exemptNamespaces", ["kube-system", "d8-*"]),
    argocd: {
      enabled: argo !== false,
      templatesWave: wave(argoObj.templatesWave, 0),
      constraintsWave: wave(argoObj.constraintsWave, 1),
    },
    podSecurityDefault: (["Privileged", "Baseline", "Restricted"].includes(defaultPolicy as string)
      ? defaultPolicy
      : "Privileged") as ConfigIR["podSecurityDefault"],
    deckhouse: {
      podSecurityAction: (["Deny", "Warn", "Dryrun"].includes(pssAction as string) ? (pssAction as string).toLowerCase() : "deny") as ConfigIR["deckhouse"]["podSecurityAction"],
      knownHostPortRanges: rangesOk ? (ranges as { min: number; max: number }[]).map((r) => ({ min: r.min, max: r.max })) : [],
      ...(pss.controllerValidation === true ? { controllerValidation: true } : {}),
      ...(editions.includes(dh.edition as string) ? { edition: dh.edition as NonNullable<ConfigIR["deckhouse"]["edition"]> } : {}),
      ...(dh.policyPack === true ? { policyPack: true } : {}),
    },
    kubeconformSchemas: c.kubeconformSchemas !== false,
    docs: c.docs === true,
    timeoutSeconds: timeoutOk ? (timeout as number) : 60,
    strict: c.strict === true,
    ...(c.cel === false ? { cel: false } : {}),
    kyverno: normalizeKyvernoConfig(c.kyverno, bad),
    ...(expansion ? { expansion } : {}),
    ...(vap ? { validatingAdmissionPolicy: vap } : {}),
  };
}

/** `validatingAdmissionPolicy: true | { parameters?, failurePolicy? }`; false/absent → none. */
function normalizeValidatingAdmissionPolicy(v: unknown, bad: (msg: string) => void): ConfigIR["validatingAdmissionPolicy"] {
  if (v === undefined || v === false) return undefined;
  const out: NonNullable<ConfigIR["validatingAdmissionPolicy"]> = { parameters: "constraint", failurePolicy: "Fail" };
  if (v === true) return out;
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    bad("`validatingAdmissionPolicy` must be true, false or `{ parameters?, failurePolicy? }`");
    return undefined;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o).sort()) if (k !== "parameters" && k !== "failurePolicy") bad(`unknown option \`validatingAdmissionPolicy.${k}\` (expected \`parameters\` or \`failurePolicy\`)`);
  if (o.parameters !== undefined) {
    if (o.parameters === "constraint" || o.parameters === "inline") out.parameters = o.parameters;
    else bad('`validatingAdmissionPolicy.parameters` must be "constraint" (paramKind + paramRef to the Constraint) or "inline"');
  }
  if (o.failurePolicy !== undefined) {
    if (o.failurePolicy === "Fail" || o.failurePolicy === "Ignore") out.failurePolicy = o.failurePolicy;
    else bad('`validatingAdmissionPolicy.failurePolicy` must be "Fail" or "Ignore"');
  }
  return out;
}

const WORKLOADS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"];

/** `expansion: true | { workloads?, enforcementAction? }` → the templates to emit; false/absent → none. */
function normalizeExpansion(v: unknown, bad: (msg: string) => void): ConfigIR["expansion"] {
  if (v === undefined || v === false) return undefined;
  if (v === true) return { workloads: [...WORKLOADS] };
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    bad("`expansion` must be true, false or `{ workloads?, enforcementAction? }`");
    return undefined;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o).sort()) if (k !== "workloads" && k !== "enforcementAction") bad(`unknown option \`expansion.${k}\` (expected \`workloads\` or \`enforcementAction\`)`);
  let workloads = [...WORKLOADS];
  if (o.workloads !== undefined) {
    if (!Array.isArray(o.workloads) || o.workloads.length === 0) bad("`expansion.workloads` must be a non-empty array of workload kinds");
    else {
      for (const w of o.workloads) if (!WORKLOADS.includes(w as string)) bad(`\`expansion.workloads\`: \`${String(w)}\` is not one of ${WORKLOADS.join(", ")}`);
      workloads = WORKLOADS.filter((w) => (o.workloads as unknown[]).includes(w));
    }
  }
  const out: NonNullable<ConfigIR["expansion"]> = { workloads };
  if (o.enforcementAction !== undefined) {
    if (o.enforcementAction === "deny" || o.enforcementAction === "warn" || o.enforcementAction === "dryrun") out.enforcementAction = o.enforcementAction;
    else bad("`expansion.enforcementAction` must be \"deny\", \"warn\" or \"dryrun\"");
  }
  return out;
}
