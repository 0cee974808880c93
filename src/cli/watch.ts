/**
 * Watching a project for `build --watch`: a watcher per folder of the project (new folders join as
 * they appear), events debounced into one rebuild per burst of saves, never two builds at once
 * (changes during a build queue exactly one more), and the output folder, dependencies, VCS data,
 * policyc's temporary folders and editors' swap files ignored so a build never triggers itself.
 *
 * Not `fs.watch(root, { recursive: true })`: on Linux, Node 20 emulates it by watching files, and a
 * file replaced by rename (how `sed -i` and many editors save) is never reported again.
 */
import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { TEMP_PREFIX } from "../build/write.js";
import type { CommandIO } from "./command.js";

export interface WatchOptions {
  root: string;
  /** Absolute folders whose changes never trigger a build (the output directory). */
  ignoreDirs: () => readonly string[];
  /** Runs one build for the changed files (relative to root, sorted). */
  rebuild: (changed: string[]) => Promise<void>;
  /** Quiet time after the last event before building. */
  debounceMs?: number;
  /** Stops watching; the returned promise then resolves. */
  signal?: AbortSignal;
  /** Called once every folder is watched: from then on no change is missed. */
  onReady?: () => void;
}

const IGNORED_SEGMENTS = new Set(["node_modules", ".git", ".hg", ".svn"]);

/** Editors' backup and swap files, and vim's write probe. */
function isEditorNoise(name: string): boolean {
  return name.endsWith("~") || /^\.?#/.test(name) || /\.(swp|swo|swx|tmp)$/.test(name) || name === "4913";
}

export function isIgnored(rel: string, absolute: string, ignoreDirs: readonly string[]): boolean {
  const parts = rel.split(/[\\/]/);
  if (parts.some((p) => IGNORED_SEGMENTS.has(p) || p.startsWith(TEMP_PREFIX))) return true;
  if (isEditorNoise(parts[parts.length - 1] ?? "")) return true;
  return ignoreDirs.some((d) => absolute === d || absolute.startsWith(d + path.sep));
}

export function watchProject(options: WatchOptions): Promise<void> {
  const { root, debounceMs = 150 } = options;
  return new Promise((resolve) => {
    const pending = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    let building = false;
    let stopped = false;
    let watcher: { close(): void } | undefined;

    const run = async (): Promise<void> => {
      timer = undefined;
      if (building || stopped || pending.size === 0) return;
      building = true;
      const changed = [...pending].sort();
      pending.clear();
      try {
        await options.rebuild(changed);
      } finally {
        building = false;
        // Saves made while building get one more build.
        if (pending.size > 0 && !stopped) schedule();
      }
    };
    const schedule = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), debounceMs);
    };
    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
      resolve();
    };

    const watchers = new Map<string, FSWatcher>();
    const onEvent = (dir: string, name: string) => {
      const absolute = path.join(dir, name);
      const rel = path.relative(root, absolute);
      if (isIgnored(rel, absolute, options.ignoreDirs())) return;
      if (!watchers.has(absolute)) {
        try {
          if (statSync(absolute).isDirectory()) watchTree(absolute);
        } catch {
          // gone again: only the change itself matters
        }
      }
      pending.add(rel.split(path.sep).join("/"));
      if (!building) schedule();
    };
    const watchTree = (dir: string) => {
      if (stopped || watchers.has(dir)) return;
      let w: FSWatcher;
      try {
        w = watch(dir, (_event, name) => name && onEvent(dir, name.toString()));
      } catch {
        return;
      }
      // A removed folder's watcher ends with an error; the project root's ends the watch.
      w.on("error", () => (dir === root ? stop() : (w.close(), watchers.delete(dir))));
      watchers.set(dir, w);
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        const child = path.join(dir, e.name);
        if (!isIgnored(path.relative(root, child), child, options.ignoreDirs())) watchTree(child);
      }
    };
    watcher = { close: () => watchers.forEach((w) => w.close()) };
    watchTree(root);
    options.onReady?.();
    if (options.signal?.aborted) stop();
    options.signal?.addEventListener("abort", stop, { once: true });
  });
}

/** One round of a watching command: what it found out, and a line saying how it went. */
export interface Cycle {
  /** The project folder (absent when no config was found: nothing to watch). */
  root?: string;
  /** The output folder it wrote, never watched. */
  outDir?: string;
  summary: string;
}

/**
 * The `--watch` loop shared by commands: one cycle now, then one per burst of changes under the
 * project folder, until Ctrl-C (or `io.signal`), which ends it with status 0. A project without a
 * config ends at once with status 1.
 */
export async function runWatching(io: CommandIO, cycle: () => Promise<Cycle>, ignore: readonly string[] = []): Promise<number> {
  const watching = "watching for changes (Ctrl-C to stop)";
  const first = await cycle();
  if (!first.root) {
    io.stdout(`${first.summary}\n`);
    return 1;
  }
  const outDirs = new Set<string>(ignore);
  if (first.outDir) outDirs.add(first.outDir);
  const stop = new AbortController();
  const interrupt = () => stop.abort();
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  io.signal?.addEventListener("abort", interrupt, { once: true });
  try {
    await watchProject({
      root: first.root,
      ignoreDirs: () => [...outDirs],
      signal: stop.signal,
      // Announced only once every folder is watched, so an edit right after it is never missed.
      onReady: () => io.stdout(`${first.summary}; ${watching}\n`),
      rebuild: async (changed) => {
        const more = changed.length > 1 ? ` and ${changed.length - 1} more` : "";
        io.stdout(`\nchange in ${changed[0]}${more}; rebuilding\n`);
        const next = await cycle();
        if (next.outDir) outDirs.add(next.outDir);
        io.stdout(`${next.summary}; ${watching}\n`);
      },
    });
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
  return 0;
}
