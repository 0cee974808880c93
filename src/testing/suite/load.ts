/**
 * Finds and reads gator Suite files. A path is a suite file, a directory or `dir/...`. With
 * `gatorPaths` (the CLI), a directory is read as `gator verify` reads it: only its own files, and
 * `dir/...` also every directory below; otherwise (programmatic runs over emitted or library trees)
 * a directory is searched recursively. Files whose group/kind is not
 * test.gatekeeper.sh/Suite are ignored, as gator does. Shape errors become PC4xxx diagnostics
 * attached to the suite, test or case they break, so the rest still runs.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { RE2JS } from "re2js";
import type { Document } from "yaml";
import { describeFsError, diag, type Diagnostic, type Span } from "../../diagnostics/index.js";
import { PC4 } from "../diagnostics.js";
import { externalDataMockProblem, type ExternalDataMocks } from "../gatekeeper/external-data.js";
import { isObject } from "../gatekeeper/objects.js";
import { decodeUtf8, isDiagnostic, keySpanAt, parseYamlText, spanAt, type YamlFile } from "../yaml-files.js";
import type { FileRef, Suite, SuiteAssertion, SuiteCase, SuiteTest, ViolationsExpectation } from "./model.js";

export interface Discovery {
  files: string[];
  diagnostics: Diagnostic[];
}

const skipDirs = new Set(["node_modules", ".git"]);

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!skipDirs.has(e.name)) walk(p, out);
    } else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
}

/** A directory's own YAML files, not those of its subdirectories (gator without `/...`). */
function ownFiles(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (!e.isDirectory() && /\.ya?ml$/.test(e.name)) out.push(path.join(dir, e.name));
}

export interface DiscoverOptions {
  /** Read directories as `gator verify` does: only their own files unless the path ends in `/...`. */
  gatorPaths?: boolean;
}

/** Lists candidate YAML files under the given paths (absolute, sorted, de-duplicated). */
export function discoverSuiteFiles(
  paths: readonly string[],
  cwd: string,
  opts: DiscoverOptions = {},
): Discovery & { explicit: Set<string>; flatDirs: string[] } {
  const files = new Set<string>();
  const explicit = new Set<string>();
  const flatDirs: string[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const raw of paths) {
    const recursive = raw.endsWith("/...") || raw === "...";
    const p = recursive ? raw.slice(0, -3).replace(/(.)\/$/, "$1") || "." : raw;
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      diagnostics.push(diag(PC4.badPath, [raw, (e as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : `cannot be read: ${describeFsError(e)}`]));
      continue;
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      if (opts.gatorPaths && !recursive) {
        ownFiles(abs, found);
        flatDirs.push(abs);
      } else walk(abs, found);
      for (const f of found) files.add(f);
    } else if (recursive && opts.gatorPaths) {
      diagnostics.push(diag(PC4.badPath, [raw, "is a file: only a directory can be traversed with /..."]));
    } else if (/\.ya?ml$/.test(abs)) {
      files.add(abs);
      explicit.add(abs);
    } else diagnostics.push(diag(PC4.badPath, [raw, "is not a .yaml/.yml file or a directory"]));
  }
  return { files: [...files].sort(), diagnostics, explicit, flatDirs };
}

/** Suite files below a directory read without `/...`: what `DIR/...` would have run. */
export function suitesBelow(dir: string): number {
  const found: string[] = [];
  walk(dir, found);
  let n = 0;
  for (const f of found) {
    if (path.dirname(f) === dir) continue;
    try {
      if (mightBeSuite(readFileSync(f, "utf8"))) n++;
    } catch {
      // unreadable files are reported when run
    }
  }
  return n;
}

type Path = (string | number)[];

class SuiteReader {
  readonly warnings: Diagnostic[] = [];
  constructor(
    readonly f: YamlFile,
    readonly doc: Document.Parsed,
    readonly dir: string,
  ) {}

