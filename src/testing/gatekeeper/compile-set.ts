/**
 * Compiles the ConstraintTemplates of a policy set into one Wasm module, with an entrypoint
 * `policyc_t<N>/<package>/violation` per template: each template's Rego and libs are mounted under
 * their own data prefix (as Gatekeeper mounts each template's Rego), so templates that declare the
 * same package, or libs of one package with different text, cannot clash, and `data.inventory`
 * stays shared. One module means an object's review is parsed once for all its templates. Rego a
 * prefix would change (`rego.metadata.chain`, whole-`data` reads) is compiled as written into
 * modules of its own, grouped as far as packages and Rego versions allow. A template whose Rego
 * does not compile is found by compiling the group's templates one by one, reported, and left
 * out; the rest still run. The result is plain data (Wasm bytes and bindings), so worker threads
 * can load it.
 *
 * Engine choice (`k8sNativeValidation`, default on as in Gatekeeper's webhook and gator): the
 * constraint framework asks its drivers in order and Gatekeeper registers the K8sNativeValidation
 * driver before the Rego one, so a template whose code has a `K8sNativeValidation` entry runs on
 * CEL even when it also has Rego; its binding has `module: -1` and no Wasm is built for it.
 */
import { createHash } from "node:crypto";
import { regoPackage, type TemplateInfo } from "./template.js";
import { gatekeeperRegoProblems } from "./rego-rules.js";
import { inventoryNeeds, readsInventory, type InventoryKind } from "./sync.js";
import { loadEngine, TEMPLATE_TIMEOUT_MS } from "./backend.js";
import { EXTERNAL_DATA, ExternalDataSession } from "./external-data.js";
import { CompileError, prepareCelTemplate, usesCel, type PreparedTemplate } from "./client.js";
import { K8S_NATIVE_VALIDATION } from "./k8s-native-validation.js";
import type { PolicyTemplate } from "./policy-set.js";
import type { Module } from "../../engine/rego/ast.js";

export interface CompiledModule {
  wasm: Uint8Array;
  entrypoints: string[];
  /** Some template of the module reads `data.inventory`; the others' modules never load it. */
  readsInventory: boolean;
  /** The kinds its templates read from the inventory (`inventoryNeeds`), `"all"` when some template does not say. */
  inventoryKinds: InventoryKind[] | "all";
}

export interface TemplateBinding {
  kind: string;
  /** Index into `modules`; -1 for a template that runs on CEL (`entrypoint` is then `K8sNativeValidation`). */
  module: number;
  entrypoint: string;
  info: TemplateInfo;
}

export interface CompiledSet {
  modules: CompiledModule[];
  templates: TemplateBinding[];
  failures: { template: PolicyTemplate; reason: "no-rego" | "rejected" | "compile"; message: string; notes: string[] }[];
}

interface Group {
  regoVersion: "v0" | "v1";
  readsInventory: boolean;
  inventoryKinds: InventoryKind[] | "all";
  packages: Map<string, string>;
  /** Each member's Rego mounted under its own data prefix (`mountTemplate`): no package can clash. */
  mounted: boolean;
  members: Member[];
}

interface Member {
  t: PolicyTemplate;
  entrypoint: string;
  modules: { file: string; text: string; parsed?: Module }[];
  /** The template's own Rego and entrypoint, unmounted: compiled alone to report its errors in its own words. */
  own: { entrypoint: string; modules: { file: string; text: string }[] };
}

function fileOf(t: PolicyTemplate): string {
  return t.origin?.file ?? `constrainttemplate/${t.info.name}`;
}

/** Compiled sets of this process by their Rego (a test run or a watch loop checks the same set again). */
const compiledSets = new Map<string, Promise<CompiledSet>>();

export interface CompileSetOptions {
  /** Run templates that carry `K8sNativeValidation` code on CEL, as Gatekeeper does (default true). */
  k8sNativeValidation?: boolean;
}

/** What a compiled set depends on: the templates' code, names and files, and the engine choice. */
export function compileKey(templates: readonly PolicyTemplate[], opts: CompileSetOptions = {}): string {
  const cel = opts.k8sNativeValidation !== false;
  return createHash("sha256")
    .update(JSON.stringify([cel, templates.map((t) => [t.info.name, t.info.kind, t.info.regoVersion, t.info.rego ?? null, t.info.libs, t.info.engines, cel ? (t.info.k8sNativeValidation ?? null) : null, t.origin?.file ?? ""])]))
    .digest("hex");
}

export function compileTemplates(templates: readonly PolicyTemplate[], opts: CompileSetOptions = {}): Promise<CompiledSet> {
  const cel = opts.k8sNativeValidation !== false;
  const key = compileKey(templates, opts);
  let p = compiledSets.get(key);
  if (!p) {
    p = compileUncached(templates, cel);
    compiledSets.set(key, p);
    p.catch(() => compiledSets.delete(key));
  }
  return p.then((set) => ({ ...set, failures: set.failures.map((f) => ({ ...f, template: templates.find((t) => t.info.name === f.template.info.name) ?? f.template })) }));
}

