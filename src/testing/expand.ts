/**
 * `policyc expand`: `gator expand` offline. Every input object is a generator, as in gator: it is
 * mutated as an original object by the inputs' mutators (Assign, AssignMetadata, ModifySet,
 * AssignImage), then expanded by the inputs' ExpansionTemplates into the objects it would create
 * (mutators with `source: Generated` or `All` apply to those), through the same mutation and
 * expansion engines as `check` and `verify` (src/testing/gatekeeper/). The Namespace an object's
 * mutators see is the Namespace object among the inputs; an object without a namespace is given
 * gator's empty Namespace (so `scope: Namespaced` matchers select it, as they do in gator), and an
 * object in `default` a bare `default` Namespace. The resultants are sorted as gator sorts them (by
 * name, apiVersion and kind, descending).
 *
 * Inputs are read as `check` reads them (files, folders, stdin; YAML, JSON, `kind: List`). An
 * object whose mutation or expansion fails, and a mutator or template Gatekeeper would refuse, are
 * errors (gator stops at the first; policyc reports each and expands the rest).
 */
import { diag, type Diagnostic } from "../diagnostics/index.js";
import { PC41 } from "./diagnostics.js";
import { listInputs, parseChunk, readInputText, splitDocuments, type InputObject } from "./check/inputs.js";
import { admissionFailure, isAdmissionEngineError } from "./check/engines.js";
import { expanderFromObjects, expandObject } from "./gatekeeper/expansion/expander.js";
import { isNamespaceObject, nameOf, namespaceOf, type KubeObject } from "./gatekeeper/objects.js";
import { compareGo } from "./go-yaml.js";
import { isDiagnostic } from "./yaml-files.js";

export interface ExpandOptions {
  cwd: string;
  /** Files, folders, `-` for stdin. */
  inputs: readonly string[];
}

export interface ExpandRun {
  /** The generated objects, in gator's order. */
  objects: KubeObject[];
  diagnostics: Diagnostic[];
}

/** gator's order of resultants: by name + apiVersion + kind, descending (Go byte order). */
function gatorOrder(a: KubeObject, b: KubeObject): number {
  const key = (o: KubeObject) => `${nameOf(o)}${String(o.apiVersion ?? "")}${String(o.kind ?? "")}`;
  return compareGo(key(b), key(a));
}

export function readObjects(inputs: readonly string[], cwd: string): { objects: InputObject[]; diagnostics: Diagnostic[] } {
  const listed = listInputs(inputs, cwd);
  const diagnostics = [...listed.diagnostics];
  const objects: InputObject[] = [];
  for (const f of listed.files) {
    const text = readInputText(f);
    if (isDiagnostic(text)) {
      diagnostics.push(text);
      continue;
    }
    for (const chunk of splitDocuments(text, f.display)) {
      const parsed = parseChunk(chunk);
      diagnostics.push(...parsed.diagnostics);
      objects.push(...parsed.objects);
    }
  }
  return { objects, diagnostics };
}

export function runExpand(opts: ExpandOptions): ExpandRun {
  const read = readObjects(opts.inputs, opts.cwd);
  const diagnostics = [...read.diagnostics];
  if (read.objects.length === 0) {
    if (diagnostics.length === 0) diagnostics.push(diag(PC41.noObjects, []));
    return { objects: [], diagnostics };
  }
  const expander = expanderFromObjects(read.objects);
  diagnostics.push(...expander.diagnostics);
  const namespaces = new Map<string, KubeObject>();
  for (const o of read.objects) if (isNamespaceObject(o.object)) namespaces.set(nameOf(o.object), o.object);
  const namespaceFor = (obj: KubeObject): KubeObject | undefined => {
    const ns = namespaceOf(obj);
    if (ns === "") return {};
    return namespaces.get(ns) ?? (ns === "default" ? { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } } : undefined);
  };
  const objects: KubeObject[] = [];
  for (const o of read.objects) {
    const namespace = namespaceFor(o.object);
    try {
      for (const r of expandObject(expander, o.object, namespace ? { namespace } : {})) objects.push(r.object);
    } catch (e) {
      if (!isAdmissionEngineError(e)) throw e;
      diagnostics.push(admissionFailure(e, o.object, o.origin));
    }
  }
  return { objects: objects.sort(gatorOrder), diagnostics };
}
