/**
 * Reads a ConstraintTemplate the way the constraint framework does: the Constraint kind, the
 * parameters schema, and the Rego (legacy `targets[0].rego`/`libs`, or the `code[]` entry with
 * `engine: Rego`; the legacy field wins when both exist) and the `K8sNativeValidation` source.
 * Rego is v0 unless `source.version` is "v1".
 */
import { gvkOf, isObject, nameOf, type KubeObject } from "./objects.js";
import type { JsonSchema } from "./parameters.js";

export interface TemplateInfo {
  name: string;
  kind: string;
  target: string;
  rego?: string;
  libs: string[];
  regoVersion: "v0" | "v1";
  /** `spec.crd.spec.validation.openAPIV3Schema`, if declared. */
  schema?: JsonSchema;
  legacySchema: boolean;
  /** Engines present in `code[]` (e.g. K8sNativeValidation) besides Rego. */
  engines: string[];
  /** The `K8sNativeValidation` entry's `source` (variables, validations), when the template has one. */
  k8sNativeValidation?: unknown;
  /** Where the Rego and each lib sit in the template object (for mapping positions back to YAML). */
  regoPath?: (string | number)[];
  libsPath?: (string | number)[];
  /** Position in the template file of line 1, column 1 of the Rego (`main`) and of each lib. */
  positions?: { main?: { line: number; col: number }; libs: ({ line: number; col: number } | undefined)[] };
}

export class TemplateError extends Error {}

function get(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (typeof p === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[p];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[p];
    }
  }
  return cur;
}

export function isConstraintTemplate(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.kind === "ConstraintTemplate" && g.group === "templates.gatekeeper.sh";
}

/**
 * The versions of ConstraintTemplate that Gatekeeper's CRD serves and its scheme converts: a template
 * of any other version (`templates.gatekeeper.sh/v1beta2`) is refused by the API server and by gator.
 */
export const TEMPLATE_VERSIONS: readonly string[] = ["v1", "v1beta1", "v1alpha1"];

/** Throws TemplateError for templates the framework would refuse. */
export function readTemplate(obj: KubeObject): TemplateInfo {
  const version = gvkOf(obj).version;
  if (!TEMPLATE_VERSIONS.includes(version))
    throw new TemplateError(`templates.gatekeeper.sh/${version} is not a version of ConstraintTemplate Gatekeeper serves (${TEMPLATE_VERSIONS.join(", ")})`);
  const kind = get(obj, "spec", "crd", "spec", "names", "kind");
  if (typeof kind !== "string" || kind === "") throw new TemplateError("ConstraintTemplate does not specify CRD Kind (spec.crd.spec.names.kind)");
  const name = nameOf(obj);
  if (name.toLowerCase() !== kind.toLowerCase() || name !== name.toLowerCase())
    throw new TemplateError(`the ConstraintTemplate's name "${name}" is not equal to the lowercase of CRD's Kind "${kind.toLowerCase()}"`);
  const targets = get(obj, "spec", "targets");
  if (!Array.isArray(targets) || targets.length === 0) throw new TemplateError("no targets specified: ConstraintTemplate must specify one target");
  if (targets.length > 1) throw new TemplateError("multi-target templates are not currently supported");
  const t = targets[0];
  const target = get(t, "target");
  if (target !== "admission.k8s.gatekeeper.sh") throw new TemplateError(`target ${JSON.stringify(target)} is not admission.k8s.gatekeeper.sh`);

  const engines: string[] = [];
  let rego: string | undefined;
  let libs: string[] = [];
  let regoVersion: "v0" | "v1" = "v0";
  let regoPath: (string | number)[] | undefined;
  let libsPath: (string | number)[] | undefined;
  let cel: unknown;
  const code = get(t, "code");
  if (Array.isArray(code)) {
    for (const [ci, c] of code.entries()) {
      const engine = get(c, "engine");
      if (engine === "Rego") {
        const src = get(c, "source", "rego");
        if (typeof src === "string") rego = src;
        regoPath = ["spec", "targets", 0, "code", ci, "source", "rego"];
        libsPath = ["spec", "targets", 0, "code", ci, "source", "libs"];
        const l = get(c, "source", "libs");
        if (Array.isArray(l)) libs = l.filter((x): x is string => typeof x === "string");
        if (get(c, "source", "version") === "v1") regoVersion = "v1";
      } else if (typeof engine === "string") {
        engines.push(engine);
        if (engine === "K8sNativeValidation") cel = get(c, "source");
      }
    }
  }
  const legacy = get(t, "rego");
  if (typeof legacy === "string" && legacy !== "") {
    rego = legacy;
    const l = get(t, "libs");
    libs = Array.isArray(l) ? l.filter((x): x is string => typeof x === "string") : [];
    regoVersion = "v0";
    regoPath = ["spec", "targets", 0, "rego"];
    libsPath = ["spec", "targets", 0, "libs"];
  }
  const schema = get(obj, "spec", "crd", "spec", "validation", "openAPIV3Schema");
  // v1 defaults legacySchema to false; the older template versions default it to true.
  const explicit = get(obj, "spec", "crd", "spec", "validation", "legacySchema");
  const legacySchema = typeof explicit === "boolean" ? explicit : gvkOf(obj).version !== "v1";
  const info: TemplateInfo = { name, kind, target, libs, regoVersion, legacySchema, engines };
  if (rego !== undefined) info.rego = rego;
  if (regoPath) info.regoPath = regoPath;
  if (libsPath) info.libsPath = libsPath;
  if (isObject(schema)) info.schema = schema;
  if (cel !== undefined) info.k8sNativeValidation = cel;
  return info;
}

const packageRe = /^[ \t]*package[ \t]+([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\["[^"]*"\])*)/m;

/** The Rego package of a module, as a dotted path (`k8sallowedrepos`, `lib.exempt_container`). */
export function regoPackage(rego: string): string | undefined {
  const noComments = rego.replace(/#[^\n]*/g, "");
  const m = packageRe.exec(noComments);
  if (!m) return undefined;
  return m[1]!.replace(/\["([^"]*)"\]/g, ".$1");
}
