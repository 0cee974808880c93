/**
 * `policyc check` end to end: the policy set (the project, `--policies DIR`, plus policy objects
 * among the inputs), compiled once; the namespaces the cluster would know; then every object of
 * the inputs through the admission path (`evaluate.ts`), on worker threads when there are several
 * cores (`pool.ts`).
 *
 * Two passes over the inputs keep memory small: the first parses only documents that can be
 * policies or Namespaces (and, when a template reads `data.inventory`, keeps every object, as
 * gator does); the second re-reads the inputs chunk by chunk and evaluates them, holding at a time
 * only the chunks in flight. Results are kept (the reviewed object only when it violates), or, given
 * `onResult`, handed over in input order and not kept: a streaming report's memory does not grow
 * with the input.
 */
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC41 } from "../diagnostics.js";
import { compilePolicies } from "./compile-off-thread.js";
import { collectInventory, InventoryCollector, inventoryData, inventoryEntry, inventoryNeedsOf, type InventoryEntry } from "./inventory.js";
import { isNamespaceObject, type KubeObject } from "../gatekeeper/objects.js";
import { mayMatchKinds } from "../gatekeeper/match.js";
import type { ExpansionTemplate } from "../gatekeeper/expansion/template.js";
import { isConstraintTemplate } from "../gatekeeper/template.js";
import { configureDeckhouseSource } from "../../deckhouse/renderer.js";
import { isPolicyObject, policyDocumentPattern, policySetFromObjects, type PolicyConstraint, type PolicyObject } from "../gatekeeper/policy-set.js";
import { isDiagnostic } from "../yaml-files.js";
import { objectKey, spanOf, type CheckPlan, type CheckSettings, type ObjectResult } from "./evaluate.js";
import { fileChunks, InputCopies, kindPattern, listInputs, listItems, parseChunk, readInputText, splitDocuments, STDIN, type Chunk, type InputFile, type InputObject } from "./inputs.js";
import { NamespaceDirectory, parseNamespaceLabels, placeInNamespace } from "./namespaces.js";
import { buildEngines } from "./engines.js";
import { lapTimer } from "../../build/timings.js";
import { ALL_FIELDS, evaluateChunks, startPool, type ResultFields } from "./pool.js";
import { folderPolicies, projectPolicies, type PolicySourceResult } from "./sources.js";

export type PolicySourceChoice = { kind: "project"; configPath?: string } | { kind: "folder"; dir: string } | { kind: "inputs" };

export interface CheckOptions {
  cwd: string;
  inputs: string[];
  policies: PolicySourceChoice;
  namespacesFile?: string;
  namespaceLabels?: string[];
  oldDir?: string;
  /** ConstraintTemplates exported from a cluster, used instead of the Deckhouse pack's for the kinds they define. */
  templatesDir?: string;
  /**
   * Gatekeeper's `--enable-k8s-native-validation` (default true): templates that carry
   * `K8sNativeValidation` code run on CEL, as Gatekeeper's driver order decides.
   */
  k8sNativeValidation?: boolean;
  settings: CheckSettings;
  /** Threads that evaluate (default: the machine's parallelism): the main thread and `workers - 1` worker threads. */
  workers?: number;
  /** Reads stdin (tests pass text). */
  stdinText?: string;
  /**
   * Each object's result, in input order, as soon as it is known; the run then keeps none
   * (`CheckRun.results` is empty; its summary and diagnostics are complete).
   */
  onResult?: (r: ObjectResult) => void;
  /**
   * Called before the first object is evaluated, with the diagnostics so far (policies, namespaces,
   * inputs' first pass) and the constraint objects (`CheckRun.constraintObjects`).
   */
  onEvaluate?: (diagnostics: readonly Diagnostic[], constraintObjects: ReadonlyMap<string, KubeObject>) => void;
  /** The result fields the caller uses (default: all); see `ResultFields`. */
  keep?: ResultFields;
  /** Once aborted, no further input is read: the run ends after the objects in flight (its results are partial). */
  signal?: AbortSignal;
}

