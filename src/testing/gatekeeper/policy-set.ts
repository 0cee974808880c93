/**
 * The policy set an admission check evaluates, and the seam every source of policies plugs into.
 *
 * A `PolicySet` is what a Gatekeeper installation holds: ConstraintTemplates, Constraints,
 * mutators (Assign, AssignMetadata, ModifySet, AssignImage), ExpansionTemplates and the `Config`
 * (exempt namespaces, synced kinds). Sources produce plain Kubernetes objects with their origin and
 * hand them to `policySetFromObjects`, which classifies, reads and validates them the way the
 * constraint framework does; nothing downstream knows where a policy came from:
 *   - the project, compiled in memory from policyc.config.ts (`src/testing/check/sources.ts`);
 *   - a folder of Gatekeeper YAML (`--policies DIR`: a GitOps repo's generated/, a cluster export);
 *   - policy objects found among the checked inputs (gator's `-f policies/ -f app/` style);
 *   - renderers (`policyRenderers` below) that turn other policy kinds into templates and
 *     constraints before classification (Deckhouse SecurityPolicy/OperationPolicy/PSS).
 * Mutation and expansion engines read `mutators` / `expansionTemplates` as objects with origins.
 */
import { diag, type Diagnostic, type Span } from "../../diagnostics/index.js";
import { PC41 } from "../diagnostics.js";
import { readConstraint, validateConstraint, type ConstraintInfo } from "./constraint.js";
import { gvkOf, isObject, nameOf, type KubeObject } from "./objects.js";
import { isConstraintTemplate, readTemplate, TemplateError, type TemplateInfo } from "./template.js";
import { deckhouseRenderer } from "../../deckhouse/renderer.js";
import type { ExpansionTemplate } from "./expansion/template.js";

/** Where an object was read: the file and line of its document (and helm's `# Source:` when given). */
export interface ObjectOrigin extends Span {
  /** The template path of `helm template` output (`# Source: chart/templates/x.yaml`). */
  source?: string;
  /** 1-based index of the YAML document in its file or stream (kustomize and kubectl output have no Source comments). */
  document?: number;
}

export interface PolicyObject {
  object: KubeObject;
  origin?: ObjectOrigin;
}

export interface PolicyTemplate extends PolicyObject {
  info: TemplateInfo;
}

export interface PolicyConstraint extends PolicyObject {
  info: ConstraintInfo;
}

/** A namespace exemption of Gatekeeper's `Config` (`spec.match[]`): glob plus the processes it covers. */
export interface ExemptNamespace {
  pattern: string;
  /** `*`, `webhook`, `audit`, `sync`, `mutation-webhook`; empty means every process. */
  processes: string[];
}

export interface GatekeeperConfig {
  exemptNamespaces: ExemptNamespace[];
  /** `spec.sync.syncOnly` of the Config, when given: the kinds `data.inventory` holds. */
  syncOnly?: { group: string; version: string; kind: string }[];
}

export interface PolicySet {
  templates: PolicyTemplate[];
  constraints: PolicyConstraint[];
  /** Assign, AssignMetadata, ModifySet, AssignImage (group mutations.gatekeeper.sh). */
  mutators: PolicyObject[];
  /** ExpansionTemplates (group expansion.gatekeeper.sh). */
  expansionTemplates: PolicyObject[];
  config: GatekeeperConfig;
  /** Problems found while reading the set; the usable rest of the set still runs. */
  diagnostics: Diagnostic[];
}

/** Turns objects of another policy language into Gatekeeper objects (e.g. Deckhouse's policies). */
export interface PolicyRenderer {
  readonly name: string;
  /**
   * The API groups of the objects this renderer accepts (a group or a suffix of groups), so a reader
   * can skip parsing documents that cannot be policies on its first pass (`policyDocumentPattern`).
   */
  readonly apiGroups: readonly string[];
  /** Whether this renderer consumes the object (it then does not count as a checked manifest). */
  accepts(obj: KubeObject): boolean;
  /** The Gatekeeper objects (templates, constraints, mutators) the accepted objects stand for. */
  render(objs: readonly PolicyObject[]): { objects: PolicyObject[]; diagnostics: Diagnostic[] };
}

