/**
 * File access for one run: each sample, template and constraint file is read and parsed once;
 * gator's "exactly one object" rule (a case's object) and its first-document reading (a test's
 * template and constraint) are applied with a diagnostic pointing at the reference.
 */
import path from "node:path";
import { diag, type Diagnostic, type Span } from "../../diagnostics/index.js";
import { PC4 } from "../diagnostics.js";
import { isObject, type KubeObject } from "../gatekeeper/objects.js";
import { isDiagnostic, readYamlFile, type YamlFile } from "../yaml-files.js";
import type { FileRef } from "../suite/model.js";

export class RunFiles {
  private readonly cache = new Map<string, YamlFile | Diagnostic>();
  constructor(readonly cwd: string) {}

  display(abs: string): string {
    return path.relative(this.cwd, abs) || abs;
  }

  /** All objects in the file (multi-document allowed), or a diagnostic. */
  objects(ref: FileRef, what: string): KubeObject[] | Diagnostic {
    let f = this.cache.get(ref.abs);
    if (!f) {
      f = readYamlFile(ref.abs, what, "object", this.display(ref.abs), ref.span);
      this.cache.set(ref.abs, f);
    }
    if (isDiagnostic(f)) {
      // A missing file is reported where it is referenced; a parse error where it is.
      return f.code === PC4.fileMissing.code ? { ...diag(PC4.fileMissing, [what, ref.rel], ref.span) } : f;
    }
    const objs: KubeObject[] = [];
    for (const d of f.docs) {
      if (!isObject(d.value)) {
        return diag(PC4.wrongShape, [`${what} file ${ref.rel}`, "Kubernetes objects (maps)", Array.isArray(d.value) ? "a list" : typeof d.value], ref.span);
      }
      objs.push(d.value);
    }
    if (objs.length === 0) return diag(PC4.noObjects, [ref.rel], ref.span);
    return objs;
  }

  /**
   * The file's first object, and only it: gator reads a test's template and constraint files with
   * one YAML decode, which takes the first document and never looks at the others.
   */
  first(ref: FileRef, what: string): { object: KubeObject; others: number } | Diagnostic {
    const objs = this.objects(ref, what);
    if (isDiagnostic(objs)) return objs;
    return { object: objs[0]!, others: objs.length - 1 };
  }

  /** The file's single object; several objects are an error (gator: "must contain exactly one object"). */
  single(ref: FileRef, what: string): KubeObject | Diagnostic {
    const objs = this.objects(ref, what);
    if (isDiagnostic(objs)) return objs;
    if (objs.length !== 1) return diag(PC4.multipleObjects, [ref.rel, objs.length], ref.span);
    return objs[0]!;
  }

  /**
   * Where the text of a block scalar (`rego: |`) at `path` in the file's `doc`-th document starts:
   * the line after the indicator, at its indentation. Undefined for other scalars.
   */
  blockStart(abs: string, docIndex: number, path: (string | number)[]): { line: number; col: number } | undefined {
    const f = this.cache.get(abs);
    if (!f || isDiagnostic(f)) return undefined;
    const doc = f.docs[docIndex]?.doc;
    const node = doc?.getIn(path, true) as { type?: string; range?: [number, number, number] } | undefined;
    if (!node?.range || (node.type !== "BLOCK_LITERAL" && node.type !== "BLOCK_FOLDED")) return undefined;
    const nl = f.text.indexOf("\n", node.range[0]);
    if (nl < 0) return undefined;
    const start = f.lines.linePos(nl + 1);
    // The block's indentation is that of its first non-empty line; line 1 of the value is the next line.
    const firstText = f.text.slice(nl + 1, node.range[1]).split("\n").find((l) => l.trim() !== "") ?? "";
    return { line: start.line, col: firstText.length - firstText.trimStart().length + 1 };
  }

  spanOf(ref: FileRef): Span {
    return ref.span;
  }
}
