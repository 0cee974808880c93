/**
 * The contract between the DSL and the loader: every define*() returns a plain object branded with
 * `DEFINITION` and registers itself, with its call site, in a process-wide registry that the front end
 * drains after executing the user's files. Builders in other folders (e.g. `src/api/deckhouse/`) call
 * `registerDefinition` with their own `definitionKind` and the front end lowers each kind to IR.
 */

/** Brand on every definition; `Symbol.for` so that two copies of the API (src and dist) agree. */
export const DEFINITION: unique symbol = Symbol.for("policyc.definition") as never;
const REGISTRY = Symbol.for("policyc.registry");

/** Where a define*() call was made, as read from the stack (absolute path; the loader relativizes it). */
export interface CallSite {
  file: string;
  line: number;
  col: number;
}

export interface DefinitionMeta {
  /** Which lowering handles it: `check`, `constraint`, `resource`, or a kind added by another builder. */
  readonly kind: string;
  readonly site?: CallSite;
  /** Registration order; keeps lowering deterministic independent of object identity. */
  readonly seq: number;
}

export interface Definition {
  readonly [DEFINITION]: DefinitionMeta;
}

/** What the loader installs on `globalThis` while it executes user files. */
export interface DefinitionRegistry {
  entries: Definition[];
}

/** Installs a fresh registry; returns it so the caller can drain it. Used by the front end only. */
export function openRegistry(): DefinitionRegistry {
  const registry: DefinitionRegistry = { entries: [] };
  (globalThis as Record<symbol, unknown>)[REGISTRY] = registry;
  return registry;
}

export function closeRegistry(): void {
  delete (globalThis as Record<symbol, unknown>)[REGISTRY];
}

export function isDefinition(value: unknown): value is Definition {
  return typeof value === "object" && value !== null && DEFINITION in value;
}

let seq = 0;

/**
 * Brands `value` as a definition of `definitionKind`, records the user's call site and registers it.
 * Call it from a define*() function: the call site is the first stack frame outside `src/api` (or
 * `dist/api`), i.e. the user's line, so diagnostics can point there.
 */
export function registerDefinition<T extends object>(definitionKind: string, value: T): T & Definition {
  const meta = { kind: definitionKind, seq: seq++ } as DefinitionMeta;
  Object.defineProperty(meta, "site", { get: lazyCallSite(), enumerable: true });
  Object.defineProperty(value, DEFINITION, { value: meta, enumerable: false });
  const registry = (globalThis as Record<symbol, DefinitionRegistry | undefined>)[REGISTRY];
  registry?.entries.push(value as T & Definition);
  return value as T & Definition;
}

/**
 * The API's own directories; frames inside them are the DSL, not the user. Both `src/api` and
 * `dist/api`, because source maps make a built frame report its `src/` origin.
 */
const packageDir = decodeURI(new URL("../../", import.meta.url).pathname);
const apiDirs = [`${packageDir}src/api/`, `${packageDir}dist/api/`];

const FRAME = /(?:\(|\s)((?:file:\/\/)?\/[^()\s]*?):(\d+):(\d+)\)?\s*$/;

/**
 * A getter for the user's call site. V8 records the frames when the Error is created but formats
 * them (and applies source maps, the expensive part) only when `.stack` is read, which the loader
 * does only for definitions it cannot find by their literal name.
 */
export function lazyCallSite(): () => CallSite | undefined {
  if (givenSite) return givenSite;
  const error = new Error();
  let site: CallSite | undefined | null = null;
  return () => {
    if (site === null) site = callSiteOf(error.stack ?? "");
    return site;
  };
}

/** The first stack frame outside the API directory, with file URLs and tsx query strings removed. */
export function userCallSite(): CallSite | undefined {
  return givenSite ? givenSite() : callSiteOf(new Error().stack ?? "");
}

let givenSite: (() => CallSite) | undefined;

/**
 * Runs `fn` with `site` standing for the user's call site of everything it defines. The loader
 * evaluates purely declarative policy files itself (`frontend/static-eval.ts`), so no frame of the
 * user's file is on the stack; it knows the exact position instead, computed on first read.
 */
export function withCallSite<T>(site: () => CallSite, fn: () => T): T {
  const outer = givenSite;
  let known: CallSite | undefined;
  givenSite = () => (known ??= site());
  try {
    return fn();
  } finally {
    givenSite = outer;
  }
}

function callSiteOf(stack: string): CallSite | undefined {
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (!m) continue;
    let file = m[1]!.replace(/\?.*$/, "");
    if (file.startsWith("file://")) file = decodeURI(new URL(file).pathname);
    if (apiDirs.some((d) => file.startsWith(d)) || file.includes("/node_modules/")) continue;
    return { file, line: Number(m[2]), col: Number(m[3]) };
  }
  return undefined;
}