/** Renderers consulted by `policySetFromObjects`; each policy language adds one entry here. */
export const policyRenderers: PolicyRenderer[] = [deckhouseRenderer];

export const MUTATOR_KINDS = ["Assign", "AssignMetadata", "ModifySet", "AssignImage"] as const;

export function isConstraint(obj: KubeObject): boolean {
  return gvkOf(obj).group === "constraints.gatekeeper.sh";
}

export function isMutator(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.group === "mutations.gatekeeper.sh" && (MUTATOR_KINDS as readonly string[]).includes(g.kind);
}

export function isExpansionTemplate(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.group === "expansion.gatekeeper.sh" && g.kind === "ExpansionTemplate";
}

export function isGatekeeperConfig(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.group === "config.gatekeeper.sh" && g.kind === "Config";
}

/** Whether an object belongs to the policy set (Gatekeeper's own kinds or a renderer's) rather than to the reviewed manifests. */
export function isPolicyObject(obj: KubeObject): boolean {
  return (
    isConstraintTemplate(obj) ||
    isConstraint(obj) ||
    isMutator(obj) ||
    isExpansionTemplate(obj) ||
    isGatekeeperConfig(obj) ||
    policyRenderers.some((r) => r.accepts(obj))
  );
}

/**
 * Finds the text of every document that may hold a policy object: an `apiVersion` whose group is
 * Gatekeeper's or a renderer's, in YAML or JSON, quoted or not, on the key's line or the next. A
 * reader parses only the documents it finds. (The groups' names alone would not do: images,
 * labels and annotations name them in most documents of a Deckhouse cluster.)
 */
export function policyDocumentPattern(): RegExp {
  const groups = ["gatekeeper.sh", ...policyRenderers.flatMap((r) => r.apiGroups)].map((g) => g.replace(/[.]/g, "\\."));
  return new RegExp(`apiVersion["']?\\s*:\\s*["']?[\\w.-]*(?:${groups.join("|")})\\\\?/`);
}

export function emptyPolicySet(): PolicySet {
  return { templates: [], constraints: [], mutators: [], expansionTemplates: [], config: { exemptNamespaces: [] }, diagnostics: [] };
}

function readConfig(obj: KubeObject, into: GatekeeperConfig): void {
  const spec = isObject(obj.spec) ? obj.spec : {};
  for (const m of Array.isArray(spec.match) ? spec.match : []) {
    if (!isObject(m)) continue;
    const processes = Array.isArray(m.processes) ? m.processes.filter((p): p is string => typeof p === "string") : [];
    for (const ns of Array.isArray(m.excludedNamespaces) ? m.excludedNamespaces : [])
      if (typeof ns === "string") into.exemptNamespaces.push({ pattern: ns, processes });
  }
  const sync = isObject(spec.sync) && Array.isArray(spec.sync.syncOnly) ? spec.sync.syncOnly : undefined;
  if (sync) {
    into.syncOnly ??= [];
    for (const s of sync)
      if (isObject(s)) into.syncOnly.push({ group: String(s.group ?? ""), version: String(s.version ?? ""), kind: String(s.kind ?? "") });
  }
}

/**
 * Classifies policy objects (renderers first), reads templates, then validates each constraint
 * against its template's CRD schema. A broken template or constraint is a diagnostic at its
 * origin and is left out; everything else is kept. Later objects with the same kind and name
 * replace earlier ones, as a `kubectl apply` of both would (with a warning).
 */
