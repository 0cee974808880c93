/**
 * `golden.json`: for every case of a suite, the violations the engine produced, messages sorted (then
 * details), so a change in any decision or message shows up as a diff. Keys are sorted and the file
 * ends with a newline, so the same results always give the same bytes.
 */
import type { Violation } from "../gatekeeper/violations.js";

export interface GoldenViolation {
  msg: string;
  details: unknown;
}

/** test name → case name → violations */
export type GoldenFile = Record<string, Record<string, GoldenViolation[]>>;

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

export function canonicalViolations(vs: readonly Violation[] | readonly GoldenViolation[]): GoldenViolation[] {
  const out = vs.map((v) => ({ msg: v.msg, details: sortKeys(v.details ?? {}) }));
  const key = (g: GoldenViolation) => `${g.msg}\u0000${JSON.stringify(g.details)}`;
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** One line per violation for diffs: the message, plus its details when there are any. */
export function violationLine(v: GoldenViolation): string {
  const d = v.details;
  const empty = d === undefined || d === null || (typeof d === "object" && Object.keys(d as object).length === 0);
  return empty ? v.msg : `${v.msg}  details: ${JSON.stringify(d)}`;
}

export function serializeGolden(g: GoldenFile): string {
  return `${JSON.stringify(sortKeys(g), null, 2)}\n`;
}

/** Parses and checks the shape; throws Error with the reason. */
export function parseGolden(text: string): GoldenFile {
  const raw = JSON.parse(text) as unknown;
  const bad = (why: string) => new Error(why);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw bad("the top level must be an object of tests");
  for (const [t, cases] of Object.entries(raw)) {
    if (!cases || typeof cases !== "object" || Array.isArray(cases)) throw bad(`test "${t}" must map case names to violation lists`);
    for (const [c, vs] of Object.entries(cases)) {
      if (!Array.isArray(vs) || vs.some((v) => !v || typeof v !== "object" || typeof (v as GoldenViolation).msg !== "string"))
        throw bad(`case "${t}" / "${c}" must be a list of {msg, details}`);
    }
  }
  return raw as GoldenFile;
}

export function sameViolations(a: readonly GoldenViolation[], b: readonly GoldenViolation[]): boolean {
  return JSON.stringify(canonicalViolations(a)) === JSON.stringify(canonicalViolations(b));
}