  span(p: Path): Span {
    return spanAt(this.f, this.doc, p);
  }
  keySpan(p: Path): Span {
    return keySpanAt(this.f, this.doc, p);
  }

  describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "a list";
    if (typeof v === "object") return "a map";
    return `${typeof v} ${JSON.stringify(v)}`;
  }

  checkKnown(obj: Record<string, unknown>, p: Path, known: string[], where: string): void {
    for (const k of Object.keys(obj)) {
      if (!known.includes(k)) this.warnings.push(diag(PC4.unknownField, [k, where], this.keySpan([...p, k])));
    }
  }

  str(obj: Record<string, unknown>, p: Path, key: string, diags: Diagnostic[]): string | undefined {
    const v = obj[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") {
      diags.push(diag(PC4.wrongShape, [key, "a string", this.describe(v)], this.span([...p, key])));
      return undefined;
    }
    return v;
  }

  bool(obj: Record<string, unknown>, p: Path, key: string, diags: Diagnostic[]): boolean {
    const v = obj[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== "boolean") {
      diags.push(diag(PC4.wrongShape, [key, "true or false", this.describe(v)], this.span([...p, key])));
      return false;
    }
    return v;
  }

  ref(obj: Record<string, unknown>, p: Path, key: string, diags: Diagnostic[]): FileRef | undefined {
    const rel = this.str(obj, p, key, diags);
    if (rel === undefined || rel === "") return undefined;
    const span = this.span([...p, key]);
    if (path.isAbsolute(rel)) {
      diags.push(diag(PC4.absolutePath, [key, rel], span));
      return undefined;
    }
    return { rel, abs: path.resolve(this.dir, rel), span };
  }

  assertion(v: unknown, p: Path, diags: Diagnostic[]): SuiteAssertion | undefined {
    const span = this.span(p);
    if (!isObject(v)) {
      diags.push(diag(PC4.wrongShape, ["assertion", "a map with 'violations' and/or 'message'", this.describe(v)], span));
      return undefined;
    }
    this.checkKnown(v, p, ["violations", "message"], "an assertion");
    let violations: ViolationsExpectation = "yes";
    const raw = v.violations;
    if (raw !== undefined && raw !== null) {
      if (raw === "yes" || raw === "no") violations = raw;
      else if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0) violations = raw;
      else {
        diags.push(diag(PC4.badViolations, [this.describe(raw)], this.span([...p, "violations"])));
        return undefined;
      }
    }
    const a: SuiteAssertion = { violations, span };
    const msg = v.message;
    if (msg !== undefined && msg !== null) {
      if (typeof msg !== "string") {
        diags.push(diag(PC4.wrongShape, ["message", "a string (an RE2 regular expression)", this.describe(msg)], this.span([...p, "message"])));
        return undefined;
      }
      a.message = msg;
      try {
        a.regex = RE2JS.compile(msg);
      } catch (e) {
        diags.push(diag(PC4.badRegex, [(e as Error).message], this.span([...p, "message"])));
        return undefined;
      }
    }
    return a;
  }

  /** `externalData: {<provider>: {responses, errors, status_code, system_error}}` of a case. */
  externalData(v: unknown, p: Path, diags: Diagnostic[]): ExternalDataMocks | undefined {
    if (!isObject(v)) {
      diags.push(diag(PC4.wrongShape, ["externalData", "a map from provider name to its response", this.describe(v)], this.span(p)));
      return undefined;
    }
    for (const [provider, mock] of Object.entries(v)) {
      const problem = externalDataMockProblem(provider, mock);
      if (problem) {
        diags.push(diag(PC4.badExternalData, [problem], this.span([...p, provider])));
        return undefined;
      }
    }
    return v as ExternalDataMocks;
  }

  case_(v: unknown, p: Path, index: number): SuiteCase {
    const span = this.span(p);
    const diagnostics: Diagnostic[] = [];
    const c: SuiteCase = { name: `case ${index + 1}`, inventory: [], skip: false, assertions: [], span, diagnostics };
    if (!isObject(v)) {
      diagnostics.push(diag(PC4.wrongShape, ["cases[]", "a map", this.describe(v)], span));
      return c;
    }
    this.checkKnown(v, p, ["name", "object", "inventory", "externalData", "skip", "assertions", "regoAssertions"], "a case");
    c.name = this.str(v, p, "name", diagnostics) ?? c.name;
    c.skip = this.bool(v, p, "skip", diagnostics);
    const obj = this.ref(v, p, "object", diagnostics);
    if (obj) c.object = obj;
    else if (v.object === undefined || v.object === null || v.object === "")
      diagnostics.push(diag(PC4.missingField, ["object", ` in case '${c.name}' (the file holding the object to review)`], this.keySpan([...p, "name"])));
    const inv = v.inventory;
    if (inv !== undefined && inv !== null) {
      if (!Array.isArray(inv)) diagnostics.push(diag(PC4.wrongShape, ["inventory", "a list of file paths", this.describe(inv)], this.span([...p, "inventory"])));
      else
        inv.forEach((item, i) => {
          const at = [...p, "inventory", i];
          if (typeof item !== "string" || item === "") {
            diagnostics.push(diag(PC4.wrongShape, [`inventory[${i}]`, "a file path", this.describe(item)], this.span(at)));
          } else if (path.isAbsolute(item)) {
            diagnostics.push(diag(PC4.absolutePath, [`inventory[${i}]`, item], this.span(at)));
          } else c.inventory.push({ rel: item, abs: path.resolve(this.dir, item), span: this.span(at) });
        });
    }
    if (v.externalData !== undefined && v.externalData !== null) {
      const ed = this.externalData(v.externalData, [...p, "externalData"], diagnostics);
      if (ed) c.externalData = ed;
    }
    const as = v.assertions;
    if (as === undefined || as === null || (Array.isArray(as) && as.length === 0)) {
      diagnostics.push(diag(PC4.emptyAssertions, [c.name], as === undefined ? this.keySpan([...p, "name"]) : this.span([...p, "assertions"])));
    } else if (!Array.isArray(as)) {
      diagnostics.push(diag(PC4.wrongShape, ["assertions", "a list", this.describe(as)], this.span([...p, "assertions"])));
    } else {
      as.forEach((a, i) => {
        const parsed = this.assertion(a, [...p, "assertions", i], diagnostics);
        if (parsed) c.assertions.push(parsed);
      });
    }
    if (Array.isArray(v.regoAssertions)) {
      c.regoAssertions = [];
      v.regoAssertions.forEach((a, i) => {
        const parsed = this.assertion(a, [...p, "regoAssertions", i], diagnostics);
        if (parsed) c.regoAssertions!.push(parsed);
      });
    }
    return c;
  }

  test(v: unknown, p: Path, index: number): SuiteTest {
    const span = this.span(p);
    const diagnostics: Diagnostic[] = [];
    const t: SuiteTest = { name: `test ${index + 1}`, invalid: false, skip: false, cases: [], span, diagnostics };
    if (!isObject(v)) {
      diagnostics.push(diag(PC4.wrongShape, ["tests[]", "a map", this.describe(v)], span));
      return t;
    }
    this.checkKnown(v, p, ["name", "template", "constraint", "expansion", "invalid", "skip", "cases"], "a test");
    t.name = this.str(v, p, "name", diagnostics) ?? t.name;
    t.skip = this.bool(v, p, "skip", diagnostics);
    t.invalid = this.bool(v, p, "invalid", diagnostics);
    const where = this.keySpan([...p, "name"]);
    const template = this.ref(v, p, "template", diagnostics);
    if (template) t.template = template;
    else if (!v.template) diagnostics.push(diag(PC4.missingField, ["template", ` in test '${t.name}' (the ConstraintTemplate file)`], where));
    const constraint = this.ref(v, p, "constraint", diagnostics);
    if (constraint) t.constraint = constraint;
    else if (!v.constraint) diagnostics.push(diag(PC4.missingField, ["constraint", ` in test '${t.name}' (the Constraint file)`], where));
    const expansion = this.ref(v, p, "expansion", diagnostics);
    if (expansion) t.expansion = expansion;
    const cases = v.cases;
    if (cases !== undefined && cases !== null) {
      if (!Array.isArray(cases)) diagnostics.push(diag(PC4.wrongShape, ["cases", "a list", this.describe(cases)], this.span([...p, "cases"])));
      else t.cases = cases.map((c, i) => this.case_(c, [...p, "cases", i], i));
    }
    if (t.invalid && t.cases.length > 0) diagnostics.push(diag(PC4.invalidWithCases, [t.name], this.span([...p, "invalid"])));
    return t;
  }
}