export function policySetFromObjects(objects: readonly PolicyObject[]): PolicySet {
  const set = emptyPolicySet();
  const expanded: PolicyObject[] = [];
  const byRenderer = new Map<PolicyRenderer, PolicyObject[]>();
  for (const o of objects) {
    const r = policyRenderers.find((x) => x.accepts(o.object));
    if (r) byRenderer.set(r, [...(byRenderer.get(r) ?? []), o]);
    else expanded.push(o);
  }
  for (const [r, objs] of byRenderer) {
    const out = r.render(objs);
    expanded.push(...out.objects);
    set.diagnostics.push(...out.diagnostics);
  }

  const templates = new Map<string, PolicyTemplate>();
  const constraints = new Map<string, PolicyObject>();
  const mutators = new Map<string, PolicyObject>();
  const expansions = new Map<string, PolicyObject>();
  const keep = <T extends PolicyObject>(m: Map<string, T>, key: string, o: T) => {
    if (m.has(key)) set.diagnostics.push(diag(PC41.duplicate, [key], o.origin));
    m.set(key, o);
  };
  for (const o of expanded) {
    const obj = o.object;
    if (isConstraintTemplate(obj)) {
      try {
        const info = readTemplate(obj);
        keep(templates, `ConstraintTemplate ${info.name}`, { ...o, info });
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        set.diagnostics.push(diag(PC41.badTemplate, [nameOf(obj), e.message], o.origin));
      }
    } else if (isConstraint(obj)) keep(constraints, `${gvkOf(obj).kind} ${nameOf(obj)}`, o);
    else if (isMutator(obj)) keep(mutators, `${gvkOf(obj).kind} ${nameOf(obj)}`, o);
    else if (isExpansionTemplate(obj)) keep(expansions, `ExpansionTemplate ${nameOf(obj)}`, o);
    else if (isGatekeeperConfig(obj)) {
      // Gatekeeper's config controller watches the one Config named `config` and ignores any other.
      if (nameOf(obj) === "config") readConfig(obj, set.config);
      else set.diagnostics.push(diag(PC41.ignoredConfig, [nameOf(obj)], o.origin));
    }
  }
  set.templates = [...templates.values()];
  const byKind = new Map(set.templates.map((t) => [t.info.kind, t]));
  for (const o of constraints.values()) {
    const kind = gvkOf(o.object).kind;
    const t = byKind.get(kind);
    if (!t) {
      set.diagnostics.push(diag(PC41.orphanConstraint, [kind, nameOf(o.object)], o.origin));
      continue;
    }
    const problem = validateConstraint(o.object, t.info);
    if (problem) {
      set.diagnostics.push(diag(PC41.badConstraint, [kind, nameOf(o.object), problem.message], o.origin, problem.kind === "invalid" ? problem.notes : undefined));
      continue;
    }
    const info = readConstraint(o.object);
    if (!KNOWN_ACTIONS.has(info.enforcementAction)) set.diagnostics.push(diag(PC41.unknownAction, [kind, info.name, info.enforcementAction], o.origin));
    set.constraints.push({ ...o, info });
  }
  set.mutators = [...mutators.values()];
  set.expansionTemplates = [...expansions.values()];
  return set;
}

const KNOWN_ACTIONS = new Set(["deny", "warn", "dryrun", "scoped"]);

/** What the mutation and expansion engines see of the object under review. */
export interface AdmissionContext {
  /** The object's Namespace (from the inputs, a namespaces file or `--namespace-labels`), when known. */
  namespace?: KubeObject;
  operation: string;
}

/**
 * The mutation engine as `check` uses it: Gatekeeper's mutation webhook in front of validation.
 * Built once per policy set from `set.mutators` (src/testing/gatekeeper/mutation).
 */
export interface MutationEngine {
  /** Applies every matching mutator until convergence; returns the mutated copy and the mutators that changed it (`Kind/name`). */
  mutate(obj: KubeObject, ctx: AdmissionContext): { object: KubeObject; applied: string[] };
}

/** One resultant object of an expansion (a Pod a Deployment would create). */
export interface ExpandedObject {
  object: KubeObject;
  /** The ExpansionTemplate that produced it. */
  template: string;
  /** `spec.enforcementAction` of the ExpansionTemplate, which overrides the constraint's when set. */
  enforcementAction?: string;
}

/**
 * The expansion engine as `check` uses it: workloads to the objects they create, per
 * ExpansionTemplate (src/testing/gatekeeper/expansion). Mutators with `source: Generated`/`All`
 * apply to the resultant objects inside the engine.
 */
export interface ExpansionEngine {
  /** The usable ExpansionTemplates, as read with Gatekeeper's rules. */
  readonly templates: readonly ExpansionTemplate[];
  expand(obj: KubeObject, ctx: AdmissionContext): ExpandedObject[];
}

/** Builds the engines a policy set needs; `src/testing/check/engines.ts` is where they are wired in. */
export interface AdmissionEngines {
  mutation?: MutationEngine;
  expansion?: ExpansionEngine;
}
