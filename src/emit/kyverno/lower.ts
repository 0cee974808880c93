/**
 * Front-end hooks for Kyverno exceptions: the lowering of `kyvernoPolicy()` declarations, and the
 * step after all lowerings that discovers the policies in `kyverno.policyDir`, merges them with the
 * declared ones and adds one PolicyException `ResourceIR` per policy — so exceptions are written,
 * validated and listed in the kustomization like every other manifest.
 */
import type { Definition } from "../../api/definition.js";
import type { KyvernoPolicyDecl } from "../../api/kyverno/types.js";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC6 } from "../../api/deckhouse/diagnostics.js";
import type { ConfigIR, Origin, ProjectIR, ResourceIR } from "../../ir/ir.js";
import { DEFAULT_EXCEPTION_NAMESPACE, type KyvernoConfigIR } from "./config.js";
import { discoverPolicies, type KyvernoPolicyInfo } from "./discover.js";
import { exceptionFor, isNamespacePattern } from "./exceptions.js";

interface Located {
  origin: Origin;
  fields: Record<string, Origin>;
}

const declared = new WeakMap<ProjectIR, KyvernoPolicyInfo[]>();

/** The Kyverno section of a config, with defaults when the config predates it. */
export function kyvernoConfigOf(config: ConfigIR): KyvernoConfigIR {
  const k = (config as { kyverno?: KyvernoConfigIR }).kyverno;
  return k ?? { exceptionNamespace: DEFAULT_EXCEPTION_NAMESPACE, policyDirs: [], resourceFilters: false };
}

/** The namespaces exceptions exempt: `kyverno.exemptNamespaces`, else the config's `exemptNamespaces`. */
export function exemptNamespacesOf(config: ConfigIR): string[] {
  return kyvernoConfigOf(config).exemptNamespaces ?? config.exemptNamespaces;
}

/** Lowering of a `kyvernoPolicy()` declaration (definition kind `kyverno-policy`). */
export function lowerKyvernoPolicy(def: Definition, ctx: { project: ProjectIR; report(d: Diagnostic): void }, at: Located): void {
  const decl = (def as Definition & { policy: KyvernoPolicyDecl }).policy;
  const kind = decl.kind ?? "ClusterPolicy";
  const list = declared.get(ctx.project) ?? [];
  declared.set(ctx.project, list);
  if (!decl.rules || decl.rules.length === 0) {
    ctx.report(diag(PC6.kyvernoNoRules, [kind, decl.name], at.fields["rules"] ?? at.origin));
    return;
  }
  const info: KyvernoPolicyInfo = {
    kind,
    name: decl.name,
    rules: decl.rules.map((r) => (typeof r === "string" ? { name: r, kinds: ["Pod"] } : { name: r.name, kinds: r.kinds ?? ["Pod"] })),
    origin: at.origin,
  };
  if (kind === "Policy") {
    if (!decl.namespace) {
      ctx.report(diag(PC6.schema, [`kyvernoPolicy \`${decl.name}\``, "a namespaced Kyverno `Policy` needs `namespace`"], at.origin));
      return;
    }
    info.namespace = decl.namespace;
  }
  if (decl.autogenControllers !== undefined) info.autogenControllers = decl.autogenControllers;
  list.push(info);
}

function merge(into: KyvernoPolicyInfo, from: KyvernoPolicyInfo): void {
  for (const r of from.rules) if (!into.rules.some((x) => x.name === r.name)) into.rules.push(r);
}

/**
 * Runs after every definition is lowered: discovers folder policies, adds their exceptions to
 * `project.resources`, and checks DSL-written PolicyExceptions against the exception namespace.
 */
export function finishKyverno(ctx: { root: string; config: ConfigIR; project: ProjectIR; report(d: Diagnostic): void }): void {
  const cfg = kyvernoConfigOf(ctx.config);
  const configAt: Origin = { file: ctx.config.file, line: 1, col: 1 };
  const exempt = exemptNamespacesOf(ctx.config);
  for (const ns of exempt) if (!isNamespacePattern(ns)) ctx.report(diag(PC6.kyvernoBadNamespacePattern, [ns], configAt));

  for (const r of ctx.project.resources) {
    if (r.apiVersion.startsWith("kyverno.io/") && r.kind === "PolicyException" && cfg.exceptionNamespace !== "*" && r.namespace !== cfg.exceptionNamespace) {
      ctx.report(diag(PC6.kyvernoNamespace, [r.namespace ?? "", cfg.exceptionNamespace], r.fields["namespace"] ?? r.origin));
    }
  }

  const found = discoverPolicies(ctx.root, cfg.policyDirs, ctx.config.file);
  for (const d of found.diagnostics) ctx.report(d);
  const byKey = new Map<string, KyvernoPolicyInfo>();
  for (const p of [...(declared.get(ctx.project) ?? []), ...found.policies]) {
    const key = `${p.kind}/${p.namespace ?? ""}/${p.name}`;
    const prev = byKey.get(key);
    if (prev) merge(prev, p);
    else byKey.set(key, { ...p, rules: [...p.rules] });
  }
  const policies = [...byKey.values()].sort((a, b) => (a.namespace ?? "").localeCompare(b.namespace ?? "") || a.name.localeCompare(b.name));
  if (policies.length === 0) return;
  const namespace = cfg.exceptionNamespace === "*" ? DEFAULT_EXCEPTION_NAMESPACE : cfg.exceptionNamespace;
  for (const p of policies) {
    const object = exceptionFor(p, namespace, exempt);
    const res: ResourceIR = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      object: object as unknown as Record<string, unknown>,
      schema: "kyverno/policyexception.json",
      origin: p.origin,
      fields: {},
    };
    if (ctx.project.resources.some((x) => x.kind === res.kind && x.namespace === res.namespace && x.name === res.name)) {
      ctx.report(diag(PC6.duplicate, ["PolicyException", `${res.namespace}/${res.name}`], p.origin));
      continue;
    }
    ctx.project.resources.push(res);
  }
}