async function compileUncached(templates: readonly PolicyTemplate[], cel: boolean): Promise<CompiledSet> {
  const out: CompiledSet = { modules: [], templates: [], failures: [] };
  const groups: Group[] = [];
  const { parseModule } = await import("../../engine/rego/index.js");
  const parse = (text: string, file: string, regoVersion: "v0" | "v1") => parseModule(text, { file, regoVersion });
  let mounted: Group | undefined;
  let mountedCount = 0;
  for (const t of templates) {
    const info = t.info;
    if (cel && usesCel(info, true)) {
      try {
        celTemplates.set(info, prepareCelTemplate(info));
        out.templates.push({ kind: info.kind, module: -1, entrypoint: K8S_NATIVE_VALIDATION, info });
      } catch (e) {
        const err = toCompileError(e);
        out.failures.push({ template: t, reason: "compile", message: err.message, notes: err.notes });
      }
      continue;
    }
    if (info.rego === undefined) {
      out.failures.push({ template: t, reason: "no-rego", message: info.engines.join(", ") || "no code", notes: [] });
      continue;
    }
    const rejected = gatekeeperRegoProblems(info, fileOf(t));
    if (rejected.length > 0) {
      out.failures.push({ template: t, reason: "rejected", message: rejected[0]!, notes: rejected.slice(1) });
      continue;
    }
    const pkg = regoPackage(info.rego);
    if (!pkg) {
      out.failures.push({ template: t, reason: "compile", message: "the Rego has no package declaration", notes: [] });
      continue;
    }
    const mods = [{ pkg, text: info.rego, file: `${fileOf(t)}#rego` }, ...info.libs.map((text, i) => ({ pkg: regoPackage(text) ?? `#lib${i}`, text, file: `${fileOf(t)}#libs[${i}]` }))];
    const entrypoint = `${pkg.replace(/\./g, "/")}/violation`;
    const own = { entrypoint, modules: mods.map(({ file, text }) => ({ file, text })) };
    const inventory = readsInventory(t);
    // Every template whose Rego allows it goes into one module, under its own data prefix (as
    // Gatekeeper mounts each template's Rego): an object's review is then parsed once for all.
    const prefix = `policyc_t${mountedCount}`;
    const mountedMods = mountTemplate(own.modules, info.regoVersion, prefix, parse);
    if (mountedMods) {
      mountedCount++;
      mounted ??= { regoVersion: info.regoVersion, readsInventory: false, inventoryKinds: [], packages: new Map(), mounted: true, members: [] };
      if (!groups.includes(mounted)) groups.push(mounted);
      if (inventory) {
        mounted.readsInventory = true;
        mounted.inventoryKinds = unionKinds(mounted.inventoryKinds, inventoryNeeds(t));
      }
      mounted.members.push({ t, entrypoint: `${prefix}/${entrypoint}`, modules: mountedMods, own });
      continue;
    }
    // Templates that read the inventory share modules, so the inventory is loaded into as few as possible.
    const fits = (g: Group) =>
      !g.mounted &&
      g.regoVersion === info.regoVersion &&
      g.readsInventory === inventory &&
      mods.every((m, i) => (i === 0 ? !g.packages.has(m.pkg) : g.packages.get(m.pkg) === undefined || g.packages.get(m.pkg) === m.text));
    let g = groups.find(fits);
    if (!g) {
      g = { regoVersion: info.regoVersion, readsInventory: inventory, inventoryKinds: [], packages: new Map(), mounted: false, members: [] };
      groups.push(g);
    }
    if (inventory) g.inventoryKinds = unionKinds(g.inventoryKinds, inventoryNeeds(t));
    for (const m of mods) g.packages.set(m.pkg, m.text);
    g.members.push({ t, entrypoint, modules: own.modules, own });
  }

  const engine = await loadEngine();
  const build = (g: Group, members: readonly Member[]) =>
    engine.compile({
      modules: g.mounted ? members.flatMap((m) => m.modules.map((x) => ({ ...x, regoVersion: m.t.info.regoVersion }))) : dedupe(members.flatMap((m) => m.modules)),
      entrypoints: members.map((m) => m.entrypoint),
      regoVersion: g.regoVersion,
      // Gatekeeper's own built-in, answered as an unreachable provider (external-data.ts).
      extraBuiltins: [EXTERNAL_DATA],
    });
  const emit = (g: Group, members: readonly Member[], wasm: Uint8Array) => {
    const index = out.modules.length;
    out.modules.push({ wasm, entrypoints: members.map((m) => m.entrypoint), readsInventory: g.readsInventory, inventoryKinds: g.inventoryKinds });
    for (const m of members) out.templates.push({ kind: m.t.info.kind, module: index, entrypoint: m.entrypoint, info: m.t.info });
  };
  for (const g of groups) {
    let members = g.members;
    let wasm: Uint8Array | undefined;
    try {
      wasm = build(g, members);
    } catch {
      // Find the templates at fault, each compiled alone as written, and build the group from the others.
      members = members.filter((m) => {
        try {
          engine.compile({ modules: m.own.modules, entrypoints: [m.own.entrypoint], regoVersion: m.t.info.regoVersion, extraBuiltins: [EXTERNAL_DATA] });
          return true;
        } catch (e) {
          const err = toCompileError(e);
          out.failures.push({ template: m.t, reason: "compile", message: err.message, notes: err.notes });
          return false;
        }
      });
      if (members.length === 0) continue;
      try {
        wasm = build(g, members);
      } catch (e) {
        if (!g.mounted) throw e;
        // Each compiles alone yet not mounted together: give each its own module, as written.
        for (const m of members) {
          const alone: Group = { ...g, mounted: false, readsInventory: readsInventory(m.t), inventoryKinds: readsInventory(m.t) ? inventoryNeeds(m.t) : [] };
          const own = { ...m, entrypoint: m.own.entrypoint, modules: m.own.modules };
          emit(alone, [own], build({ ...alone, regoVersion: m.t.info.regoVersion }, [own]));
        }
        continue;
      }
    }
    emit(g, members, wasm);
  }
  return out;
}

