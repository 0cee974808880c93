/**
 * Diagnostics as data. Every stage reports problems as `Diagnostic` values with a stable code
 * (`PC1234`), a message and a span; only `render.ts` turns them into text.
 *
 * Code ranges, one per stage (each stage keeps its own catalog beside its code):
 *   PC1xxx  config and front end (loading the user's project, TypeScript errors, schema derivation)
 *   PC2xxx  validation of checks, constraints and manifests (Gatekeeper's rules, schemas)
 *   PC3xxx  emission and writing of the output directory
 *   PC4xxx  golden tests, gator suites (`policyc test`, `policyc verify`)
 *   PC5xxx  Rego engine: parser (PC50xx), compiler (PC51xx-PC52xx), planner and Wasm (PC53xx-PC54xx), evaluation (PC55xx)
 *   PC6xxx  Deckhouse, mutation and Kyverno builders
 *   PC7xxx  TypeScript check bodies compiled to Rego
 *   PC8xxx  `policyc import` (existing Gatekeeper YAML → DSL sources)
 *   PC9xxx  internal failures (bugs in policyc, not in the user's input)
 */

export type Severity = "error" | "warning" | "info";

/** A place in a file. Lines and columns are 1-based; end is exclusive and optional. */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine?: number;
  endCol?: number;
}

export interface Diagnostic {
  /** Stable code such as `PC1001`. */
  code: string;
  severity: Severity;
  message: string;
  span?: Span;
  /** Extra lines shown under the message (hints, related places). */
  notes?: string[];
}

/** A catalog entry: the code and a message template with `{0}`, `{1}` placeholders. */
export interface MessageDef {
  code: string;
  severity?: Severity;
  text: string;
}

/** Builds a diagnostic from a catalog entry. */
export function diag(def: MessageDef, args: readonly unknown[] = [], span?: Span, notes?: string[]): Diagnostic {
  const message = def.text.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  const d: Diagnostic = { code: def.code, severity: def.severity ?? "error", message };
  if (span) d.span = span;
  if (notes && notes.length > 0) d.notes = notes;
  return d;
}

/** Thrown by a stage that cannot continue; carries every diagnostic found so far. */
export class DiagnosticError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
    this.name = "DiagnosticError";
    this.diagnostics = diagnostics;
  }
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, position, code and text so that output (and golden error files) are stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => [d.span?.file ?? "", d.span?.line ?? 0, d.span?.col ?? 0] as const;
  return [...diagnostics].sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    if (fa !== fb) return fa < fb ? -1 : 1;
    if (la !== lb) return la - lb;
    if (ca !== cb) return ca - cb;
    if (a.code !== b.code) return a.code < b.code ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

/** Converts a 0-based offset in `text` into a 1-based line and column. */
export function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}
