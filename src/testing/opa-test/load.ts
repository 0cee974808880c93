/**
 * Loads the paths of `policyc test PATH...` as OPA's file loader does for `opa test`: directories
 * are walked recursively (entries in name order); `.rego` files become modules named by their path
 * as given; `.json`, `.yaml` and `.yml` files are merged into `data` under the names of the folders
 * between the given directory and the file (the file's own name does not matter); other files
 * inside folders are skipped, while a file named explicitly is tried as Rego, JSON, then YAML.
 * A `a.b:path` prefix places that path's data under `data.a.b`. `--ignore` globs match base names
 * of files and folders below the given paths (not the paths themselves), as OPA's do.
 * With `bundle` (`opa test -b`), each path is a bundle directory: only files named `data.json`,
 * `data.yaml` or `data.yml` are data, placed under their folder's path within the bundle, and the
 * bundle's `.manifest` gives its modules' Rego version (`rego_version`, and `file_rego_versions`
 * globs over the path within the bundle, `/dir/x.rego`, first match in sorted pattern order), over
 * the command's default, as OPA's bundle reader does.
 * YAML files hold one document; like OPA's YAML reader, only the first of several is read.
 */
import { Buffer } from "node:buffer";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describeFsError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC4 } from "../diagnostics.js";
import { decodeUtf8, isDiagnostic, parseYamlText } from "../yaml-files.js";
import { PC43 } from "./diagnostics.js";
import { exactYamlValue, isRecord, mergeInto, parseJsonExact } from "../../engine/eval/documents.js";
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_DEPTH, readRegularFile, refusedRead, tooDeepAt } from "../../engine/eval/read-document.js";
import { EvalMessages } from "../../engine/eval/diagnostics.js";

export interface LoadedFiles {
  /** Rego sources in load order; `file` is the path as OPA names it (the argument joined with the entries). */
  modules: { file: string; text: string; regoVersion?: "v0" | "v1"; bundleRoots?: string[] }[];
  data: Record<string, unknown>;
  diagnostics: Diagnostic[];
}