/**
 * A template's modules with every package moved under `data.<prefix>` and every reference to its
 * own packages (imports, `data.…` refs, `with` targets) following them; `data.inventory` and other
 * references stay. Undefined when the Rego reads `data` in a way a prefix would change: the whole
 * document, a dynamic first key, a package named `inventory…`, or `rego.metadata.chain` (whose
 * paths include the package), or when a module does not parse (the unmounted compile reports it).
 */
function mountTemplate(
  mods: readonly { file: string; text: string }[],
  regoVersion: "v0" | "v1",
  prefix: string,
  parse: (text: string, file: string, regoVersion: "v0" | "v1") => Module,
): { file: string; text: string; parsed: Module }[] | undefined {
  if (mods.some((m) => m.text.includes("rego.metadata.chain"))) return undefined;
  let parsed: Module[];
  try {
    parsed = mods.map((m) => parse(m.text, m.file, regoVersion));
  } catch {
    return undefined;
  }
  const packages: string[][] = [];
  for (const m of parsed) {
    const path = m.package.path.terms.slice(1);
    if (path.length === 0 || path.some((x) => x.type !== "string")) return undefined;
    const names = path.map((x) => (x as { value: string }).value);
    if (names[0] === "inventory") return undefined;
    packages.push(names);
  }
  const startsWith = (a: readonly string[], b: readonly string[]) => b.length <= a.length && b.every((x, i) => a[i] === x);
  const seen = new WeakSet<object>();
  let ok = true;
  const visit = (node: unknown): void => {
    if (!ok || typeof node !== "object" || node === null) return;
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    if (seen.has(node)) return;
    seen.add(node);
    const n = node as { type?: unknown; terms?: unknown };
    if (n.type === "ref" && Array.isArray(n.terms)) {
      const terms = n.terms as { type: string; name?: string; value?: unknown; loc: unknown }[];
      const head = terms[0];
      if (head?.type === "var" && head.name === "data") {
        const keys: string[] = [];
        for (const x of terms.slice(1)) {
          if (x.type !== "string") break;
          keys.push(x.value as string);
        }
        if (keys.length === 0) {
          ok = false;
          return;
        }
        if (packages.some((p) => startsWith(keys, p) || startsWith(p, keys))) terms.splice(1, 0, { type: "string", value: prefix, loc: head.loc });
      }
    }
    for (const [k, v] of Object.entries(node)) if (k !== "loc" && k !== "comments" && k !== "annotations") visit(v);
  };
  visit(parsed);
  if (!ok) return undefined;
  return mods.map((m, i) => ({ file: m.file, text: m.text, parsed: parsed[i]! }));
}

function unionKinds(a: InventoryKind[] | "all", b: InventoryKind[] | "all"): InventoryKind[] | "all" {
  if (a === "all" || b === "all") return "all";
  const seen = new Set(a.map((k) => `${k.group ?? "*"}/${k.kind}`));
  return [...a, ...b.filter((k) => !seen.has(`${k.group ?? "*"}/${k.kind}`))];
}

/** Each module text once (libs repeated across templates). */
function dedupe(mods: { file: string; text: string }[]): { file: string; text: string }[] {
  const seen = new Set<string>();
  return mods.filter((m) => !seen.has(m.text) && !!seen.add(m.text));
}

