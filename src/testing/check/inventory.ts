/**
 * The inventory a check loads as `data.inventory`: the objects a judging template may read (of
 * the inputs, the project's own resources and the Namespaces the run knows), each kept as its JSON
 * text, and each module's data document put together from those texts in Gatekeeper's layout
 * (the objects are not built or serialized again for it).
 *
 * The inputs' objects are read on a pass of their own while the policy set compiles, for what any
 * of its constraints may need (`InventoryCollector`); what the compiled set's judging templates need
 * is kept. The main thread reads the inputs, and the documents that may hold a kept object are
 * parsed in batches by every thread of the run in turn, so the inventory adds little serial time to
 * a run on several threads, the worker threads being idle until the plan is ready.
 */
import type { Worker } from "node:worker_threads";
import type { CompiledModule } from "../gatekeeper/compile-set.js";
import { fileUnder, InventoryError, inventoryKey, type Inventory, type InventoryKey } from "../gatekeeper/inventory.js";
import type { KubeObject } from "../gatekeeper/objects.js";
import type { GatekeeperConfig, PolicyTemplate } from "../gatekeeper/policy-set.js";
import { inventoryNeeds, ofKinds, readsInventory, syncFilter, type InventoryKind } from "../gatekeeper/sync.js";
import { kindPattern, parseChunk, type Chunk, type ParsedChunk } from "./inputs.js";
import { placeInNamespace } from "./namespaces.js";

/** One object of the inventory: where the sync cache files it, and its JSON text. */
export interface InventoryEntry extends InventoryKey {
  json: string;
}

/** An object's entry; undefined when Gatekeeper would not sync it (no version or no kind). */
export function inventoryEntry(obj: KubeObject): InventoryEntry | undefined {
  try {
    return { ...inventoryKey(obj), json: JSON.stringify(obj) };
  } catch (e) {
    if (e instanceof InventoryError) return undefined;
    throw e;
  }
}

/**
 * The entries of a parsed chunk's objects, each placed in the run's default namespace when it names
 * none, as it would be applied. Policy objects among the inputs are objects too: gator test adds
 * every input object to the data after its templates and constraints, and a cluster syncs the
 * templates and constraints its Config lists (the needs' filter decides which kinds are kept).
 */
function entriesOf(parsed: ParsedChunk, defaultNamespace: string, out: InventoryEntry[]): void {
  for (const o of parsed.objects) {
    const e = inventoryEntry(placeInNamespace(o.object, defaultNamespace));
    if (e) out.push(e);
  }
}

/** The entries of chunks' objects: what a worker thread answers for a batch (`InventoryCollector`). */
export function chunkEntries(chunks: readonly Chunk[], defaultNamespace: string): InventoryEntry[] {
  const out: InventoryEntry[] = [];
  for (const c of chunks) entriesOf(parseChunk(c), defaultNamespace, out);
  return out;
}

/**
 * Which objects the inventory keeps, for the templates that judge: only when one of them reads it,
 * and only the kinds they are said to need (annotations, the Config's `syncOnly`) and their Rego
 * can read (the others cannot change a result).
 */
export interface InventoryNeeds {
  /** Finds the documents that may hold a kept object, by their text (undefined: any may). */
  prefilter?: RegExp;
  accepts(group: string, kind: string): boolean;
}

/** What `judging` needs of the inventory; undefined when none of them reads it. */
export function inventoryNeedsOf(judging: readonly PolicyTemplate[], config: GatekeeperConfig): InventoryNeeds | undefined {
  const sync = syncFilter(judging, config);
  const reads = judging.filter(readsInventory).reduce<InventoryKind[] | "all">((a, t) => {
    const needs = inventoryNeeds(t);
    return a === "all" || needs === "all" ? "all" : [...a, ...needs];
  }, []);
  if (!sync || (reads !== "all" && reads.length === 0)) return undefined;
  const kinds = reads === "all" ? (sync.kinds.has("*") ? undefined : [...sync.kinds]) : [...new Set(reads.map((k) => k.kind))];
  return {
    ...(kinds ? { prefilter: kindPattern(kinds) } : {}),
    accepts: (group, kind) => sync.accepts(group, kind) && ofKinds(reads, group, kind),
  };
}

/** What the main thread asks a worker thread for, and its answer. */
export interface InventoryRequest {
  inventory: number;
  chunks: Chunk[];
  defaultNamespace: string;
}
export interface InventoryAnswer {
  inventory: number;
  entries?: InventoryEntry[];
  error?: string;
}

/** A batch of documents' text: a few milliseconds of parsing, a dozen batches or more for a cluster's inventory. */
const BATCH_BYTES = 128 * 1024;

let requests = 0;

/**
 * Collects the inventory's entries from the chunks of a pass, in input order. The chunks that may
 * hold a kept object are parsed in batches, the main thread and the worker threads given taking
 * turns (on the main thread at once, as the pass reads on; the workers meanwhile). `entries()` gives
 * the entries of what the run needs, or undefined when a worker failed (the run then collects on
 * the main thread).
 */