export interface CheckSummary {
  objects: number;
  passed: number;
  failed: number;
  notMatched: number;
  exempt: number;
  errors: number;
  violations: { deny: number; warn: number; dryrun: number };
}

export interface CheckRun {
  /** Every object's result in input order (empty when the run was given `onResult`). */
  results: ObjectResult[];
  diagnostics: Diagnostic[];
  summary: CheckSummary;
  policies: { sources: string[]; templates: number; constraints: number; mutators: number; expansionTemplates: number };
  /** For diagnostics' code frames: the project root when the project was compiled. */
  root?: string;
  /** Constraint objects by `Kind/name`, for reporters that print them (gator's JSON). */
  constraintObjects: Map<string, KubeObject>;
}

/**
 * Each input's chunks, read again on every pass, a block at a time (`fileChunks`; stdin and pipes
 * from their copies, `InputCopies`). A file that cannot be read is one diagnostic, however many
 * passes meet it.
 */
function chunkReader(diagnostics: Diagnostic[]): (file: InputFile) => Iterable<Chunk> {
  const failed = (d: Diagnostic) => {
    if (!diagnostics.some((x) => x.message === d.message)) diagnostics.push(d);
  };
  return function* (f) {
    for (const c of fileChunks(f)) {
      if ("text" in c) yield c;
      else return failed(c);
    }
  };
}