export function loadPaths(paths: string[], options: { cwd: string; ignore?: string[]; bundle?: boolean }): LoadedFiles {
  const out: LoadedFiles = { modules: [], data: {}, diagnostics: [] };
  const ignore = (options.ignore ?? []).map(goGlobToRegExp);
  // The manifest of the bundle being walked (bundle mode), and that bundle's root.
  let manifest: Manifest | undefined;
  let bundleRoot = "";
  // The bundle's own data, for its manifest's roots.
  let bundleData: Record<string, unknown> = {};
  for (const arg of paths) {
    const { prefix, file } = splitPrefix(arg);
    manifest = options.bundle ? readManifest(file) : undefined;
    bundleRoot = path.resolve(options.cwd, file);
    bundleData = {};
    walk(file, prefix, 0);
    const roots = manifest?.roots;
    if (roots) {
      const bad = dataOutsideRoots(bundleData, roots);
      if (bad !== undefined) out.diagnostics.push(diag(PC43.dataOutsideRoots, [goList(roots), bad], { file: path.join(file, ".manifest"), line: 1, col: 1 }));
    }
  }
  return out;

  function readManifest(dir: string): Manifest | undefined {
    const file = path.join(dir, ".manifest");
    const abs = path.resolve(options.cwd, file);
    try {
      if (!statSync(abs).isFile()) return undefined;
    } catch {
      return undefined;
    }
    const r = readRegularFile(abs, MAX_DOCUMENT_BYTES);
    if ("problem" in r) {
      out.diagnostics.push(refusedRead(r, file));
      return undefined;
    }
    try {
      const m = JSON.parse(Buffer.from(r.bytes).toString("utf8")) as Record<string, unknown>;
      const version = (v: unknown): "v0" | "v1" | undefined => (v === 0 ? "v0" : v === 1 ? "v1" : undefined);
      const files = isRecord(m.file_rego_versions) ? m.file_rego_versions : {};
      return {
        ...(Array.isArray(m.roots) ? { roots: m.roots.filter((r): r is string => typeof r === "string") } : {}),
        regoVersion: version(m.rego_version),
        files: Object.keys(files).sort().flatMap((pattern) => {
          const v = version(files[pattern]);
          return v ? [{ re: bundleGlobToRegExp(pattern), version: v }] : [];
        }),
      };
    } catch (e) {
      out.diagnostics.push(diag(PC43.badDocument, [file, (e as Error).message.split("\n")[0] ?? ""], { file, line: 1, col: 1 }));
      return undefined;
    }
  }

  function walk(p: string, at: string[], depth: number): void {
    const abs = path.resolve(options.cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      out.diagnostics.push((e as NodeJS.ErrnoException).code === "ENOENT" ? diag(PC43.noSuchPath, [p]) : diag(PC4.fileUnreadable, ["test", p, describeFsError(e)]));
      return;
    }
    const base = path.basename(abs);
    if (depth >= 1 && ignore.some((re) => re.test(base))) return;
    if (st.isDirectory()) {
      const inner = depth > 0 ? [...at, base] : at;
      let names: string[];
      try {
        names = readdirSync(abs).sort();
      } catch (e) {
        out.diagnostics.push(diag(PC4.fileUnreadable, ["test", p, describeFsError(e)]));
        return;
      }
      for (const name of names) walk(path.join(p, name), inner, depth + 1);
      return;
    }
    loadFile(p, abs, at, depth);
  }

  function loadFile(p: string, abs: string, at: string[], depth: number): void {
    const ext = path.extname(p).toLowerCase();
    if (p.endsWith(".tar.gz")) {
      out.diagnostics.push(diag(PC43.bundleUnsupported, [p]));
      return;
    }
    const known = ext === ".rego" || ext === ".json" || ext === ".yaml" || ext === ".yml";
    if (!known && depth > 0) return;
    if (options.bundle && ext !== ".rego" && !/^data\.(json|ya?ml)$/.test(path.basename(p))) return;
    // eval's guarded reader: FIFOs, devices and oversized files are diagnostics, never read.
    const r = readRegularFile(abs, MAX_DOCUMENT_BYTES);
    if ("problem" in r) {
      out.diagnostics.push(refusedRead(r, p));
      return;
    }
    const text = decodeUtf8(r.bytes, p);
    if (typeof text !== "string") {
      out.diagnostics.push(text);
      return;
    }
    if (ext === ".rego" || (!known && looksLikeRego(text))) {
      const regoVersion = manifest ? manifestVersion(manifest, "/" + path.relative(bundleRoot, abs).split(path.sep).join("/")) : undefined;
      out.modules.push({ file: p, text, ...(regoVersion ? { regoVersion } : {}), ...(manifest?.roots ? { bundleRoots: manifest.roots } : {}) });
      return;
    }
    const deep = tooDeepAt(text);
    if (deep) {
      out.diagnostics.push(diag(EvalMessages.documentTooDeep, [MAX_DOCUMENT_DEPTH], { file: p, line: deep.line, col: deep.col }));
      return;
    }
    let doc: unknown;
    // Numbers stay exact (OPA keeps json.Number): big integers are ExactNum values.
    if (ext === ".json") {
      try {
        doc = parseJsonExact(text);
      } catch (e) {
        out.diagnostics.push(diag(PC43.badDocument, [p, (e as Error).message.split("\n")[0] ?? ""], { file: p, line: 1, col: 1 }));
        return;
      }
    } else {
      // YAML data as OPA's loader reads it (sigs.k8s.io/yaml): the project's one YAML reader.
      const parsed = parseYamlText(text, p, "object");
      if (isDiagnostic(parsed)) {
        out.diagnostics.push(known ? parsed : diag(PC43.unrecognized, [p]));
        return;
      }
      const first = parsed.docs[0];
      doc = first ? exactYamlValue(first.doc) : null;
    }
    mergeDocument(p, at, doc);
  }

  function mergeDocument(p: string, at: string[], doc: unknown): void {
    if (at.length === 0 && !isRecord(doc)) {
      out.diagnostics.push(diag(PC43.dataNotObject, [p, "the root"], { file: p, line: 1, col: 1 }));
      return;
    }
    const placed = at.reduceRight<unknown>((acc, k) => ({ [k]: acc }), doc) as Record<string, unknown>;
    if (manifest?.roots) mergeInto(bundleData, structuredClone(placed), []);
    const conflict = mergeInto(out.data, placed, []);
    if (conflict) out.diagnostics.push(diag(PC43.dataConflict, [p, conflict], { file: p, line: 1, col: 1 }));
  }
}