/**
 * Reads one file. Returns undefined when it is YAML but not a Suite (ignored, like gator), a Suite
 * otherwise; a file that cannot be read or parsed yields a Suite carrying the diagnostic.
 */
export function readSuite(file: string, cwd: string, explicit: boolean): Suite | undefined {
  const display = path.relative(cwd, file) || file;
  const base: Suite = { path: file, display, skip: false, tests: [], diagnostics: [], warnings: [] };
  let text: string;
  try {
    const decoded = decodeUtf8(readFileSync(file), display);
    if (typeof decoded !== "string") {
      base.diagnostics.push(decoded);
      return base;
    }
    text = decoded;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    base.diagnostics.push(code === "ENOENT" ? diag(PC4.fileMissing, ["suite", display]) : diag(PC4.fileUnreadable, ["suite", display, describeFsError(e)]));
    return base;
  }
  // Most YAML under a library folder is samples and templates; skip them without parsing.
  if (!explicit && !mightBeSuite(text)) return undefined;
  const f = parseYamlText(text, display, "suite");
  if (isDiagnostic(f)) {
    base.diagnostics.push(f);
    return base;
  }
  const first = f.docs[0];
  const v = first?.value;
  const kind = isObject(v) ? v.kind : undefined;
  const apiVersion = isObject(v) && typeof v.apiVersion === "string" ? v.apiVersion : "";
  if (!isObject(v) || kind !== "Suite" || apiVersion.split("/")[0] !== "test.gatekeeper.sh") {
    // A file named on the command line must be a suite; inside a directory, other YAML is ignored.
    if (!explicit) return undefined;
    base.diagnostics.push(diag(PC4.notASuite, [display, JSON.stringify(kind ?? null)], first ? spanAt(f, first.doc, ["kind"]) : { file: display, line: 1, col: 1 }));
    return base;
  }
  const r = new SuiteReader(f, first!.doc, path.dirname(file));
  r.checkKnown(v, [], ["kind", "apiVersion", "metadata", "skip", "tests"], "the Suite");
  const name = isObject(v.metadata) && typeof v.metadata.name === "string" ? v.metadata.name : undefined;
  if (name !== undefined) base.name = name;
  base.skip = r.bool(v, [], "skip", base.diagnostics);
  const tests = v.tests;
  if (tests === undefined || tests === null) {
    // gator accepts a suite without tests; it simply runs nothing.
  } else if (!Array.isArray(tests)) {
    base.diagnostics.push(diag(PC4.wrongShape, ["tests", "a list", r.describe(tests)], r.span(["tests"])));
  } else {
    base.tests = tests.map((t, i) => r.test(t, ["tests", i], i));
  }
  base.warnings.push(...r.warnings);
  return base;
}

/** Quick check before parsing: a discovered file can only be a Suite if it names the group. */
export function mightBeSuite(text: string): boolean {
  return text.includes("test.gatekeeper.sh") && text.includes("Suite");
}