export class InventoryCollector {
  private readonly parts: (InventoryEntry[] | Promise<InventoryEntry[]>)[] = [];
  private pending: Chunk[] = [];
  private pendingBytes = 0;
  private turn = 0;
  private readonly waiting = new Map<number, { resolve(e: InventoryEntry[]): void; reject(e: Error): void }>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly needs: InventoryNeeds,
    private readonly defaultNamespace: string,
    private readonly workers: readonly Worker[] = [],
  ) {
    const failAll = (e: Error) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    for (const w of workers) {
      const onMessage = (m: InventoryAnswer | object) => {
        if (!("inventory" in m)) return;
        const waiter = this.waiting.get(m.inventory);
        if (!waiter) return;
        this.waiting.delete(m.inventory);
        if (m.entries) waiter.resolve(m.entries);
        else waiter.reject(new Error(`check worker: ${m.error ?? "no answer"}`));
      };
      const onExit = (code: number) => failAll(new Error(`check worker exited with code ${code}`));
      w.on("message", onMessage);
      w.on("error", failAll);
      w.on("exit", onExit);
      // Referenced while the run waits for its answers.
      w.ref();
      this.cleanups.push(() => {
        w.off("message", onMessage);
        w.off("error", failAll);
        w.off("exit", onExit);
        w.unref();
      });
    }
  }

  /** A chunk of the pass. */
  offer(chunk: Chunk): void {
    if (this.needs.prefilter && !this.needs.prefilter.test(chunk.text)) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.text.length;
    if (this.pendingBytes >= BATCH_BYTES) this.dispatch();
  }

  private dispatch(): void {
    if (this.pending.length === 0) return;
    const chunks = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    // The main thread also reads the inputs (about as long as parsing a third of what it reads): it
    // parses one batch in 2n + 1, each of the n workers two.
    const turn = this.turn++ % (2 * this.workers.length + 1);
    if (turn === 0) {
      this.parts.push(chunkEntries(chunks, this.defaultNamespace));
      return;
    }
    const w = this.workers[(turn - 1) % this.workers.length]!;
    const id = ++requests;
    const answer = new Promise<InventoryEntry[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      w.postMessage({ inventory: id, chunks, defaultNamespace: this.defaultNamespace } satisfies InventoryRequest);
    });
    // A failure is seen by `entries()` (not as an unhandled rejection before it).
    answer.catch(() => {});
    this.parts.push(answer);
  }

  /**
   * The entries collected that `needs` keeps (the run's needs, known once its policy set compiled:
   * narrower than what was collected for, never wider), in input order; undefined when a worker failed.
   */
  async entries(needs: InventoryNeeds): Promise<InventoryEntry[] | undefined> {
    this.dispatch();
    try {
      const parts = await Promise.all(this.parts);
      const out: InventoryEntry[] = [];
      for (const p of parts) for (const e of p) if (needs.accepts(e.group, e.kind)) out.push(e);
      return out;
    } catch {
      return undefined;
    } finally {
      this.close();
    }
  }

  /** Stops listening to the workers (answers still on their way are dropped). */
  close(): void {
    for (const c of this.cleanups.splice(0)) c();
    this.waiting.clear();
  }
}

/** The entries of every chunk's objects that `needs` keeps, collected on the main thread (a pass of its own). */
export function collectInventory(chunks: Iterable<Chunk>, needs: InventoryNeeds, defaultNamespace: string): InventoryEntry[] {
  const out: InventoryEntry[] = [];
  for (const c of chunks) {
    if (needs.prefilter && !needs.prefilter.test(c.text)) continue;
    entriesOf(parseChunk(c), defaultNamespace, out);
  }
  return out.filter((e) => needs.accepts(e.group, e.kind));
}

/**
 * Each module's data document as JSON, in shared memory (worker threads read it without a copy):
 * the entries of the kinds its templates read (`inventoryKinds`), in Gatekeeper's layout, or
 * undefined for a module that reads no inventory. An object filed twice keeps its first place and
 * its last text, as the sync cache would hold it.
 */
export function inventoryData(modules: readonly CompiledModule[], entries: readonly InventoryEntry[]): (Uint8Array | undefined)[] {
  const layout: Inventory<string> = { cluster: {}, namespace: {} };
  for (const e of entries) fileUnder(layout, e, e.json);
  return modules.map((m) => {
    if (!m.readsInventory) return undefined;
    const text = encoder.encode(moduleDocument(layout, m.inventoryKinds));
    const out = new Uint8Array(new SharedArrayBuffer(text.length));
    out.set(text);
    return out;
  });
}

const encoder = new TextEncoder();

/** `{"inventory": …}` of the layout's objects of `kinds`, their texts written as they are. */
function moduleDocument(layout: Inventory<string>, kinds: InventoryKind[] | "all"): string {
  const keep = (gv: string, kind: string) => kinds === "all" || ofKinds(kinds, gv.includes("/") ? gv.slice(0, gv.indexOf("/")) : "", kind);
  // gv → kind → name → text, without the kinds a module does not read (and gvs left empty).
  const byGv = (gvs: Record<string, Record<string, Record<string, string>>>): string | undefined => {
    let s = "";
    for (const gv of Object.keys(gvs)) {
      let k = "";
      for (const kind of Object.keys(gvs[gv]!)) {
        if (!keep(gv, kind)) continue;
        const objs = gvs[gv]![kind]!;
        let o = "";
        for (const name of Object.keys(objs)) o += `${o === "" ? "" : ","}${JSON.stringify(name)}:${objs[name]}`;
        k += `${k === "" ? "" : ","}${JSON.stringify(kind)}:{${o}}`;
      }
      if (k !== "") s += `${s === "" ? "" : ","}${JSON.stringify(gv)}:{${k}}`;
    }
    return s === "" ? undefined : s;
  };
  let ns = "";
  for (const name of Object.keys(layout.namespace)) {
    const inner = byGv(layout.namespace[name]!);
    if (inner !== undefined) ns += `${ns === "" ? "" : ","}${JSON.stringify(name)}:{${inner}}`;
  }
  return `{"inventory":{"cluster":{${byGv(layout.cluster) ?? ""}},"namespace":{${ns}}}}`;
}