interface Manifest {
  /** `roots`: the data paths (`a/b`) the bundle may define; absent, it may define any. */
  roots?: string[];
  regoVersion: "v0" | "v1" | undefined;
  files: { re: RegExp; version: "v0" | "v1" }[];
}

function manifestVersion(m: Manifest, inBundle: string): "v0" | "v1" | undefined {
  return m.files.find((f) => f.re.test(inBundle))?.version ?? m.regoVersion;
}

/**
 * A gobwas/glob pattern without separators, as OPA compiles `file_rego_versions` keys: `*` and `**`
 * match any run of characters (`/` included), `?` one, `[...]`/`[!...]` a class, `{a,b}` either,
 * `\\` escapes.
 */
export function bundleGlobToRegExp(glob: string): RegExp {
  return globToRegExp(glob, "gobwas");
}

/** OPA's RootPathsContain: a root contains the path when it is the path's prefix (segment-wise); `""` contains all. */
export function rootsContain(roots: string[], p: string): boolean {
  const segs = p.split("/");
  return roots.some((r) => {
    const root = r.split("/");
    if (root.length === 1 && root[0] === "") return true;
    return root.length <= segs.length && root.every((x, i) => x === segs[i]);
  });
}

/**
 * The first data path (`/a/b`) of a bundle that its manifest's roots do not permit, walked as
 * OPA's validateAndInjectDefaults does: a path inside a root is fine; an object on the way to a
 * root is entered; anything else is outside.
 */
function dataOutsideRoots(data: unknown, roots: string[], at = ""): string | undefined {
  const p = at.replace(/^\/+|\/+$/g, "");
  if (rootsContain(roots, p)) return undefined;
  if (isRecord(data) && roots.some((r) => rootsContain([p], r))) {
    for (const k of Object.keys(data).sort()) {
      const bad = dataOutsideRoots(data[k], roots, `${at}/${k}`);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  return `/${p}`;
}

/** Go's %v of a []string: `[a b]`. */
export function goList(xs: string[]): string {
  return `[${xs.join(" ")}]`;
}

/** `a.b:path` → prefix [a, b]; URLs (`file://...`) and plain paths have none. */
function splitPrefix(arg: string): { prefix: string[]; file: string } {
  const colon = arg.indexOf(":");
  if (colon <= 0 || arg.indexOf("://") === colon) return { prefix: [], file: arg };
  return { prefix: arg.slice(0, colon).split("."), file: arg.slice(colon + 1) };
}

/** An explicitly named file of unknown type is Rego when it starts like a module. */
function looksLikeRego(text: string): boolean {
  return /^\s*(#[^\n]*\n\s*)*package\s/.test(text);
}

/** Go's `filepath.Match` pattern (`*`, `?`, `[a-z]`, `[^x]`, `\\` escapes) over one name. */
export function goGlobToRegExp(glob: string): RegExp {
  return globToRegExp(glob, "go");
}

/**
 * A glob as a RegExp. `go` (filepath.Match): `*` and `?` stop at `/`, `[^...]` negates. `gobwas`
 * (no separators): `*`, `**` and `?` cross `/`, `[!...]` negates, `{a,b}` alternatives.
 */
function globToRegExp(glob: string, dialect: "go" | "gobwas"): RegExp {
  const any = dialect === "go" ? "[^/]" : ".";
  const negation = dialect === "go" ? "^" : "!";
  let re = "";
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      while (dialect === "gobwas" && glob[i + 1] === "*") i++;
      re += `${any}*`;
    } else if (c === "?") re += any;
    else if (c === "\\" && i + 1 < glob.length) re += escape(glob[++i]!);
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end < 0) {
        re += "\\[";
        continue;
      }
      const body = glob.slice(i + 1, end);
      const negated = body.startsWith(negation);
      re += `[${negated ? "^" : ""}${(negated ? body.slice(1) : body).replace(/[\]\\^]/g, "\\$&")}]`;
      i = end;
    } else if (dialect === "gobwas" && c === "{") {
      depth++;
      re += "(?:";
    } else if (dialect === "gobwas" && c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (dialect === "gobwas" && c === "," && depth > 0) re += "|";
    else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