export async function runCheck(opts: CheckOptions): Promise<CheckRun> {
  // With POLICYC_TIMINGS=1, each step's times.
  const lap = lapTimer("check ");
  const diagnostics: Diagnostic[] = [];
  const sources: string[] = [];
  const policyObjects: PolicyObject[] = [];
  let root: string | undefined;

  // 1. The policy set's own source.
  let source: PolicySourceResult | undefined;
  if (opts.policies.kind === "project") source = await projectPolicies(opts.cwd, opts.policies.configPath);
  else if (opts.policies.kind === "folder") source = folderPolicies(opts.policies.dir, opts.cwd);
  if (source) {
    diagnostics.push(...source.diagnostics);
    policyObjects.push(...source.objects);
    sources.push(source.name);
    if (source.root) root = source.root;
  }

  lap("policies read");

  // 2. First pass over the inputs: policy objects and Namespaces.
  const listed = listInputs(opts.inputs, opts.cwd);
  diagnostics.push(...listed.diagnostics);
  // Stdin and pipes cannot be read twice: copied to a spool file first, they are read as files are.
  const copies = new InputCopies(opts.stdinText);
  let copied = 0;
  const files = listed.files.map((f) => {
    const c = copies.prepare(f);
    if (c.diagnostic) diagnostics.push(c.diagnostic);
    copied += c.bytes;
    return c.file;
  });
  // Large inputs are checked on several threads: the workers start now and load their code while the policy set compiles.
  const workers = opts.workers ?? availableParallelism();
  const large = inputBytes(files) + copied >= LARGE_INPUT_BYTES;
  const pool = workers > 1 && large ? startPool(workers) : [];
  const chunksOf = chunkReader(diagnostics);
  // Documents that may hold a policy object or a Namespace: only these are parsed on this pass.
  const firstPass = new RegExp(`${policyDocumentPattern().source}|${kindPattern(["Namespace"]).source}`);
  const namespaces = new NamespaceDirectory();
  let fromInputs = 0;
  // Files are read a block at a time, each pass again (`chunkReader`): no file's whole text is held. (The
  // inventory's objects are parsed again on the second pass, by the workers: holding them parsed
  // from the inventory pass to their turn would cost more memory than parsing them costs time.)
  function* chunks(): Generator<Chunk> {
    for (const file of files) {
      for (const c of chunksOf(file)) {
        if (opts.signal?.aborted) return;
        // A large `kind: List` (a cluster exported by kubectl) is checked item by item, like documents.
        const items = c.text.length >= LARGE_INPUT_BYTES ? listItems(c) : undefined;
        if (items) yield* items;
        else yield c;
      }
    }
  }
  const forEachChunk = (f: (c: Chunk) => void) => {
    for (const c of chunks()) f(c);
  };
  // The kinds of the documents reviewed (undefined: some document's kind is not written as block YAML writes it).
  let inputKinds: Set<string> | undefined = new Set<string>();
  forEachChunk((c) => {
    if (inputKinds && c.document !== undefined) {
      const kind = TOP_LEVEL_KIND.exec(c.text)?.[1];
      // A List's items are of other kinds.
      if (kind === undefined || kind.endsWith("List")) inputKinds = undefined;
      else inputKinds.add(kind);
    }
    if (!firstPass.test(c.text)) return;
    for (const o of parseChunk(c).objects) {
      if (isPolicyObject(o.object)) {
        policyObjects.push(o);
        fromInputs++;
      } else if (isNamespaceObject(o.object)) namespaces.add(o.object);
    }
  });
  if (fromInputs > 0) sources.push(`${fromInputs} policy object${fromInputs === 1 ? "" : "s"} among the inputs`);
  // The project's own Namespaces are cluster state too (its other resources join the inventory below).
  for (const r of source?.resources ?? []) if (isNamespaceObject(r.object)) namespaces.add(r.object);

  lap("first pass");

  // 3. The policy set, compiled.
  // Deckhouse's policies render with the project's cluster facts and, given, the cluster's own templates.
  const templates = new Map<string, KubeObject>();
  if (opts.templatesDir) {
    const exported = folderPolicies(opts.templatesDir, opts.cwd);
    diagnostics.push(...exported.diagnostics);
    for (const o of exported.objects) {
      const kind = (o.object.spec as { crd?: { spec?: { names?: { kind?: unknown } } } } | undefined)?.crd?.spec?.names?.kind;
      if (isConstraintTemplate(o.object) && typeof kind === "string") templates.set(kind, o.object);
    }
  }
  configureDeckhouseSource({
    ...(source?.deckhouseCluster ? { cluster: source.deckhouseCluster } : {}),
    ...(templates.size > 0 ? { templates } : {}),
  });
  const set = policySetFromObjects(policyObjects);
  diagnostics.push(...set.diagnostics);
  // A large input's policy set compiles on a thread of its own: meanwhile the inventory is read.
  const compiling = compilePolicies(set.templates, { k8sNativeValidation: opts.k8sNativeValidation !== false, offThread: large });
  compiling.catch(() => {});
  const engines = await buildEngines(set);
  // Only templates with constraints that can match a reviewed kind are ever evaluated (e.g. not
  // one that judges exec requests, in a check of manifests): the others' inventory needs do not count.
  const reviewed = reviewedKinds(inputKinds, engines.expansion?.templates ?? []);
  const judgingOf = (constraints: readonly PolicyConstraint[]) => {
    const constrained = new Set(constraints.filter((c) => !reviewed || mayMatchKinds(c.info.match, reviewed)).map((c) => c.info.kind));
    return set.templates.filter((t) => constrained.has(t.info.kind));
  };
  // The inputs' objects, parsed by every thread of the run (`inventory.ts`), for what any
  // constraint's template may read (those that fail to compile are left out below).
  const expected = inventoryNeedsOf(judgingOf(set.constraints), set.config);
  const collector = expected && new InventoryCollector(expected, opts.settings.defaultNamespace, pool);
  let compiledSet: Awaited<typeof compiling>;
  try {
    if (collector) forEachChunk((c) => collector.offer(c));
    compiledSet = await compiling;
  } catch (e) {
    collector?.close();
    throw e;
  }
  const { compiled, modules: wasmModules } = compiledSet;
  for (const f of compiled.failures) {
    const at = f.template.origin ? spanOf(f.template.origin) : undefined;
    const def = f.reason === "no-rego" ? PC41.noRego : f.reason === "rejected" ? PC41.regoRejected : PC41.compileFailed;
    diagnostics.push(diag(def, [f.template.info.name, f.message], at, f.notes));
  }
  diagnostics.push(...engines.diagnostics);
  if (set.mutators.length > 0 && !engines.mutation) diagnostics.push(diag(PC41.notApplied, [set.mutators.length, "mutators", "mutated"]));
  if (set.expansionTemplates.length > 0 && !engines.expansion)
    diagnostics.push(diag(PC41.notApplied, [set.expansionTemplates.length, "ExpansionTemplates", "expanded"]));
  const usable = new Set(compiled.templates.map((t) => t.kind));
  const constraints = set.constraints.filter((c) => usable.has(c.info.kind));
  // Mutators alone are a policy set too: the cluster mutates what no constraint judges.
  if (set.constraints.length === 0 && set.templates.length === 0 && set.mutators.length === 0) {
    diagnostics.push(diag(PC41.noPolicies, [opts.policies.kind === "inputs" ? " (pass ConstraintTemplates and Constraints among the inputs, or --policies DIR)" : ""]));
  }

  lap("policy set compiled, inventory read");

  // 4. Namespaces: inputs, then the namespaces file, then --namespace-labels.
  if (opts.namespacesFile) readNamespacesFile(opts.namespacesFile, opts.cwd, namespaces, diagnostics);
  for (const spec of opts.namespaceLabels ?? []) {
    const p = parseNamespaceLabels(spec);
    if ("error" in p) diagnostics.push(diag(PC41.badOption, [`--namespace-labels ${p.error}`]));
    else namespaces.addLabels(p.namespace, p.labels);
  }

  // 5. The inventory: what the judging templates read of it, as each module's data.
  const needs = inventoryNeedsOf(judgingOf(constraints), set.config);
  let entries: InventoryEntry[] = [];
  if (needs) {
    entries = (await collector?.entries(needs)) ?? collectInventory(chunks(), needs, opts.settings.defaultNamespace);
    // The project's own resources are cluster state too (e.g. its SecurityPolicyExceptions); then
    // the Namespaces, synced whenever the inventory is (templates read their labels).
    const own = (source?.resources ?? []).filter((r) => !isNamespaceObject(r.object)).map((r) => placeInNamespace(r.object, opts.settings.defaultNamespace));
    for (const o of [...own, ...namespaces.all()]) {
      const e = inventoryEntry(o);
      if (e && needs.accepts(e.group, e.kind)) entries.push(e);
    }
  }
  collector?.close();
  const moduleData = inventoryData(compiled.modules, entries);

  const oldObjects = opts.oldDir ? readOldObjects(opts.oldDir, opts.cwd, opts.settings.defaultNamespace, diagnostics) : undefined;
  const plan: CheckPlan = {
    compiled,
    constraints: constraints.map((c) => ({ info: c.info, ...(c.origin ? { origin: c.origin } : {}) })),
    mutators: set.mutators,
    expansionTemplates: set.expansionTemplates,
    exempt: set.config.exemptNamespaces,
    namespaces: namespaces.all(),
    moduleData,
    wasmModules,
    settings: opts.settings,
    ...(oldObjects ? { oldObjects } : {}),
  };

  lap("inventory and plan");

  // 6. Second pass: every chunk parsed and evaluated (in order of the inputs).
  const constraintObjects = new Map(set.constraints.map((c) => [`${c.info.kind}/${c.info.name}`, c.object]));
  opts.onEvaluate?.(diagnostics, constraintObjects);
  const summary: CheckSummary = { objects: 0, passed: 0, failed: 0, notMatched: 0, exempt: 0, errors: 0, violations: { deny: 0, warn: 0, dryrun: 0 } };
  const results: ObjectResult[] = [];
  const perObject: Diagnostic[] = [];
  await evaluateChunks(
    plan,
    chunks(),
    workers,
    {
      diagnostics: (ds) => diagnostics.push(...ds),
      result: (r) => {
        summary.objects++;
        if (r.status === "pass") summary.passed++;
        else if (r.status === "fail") summary.failed++;
        else if (r.status === "not-matched") summary.notMatched++;
        else if (r.status === "exempt") summary.exempt++;
        else summary.errors++;
        for (const v of r.violations) summary.violations[v.action]++;
        perObject.push(...r.diagnostics);
        if (opts.onResult) opts.onResult(r);
        else results.push(r);
      },
    },
    opts.keep ?? ALL_FIELDS,
  );
  // (On an exception the copies' files, already unlinked, go with the process.)
  copies.close();
  diagnostics.push(...perObject);
  lap("evaluated");

  const run: CheckRun = {
    results,
    diagnostics,
    summary,
    policies: {
      sources,
      templates: compiled.templates.length,
      constraints: constraints.length,
      mutators: set.mutators.length,
      expansionTemplates: set.expansionTemplates.length,
    },
    constraintObjects,
  };
  if (root) run.root = root;
  return run;
}


