/**
 * Rego bodies in the DSL: the `rego` tagged template (inline text, dedented) and `regoFile()` (a
 * `.rego` file beside the policy). Both are plain tagged objects; the front end reads files and maps
 * parse errors back to the user's line.
 */
import { lazyCallSite, type CallSite } from "./definition.js";

/** Inline Rego written with the `rego` tag. `text` is dedented; `site` is where the tag was used. */
export interface RegoText {
  readonly regoText: string;
  readonly site?: CallSite;
}

/** A Rego module in a file, relative to the policy file that references it. */
export interface RegoFile {
  readonly regoFile: string;
  readonly site?: CallSite;
}

export type RegoSource = RegoText | RegoFile;

/**
 * Inline Rego. Common indentation and the first blank line are removed so the module can be
 * indented with the surrounding TypeScript; line numbers in diagnostics still point into the template.
 *
 * @example
 * rego: rego`
 *   package k8sdisallowedtags
 *   violation[{"msg": msg}] { ... }
 * `
 */
export function rego(strings: TemplateStringsArray, ...values: unknown[]): RegoText {
  let raw = strings.raw[0] ?? "";
  for (let i = 0; i < values.length; i++) raw += String(values[i]) + (strings.raw[i + 1] ?? "");
  return withSite({ regoText: dedent(raw.replace(/\\`/g, "`").replace(/\\\$/g, "$")) });
}

/** A Rego module read from `path` (relative to the file that calls `regoFile`). */
export function regoFile(path: string): RegoFile {
  return withSite({ regoFile: path });
}

/** Adds a lazily computed, non-enumerable `site` (see `lazyCallSite`). */
function withSite<T extends object>(value: T): T & { readonly site?: CallSite } {
  Object.defineProperty(value, "site", { get: lazyCallSite(), enumerable: false });
  return value;
}

/**
 * Removes the leading newline and the common indentation. Exported because the front end needs the
 * same arithmetic to map a line of the dedented text back to the template.
 */
export function dedent(text: string): string {
  const body = text.replace(/^[ \t]*\r?\n/, "");
  const lines = body.split(/\r?\n/);
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length),
    Number.MAX_SAFE_INTEGER,
  );
  const cut = indent === Number.MAX_SAFE_INTEGER ? 0 : indent;
  const out = lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join("\n");
  return out.replace(/[ \t]*$/, "").replace(/\n*$/, "\n");
}

export function isRegoText(v: unknown): v is RegoText {
  return typeof v === "object" && v !== null && typeof (v as RegoText).regoText === "string";
}

export function isRegoFile(v: unknown): v is RegoFile {
  return typeof v === "object" && v !== null && typeof (v as RegoFile).regoFile === "string";
}
