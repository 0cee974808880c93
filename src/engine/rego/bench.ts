/**
 * Benchmark hook for `npm run bench`: parses (and formats) the Rego of every Gatekeeper library
 * template N times and reports timings. Target: the whole library parses in well under 100 ms.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { formatModule } from "./printer.js";
import { parseModule } from "./parser.js";

export interface RegoSource {
  name: string;
  text: string;
}

export interface ParseBenchResult {
  templates: number;
  /** Rego modules (template rego plus libs). */
  modules: number;
  bytes: number;
  iterations: number;
  /** Milliseconds to parse the whole library once: fastest, median and mean over the iterations. */
  parseMs: { min: number; median: number; mean: number };
  /** Milliseconds to format every parsed module once (median). */
  formatMs: number;
}

function findTemplates(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) findTemplates(p, out);
    else if (f === "template.yaml") out.push(p);
  }
  return out;
}

/** The Rego (v0) of every ConstraintTemplate under `libraryRoot`, including `libs` and `code[].source`. */
export function loadLibraryRego(libraryRoot: string): { templates: number; sources: RegoSource[] } {
  const sources: RegoSource[] = [];
  const files = findTemplates(libraryRoot);
  for (const file of files) {
    const doc = parseDocument(readFileSync(file, "utf8")).toJS() as {
      spec?: { targets?: { rego?: string; libs?: string[]; code?: { engine: string; source?: { rego?: string; libs?: string[] } }[] }[] };
    };
    const target = doc.spec?.targets?.[0];
    const code = target?.code?.find((c) => c.engine === "Rego")?.source;
    const rego = target?.rego ?? code?.rego;
    const libs = target?.rego !== undefined ? target.libs : code?.libs;
    if (rego === undefined) continue;
    const name = path.relative(libraryRoot, path.dirname(file));
    [rego, ...(libs ?? [])].forEach((text, i) => sources.push({ name: i === 0 ? name : `${name}#lib${i - 1}`, text }));
  }
  return { templates: files.length, sources };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Parses every library module `iterations` times (after a warm-up) and formats them once per
 * iteration. `libraryRoot` defaults to ../shared/corpora/gatekeeper-library/library from the cwd.
 */
export function benchParseLibrary(
  iterations = 50,
  libraryRoot = path.resolve(process.cwd(), "..", "shared", "corpora", "gatekeeper-library", "library"),
): ParseBenchResult {
  const { templates, sources } = loadLibraryRego(libraryRoot);
  const parseAll = () => sources.map((s) => parseModule(s.text, { file: s.name, regoVersion: "v0" }));
  for (let i = 0; i < 3; i++) parseAll();
  const times: number[] = [];
  const formatTimes: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const modules = parseAll();
    const t1 = performance.now();
    for (const m of modules) formatModule(m, { regoVersion: "v0" });
    formatTimes.push(performance.now() - t1);
    times.push(t1 - t0);
  }
  return {
    templates,
    modules: sources.length,
    bytes: sources.reduce((n, s) => n + s.text.length, 0),
    iterations,
    parseMs: { min: Math.min(...times), median: median(times), mean: times.reduce((a, b) => a + b, 0) / times.length },
    formatMs: median(formatTimes),
  };
}
