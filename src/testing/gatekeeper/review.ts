/**
 * Builds `input.review` as gator does. A plain object becomes an AdmissionRequest with only kind,
 * name, namespace and object filled (operation and userInfo empty, oldObject null). An
 * `admission.k8s.io` AdmissionReview contributes its `request` as written, strictly: unknown fields
 * are rejected, and it must carry `object` or `oldObject`. A DELETE reviews its oldObject as object.
 * The JSON is what Go's encoding of `admission/v1.AdmissionRequest` yields, with its zero values.
 */
import { gvkOf, isObject, nameOf, namespaceOf, type KubeObject } from "./objects.js";

export type Review = Record<string, unknown>;

export class ReviewError extends Error {}

function baseRequest(): Review {
  return {
    uid: "",
    kind: { group: "", version: "", kind: "" },
    resource: { group: "", version: "", resource: "" },
    operation: "",
    userInfo: {},
    object: null,
    oldObject: null,
    options: null,
  };
}

/** True for `kind: AdmissionReview` in group admission.k8s.io (any version). */
export function isAdmissionReview(obj: KubeObject): boolean {
  const g = gvkOf(obj);
  return g.kind === "AdmissionReview" && g.group === "admission.k8s.io";
}

export function reviewForObject(obj: KubeObject): Review {
  const g = gvkOf(obj);
  const r = baseRequest();
  r.kind = { group: g.group, version: g.version, kind: g.kind };
  const name = nameOf(obj);
  const ns = namespaceOf(obj);
  // Field order follows the Go struct so golden JSON reads naturally.
  const out: Review = { uid: r.uid, kind: r.kind, resource: r.resource };
  if (name !== "") out.name = name;
  if (ns !== "") out.namespace = ns;
  out.operation = "";
  out.userInfo = {};
  out.object = obj;
  out.oldObject = null;
  out.options = null;
  return out;
}

const reviewFields = new Set(["apiVersion", "kind", "request", "response"]);
const requestFields = new Set([
  "uid",
  "kind",
  "resource",
  "subResource",
  "requestKind",
  "requestResource",
  "requestSubResource",
  "name",
  "namespace",
  "operation",
  "userInfo",
  "object",
  "oldObject",
  "dryRun",
  "options",
]);
const gvkFields = ["group", "version", "kind"];
const gvrFields = ["group", "version", "resource"];
const userInfoFields: Record<string, "string" | "strings" | "extra"> = {
  username: "string",
  uid: "string",
  groups: "strings",
  extra: "extra",
};

function unknown(where: string, obj: Record<string, unknown>, known: Iterable<string>): void {
  const k = new Set(known);
  for (const key of Object.keys(obj)) if (!k.has(key)) throw new ReviewError(`unknown field "${where}${key}"`);
}

function checkStruct(where: string, v: unknown, fields: string[]): Record<string, string> {
  if (v === null || v === undefined) return Object.fromEntries(fields.map((f) => [f, ""]));
  if (!isObject(v)) throw new ReviewError(`${where} must be an object`);
  unknown(`${where}.`, v, fields);
  const out: Record<string, string> = {};
  for (const f of fields) {
    const x = v[f];
    if (x !== undefined && x !== null && typeof x !== "string") throw new ReviewError(`${where}.${f} must be a string`);
    out[f] = (x as string | undefined) ?? "";
  }
  return out;
}

function checkString(where: string, v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v !== "string") throw new ReviewError(`${where} must be a string`);
  return v;
}

function checkUserInfo(v: unknown): Record<string, unknown> {
  if (v === null || v === undefined) return {};
  if (!isObject(v)) throw new ReviewError("request.userInfo must be an object");
  unknown("request.userInfo.", v, Object.keys(userInfoFields));
  const out: Record<string, unknown> = {};
  for (const [f, t] of Object.entries(userInfoFields)) {
    const x = v[f];
    if (x === undefined || x === null) continue;
    if (t === "string" && typeof x !== "string") throw new ReviewError(`request.userInfo.${f} must be a string`);
    if (t === "strings" && (!Array.isArray(x) || x.some((s) => typeof s !== "string")))
      throw new ReviewError(`request.userInfo.${f} must be a list of strings`);
    if (t === "extra" && (!isObject(x) || Object.values(x).some((l) => !Array.isArray(l) || l.some((s) => typeof s !== "string"))))
      throw new ReviewError(`request.userInfo.${f} must map strings to lists of strings`);
    // Go drops empty strings and empty lists (omitempty).
    if ((typeof x === "string" && x === "") || (Array.isArray(x) && x.length === 0) || (isObject(x) && Object.keys(x).length === 0)) continue;
    out[f] = x;
  }
  return out;
}