/** A document's kind where block YAML writes it: at the start of a line, on the `kind` key's line. */
const TOP_LEVEL_KIND = /^kind:[ \t]*["']?([A-Za-z][\w]*)(?![\w.-])/m;

/**
 * The kinds a run reviews: its documents' kinds and the kinds its usable ExpansionTemplates
 * generate (from any kind: chains such as CronJob → Job → Pod are covered); undefined when some
 * kind is not known.
 */
function reviewedKinds(inputKinds: Set<string> | undefined, expansions: readonly ExpansionTemplate[]): Set<string> | undefined {
  if (!inputKinds) return undefined;
  const out = new Set(inputKinds);
  for (const e of expansions) {
    if (e.generatedGVK.kind === "") return undefined;
    out.add(e.generatedGVK.kind);
  }
  return out;
}


/**
 * Inputs at least this large (in bytes) start the worker threads before the policy set is
 * compiled, and compile it on a thread of its own (`compile-off-thread.ts`).
 */
const LARGE_INPUT_BYTES = 64 * 1024;

/** The regular files' total size (stdin and pipes are counted as copied). */
function inputBytes(files: InputFile[]): number {
  let n = 0;
  for (const f of files) {
    if (f.abs === STDIN) continue;
    try {
      n += statSync(f.abs).size;
    } catch {
      // Reported when it is read.
    }
  }
  return n;
}

function objectsOf(file: string, cwd: string, diagnostics: Diagnostic[]): InputObject[] {
  const { files, diagnostics: ds } = listInputs([file], cwd);
  diagnostics.push(...ds);
  const out: InputObject[] = [];
  for (const f of files) {
    const t = readInputText(f);
    if (isDiagnostic(t)) {
      diagnostics.push(t);
      continue;
    }
    for (const c of splitDocuments(t, f.display)) {
      const p = parseChunk(c);
      diagnostics.push(...p.diagnostics);
      out.push(...p.objects);
    }
  }
  return out;
}

function readNamespacesFile(file: string, cwd: string, into: NamespaceDirectory, diagnostics: Diagnostic[]): void {
  const objs = objectsOf(file, cwd, diagnostics);
  let n = 0;
  for (const o of objs) {
    if (isNamespaceObject(o.object)) {
      into.add(o.object);
      n++;
    }
  }
  if (n === 0) diagnostics.push(diag(PC41.badNamespacesFile, [file, "it holds no Namespace objects"]));
}

function readOldObjects(dir: string, cwd: string, defaultNamespace: string, diagnostics: Diagnostic[]): Record<string, KubeObject> {
  const out: Record<string, KubeObject> = {};
  for (const o of objectsOf(dir, cwd, diagnostics)) {
    const placed = placeInNamespace(o.object, defaultNamespace);
    out[objectKey(placed)] = placed;
  }
  return out;
}