function toCompileError(e: unknown): CompileError {
  if (e instanceof CompileError) return e;
  const ds = (e as { diagnostics?: { code: string; message: string; span?: { file: string; line: number; col: number } }[] }).diagnostics;
  const notes = Array.isArray(ds) ? ds.slice(0, 5).map((d) => `${d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : ""}${d.code}: ${d.message}`) : [];
  return new CompileError((e as Error).message?.split("\n")[0] ?? String(e), notes);
}

const encoder = new TextEncoder();
const jsonBytes = new WeakMap<object, Uint8Array>();

function bytesOf(v: unknown): Uint8Array {
  if (typeof v !== "object" || v === null) return encoder.encode(JSON.stringify(v ?? null));
  let b = jsonBytes.get(v);
  if (!b) {
    b = encoder.encode(JSON.stringify(v));
    jsonBytes.set(v, b);
  }
  return b;
}

/** `{review, parameters}`: what the shared client passes (anything else is evaluated as it is). */
function isReviewInput(input: unknown): input is { review: unknown; parameters: unknown } {
  if (typeof input !== "object" || input === null || !("review" in input) || !("parameters" in input)) return false;
  let n = 0;
  for (const k in input) if (++n > 2 || (k !== "review" && k !== "parameters")) return false;
  return n === 2;
}

const celTemplates = new WeakMap<TemplateInfo, PreparedTemplate>();

/**
 * Loads the compiled modules (once each) and gives every template a `PreparedTemplate` for the
 * shared client. `moduleData[i]` is the JSON of module i's data document (`{"inventory": …}`, only
 * the kinds its templates read: `check/inventory.ts`), loaded once; a module without it gets `{}`. The
 * bytes may live in a SharedArrayBuffer, so worker threads share one copy of the inventory's text
 * and each module holds only the parsed part it reads.
 */
export async function instantiate(
  set: CompiledSet,
  moduleData: readonly (Uint8Array | undefined)[] = [],
  /** `set.modules` already compiled (`compiledModules`): instances only. */
  compiled: readonly WebAssembly.Module[] = [],
): Promise<Map<string, PreparedTemplate>> {
  const engine = await loadEngine();
  const loaded = set.modules.map((m, i) => {
    // No mocks in a check: every provider answers as unreachable, as in a cluster without it.
    const external = new ExternalDataSession();
    external.begin(undefined);
    // Each evaluation is stopped where Gatekeeper's webhook would give up (ReviewOutcome.timedOut).
    const mod = engine.loadModule(m.wasm, { builtins: external.builtins(), timeoutMs: TEMPLATE_TIMEOUT_MS, ...(compiled[i] ? { compiled: compiled[i] } : {}) });
    const data = moduleData[i];
    // The SDK takes an ArrayBuffer of JSON (a private copy: the shared one may be a SharedArrayBuffer).
    mod.setData(data && m.readsInventory ? data.slice().buffer : {});
    return { mod };
  });
  const out = new Map<string, PreparedTemplate>();
  for (const b of set.templates) {
    if (b.module === -1) {
      // Compiled once per template, as its Rego is (a cached set's bindings keep their info).
      let cel = celTemplates.get(b.info);
      if (!cel) celTemplates.set(b.info, (cel = prepareCelTemplate(b.info)));
      out.set(b.kind, cel);
      continue;
    }
    const l = loaded[b.module]!;
    const id = l.mod.entrypoints[b.entrypoint];
    if (id === undefined) continue;
    const evaluateSync = (input: unknown): unknown => {
      // The review is parsed into the module once for all its templates that judge it.
      const rs = isReviewInput(input)
        ? l.mod.evaluateComposed({ key: "review", json: bytesOf(input.review) }, { key: "parameters", json: bytesOf(input.parameters) }, id)
        : l.mod.evaluate(input, id);
      return rs.length === 0 ? undefined : (rs[0] as { result: unknown }).result;
    };
    out.set(b.kind, {
      info: b.info,
      entrypoint: b.entrypoint,
      policy: {
        evaluateSync,
        async evaluate(input) {
          return evaluateSync(input);
        },
      },
    });
  }
  return out;
}

const wasmModules = new WeakMap<Uint8Array, Promise<WebAssembly.Module>>();
// The WebAssembly global's functions (the project's type libraries declare only its types).
const wasmApi = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;

/**
 * The set's modules compiled to machine code, once per process (a cached set's bytes are the same
 * arrays): runs and worker threads instantiate them without compiling again.
 */
export function compiledModules(set: CompiledSet): Promise<WebAssembly.Module[]> {
  return Promise.all(
    set.modules.map((m) => {
      let p = wasmModules.get(m.wasm);
      if (!p) {
        p = wasmApi.compile(m.wasm);
        wasmModules.set(m.wasm, p);
      }
      return p;
    }),
  );
}