/** The review for an AdmissionReview file; throws ReviewError for what gator rejects. */
export function reviewForAdmissionReview(ar: KubeObject): Review {
  unknown("", ar, reviewFields);
  const req = ar.request;
  if (req === undefined || req === null) throw new ReviewError("request did not actually pass in an AdmissionRequest");
  if (!isObject(req)) throw new ReviewError("request must be an object");
  unknown("request.", req, requestFields);
  const obj = req.object ?? null;
  const old = req.oldObject ?? null;
  if (obj !== null && !isObject(obj)) throw new ReviewError("request.object must be an object");
  if (old !== null && !isObject(old)) throw new ReviewError("request.oldObject must be an object");
  if (obj === null && old === null) throw new ReviewError('AdmissionRequest does not contain an "object" or "oldObject" to review');

  const out: Review = {
    uid: checkString("request.uid", req.uid),
    kind: checkStruct("request.kind", req.kind, gvkFields),
    resource: checkStruct("request.resource", req.resource, gvrFields),
  };
  const sub = checkString("request.subResource", req.subResource);
  if (sub !== "") out.subResource = sub;
  if (req.requestKind !== undefined && req.requestKind !== null) out.requestKind = checkStruct("request.requestKind", req.requestKind, gvkFields);
  if (req.requestResource !== undefined && req.requestResource !== null)
    out.requestResource = checkStruct("request.requestResource", req.requestResource, gvrFields);
  const reqSub = checkString("request.requestSubResource", req.requestSubResource);
  if (reqSub !== "") out.requestSubResource = reqSub;
  const name = checkString("request.name", req.name);
  if (name !== "") out.name = name;
  const ns = checkString("request.namespace", req.namespace);
  if (ns !== "") out.namespace = ns;
  const op = checkString("request.operation", req.operation);
  out.operation = op;
  out.userInfo = checkUserInfo(req.userInfo);
  out.object = obj;
  out.oldObject = old;
  if (req.dryRun !== undefined && req.dryRun !== null) {
    if (typeof req.dryRun !== "boolean") throw new ReviewError("request.dryRun must be a boolean");
    out.dryRun = req.dryRun;
  }
  out.options = req.options ?? null;
  // After the request's own fields, gator decodes both objects as unstructured ones, which must
  // name their kind.
  for (const [field, o] of [["object", obj], ["oldObject", old]] as const)
    if (o !== null && (typeof o.kind !== "string" || o.kind === "")) throw new ReviewError(`request.${field} has no kind; gator cannot read it as a Kubernetes object`);
  // A DELETE reviews the stored object: the API server sends it as oldObject (since Kubernetes
  // 1.15), and Gatekeeper reviews it as the object, whatever `object` holds.
  if (op === "DELETE") {
    if (out.oldObject === null) throw new ReviewError("a DELETE request needs the deleted object as oldObject (the API server sends it since Kubernetes v1.15)");
    out.object = out.oldObject;
  }
  return out;
}

/** What the webhook knows about the request beyond the object: the operation and who sends it. */
export interface AdmissionOptions {
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  userInfo?: { username?: string; groups?: string[] };
  /** The stored object an UPDATE (or DELETE) replaces. */
  oldObject?: KubeObject;
}

/**
 * A few irregular plurals; the rest follow the API's usual rules (`-y` → `-ies`, `-s`/`-x`/`-ch`/`-sh`
 * → `-es`). Without discovery this is the resource name kubectl would show.
 */
const IRREGULAR: Record<string, string> = { endpoints: "endpoints", podsecuritypolicy: "podsecuritypolicies" };

export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (IRREGULAR[k]) return IRREGULAR[k]!;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  return `${k}s`;
}

/**
 * `input.review` as Gatekeeper's validating webhook builds it from the API server's
 * AdmissionRequest: kind and resource, name, namespace, operation, userInfo, object and oldObject
 * (a DELETE reviews its oldObject as object, as the webhook does).
 */
export function admissionRequest(obj: KubeObject, opts: AdmissionOptions): Review {
  const g = gvkOf(obj);
  const out: Review = {
    uid: "",
    kind: { group: g.group, version: g.version, kind: g.kind },
    resource: { group: g.group, version: g.version, resource: resourceOf(g.kind) },
    requestKind: { group: g.group, version: g.version, kind: g.kind },
    requestResource: { group: g.group, version: g.version, resource: resourceOf(g.kind) },
  };
  const name = nameOf(obj);
  const ns = namespaceOf(obj);
  if (name !== "") out.name = name;
  if (ns !== "") out.namespace = ns;
  out.operation = opts.operation;
  const user: Record<string, unknown> = {};
  if (opts.userInfo?.username) user.username = opts.userInfo.username;
  if (opts.userInfo?.groups && opts.userInfo.groups.length > 0) user.groups = opts.userInfo.groups;
  out.userInfo = user;
  out.object = opts.operation === "DELETE" ? (opts.oldObject ?? obj) : obj;
  out.oldObject = opts.oldObject ?? null;
  out.dryRun = false;
  out.options = null;
  return out;
}
