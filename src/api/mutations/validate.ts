/**
 * Build-time validation of Gatekeeper mutators: the schema (unknown fields, enums), the `location`
 * syntax, and the semantic rules Gatekeeper's webhook enforces per kind — metadata only through
 * AssignMetadata, keyed-list endings, key fields left unchanged, AssignImage's image parts.
 */
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC6 } from "../deckhouse/diagnostics.js";
import { checkAgainstSchema } from "../deckhouse/support/schema-check.js";
import type { Locator } from "../deckhouse/support/locate.js";
import { changedKeyField, isMetadataLocation, LocationError, parseLocation, startsAtMetadata, type LocationNode } from "./location.js";

export const MUTATION_SCHEMAS: Record<string, string> = {
  Assign: "mutations/assign.json",
  AssignMetadata: "mutations/assignmetadata.json",
  ModifySet: "mutations/modifyset.json",
  AssignImage: "mutations/assignimage.json",
};

export function isMutationObject(o: { apiVersion?: unknown; kind?: unknown }): boolean {
  return typeof o.apiVersion === "string" && o.apiVersion.startsWith("mutations.gatekeeper.sh/") && typeof o.kind === "string" && o.kind in MUTATION_SCHEMAS;
}

// Image-part patterns as Gatekeeper documents them for AssignImage (they keep the mutation convergent).
const domainRe = /(^\w[\w\-_]*\.[\w\-_.]*\w(:\d+)?$)|(^localhost(:\d+)?$)/;
const pathRe = /^[a-z0-9]+(?:(?:(?:[._/]|__|[-]*)[a-z0-9]+)+)?/;
const tagRe = /(^:\w[\w.-]{0,127}$)|(^@[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$)/;

function looksLikeDomain(p: string): boolean {
  const i = p.indexOf("/");
  if (i === -1) return false;
  const first = p.slice(0, i);
  return /[.:]/.test(first) || first === "localhost";
}

/** Why the AssignImage parts are invalid, or undefined. */
export function imagePartsProblem(domain = "", path = "", tag = ""): string | undefined {
  if (!domain && !path && !tag) return "needs at least one of `assignDomain`, `assignPath`, `assignTag`";
  if (domain && !domainRe.test(domain)) return `assignDomain \`${domain}\` is not a registry domain (e.g. \`my.registry.io\`, \`localhost:5000\`)`;
  if (path && (pathRe.exec(path)?.[0] ?? "") !== path) return `assignPath \`${path}\` is not a repository path (lowercase components separated by \`/\`, \`.\`, \`_\`, \`-\`)`;
  if (tag && !tagRe.test(tag)) return `assignTag \`${tag}\` must be \`:<tag>\` or \`@<algorithm>:<hex digest>\``;
  if (!domain && looksLikeDomain(path)) return `assignPath \`${path}\` starts with something that looks like a domain; set assignDomain as well, or the mutation would not converge`;
  return undefined;
}

const sameNode = (a: LocationNode, b: LocationNode) => {
  const { offset: _a, ...x } = a;
  const { offset: _b, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
};

/** Gatekeeper's path-test rules: each subPath parses, is a prefix of the location, and depths do not conflict. */
function checkPathTests(kind: string, location: LocationNode[], tests: unknown, at: (p: (string | number)[]) => ReturnType<Locator>): Diagnostic[] {
  if (!Array.isArray(tests)) return [];
  const out: Diagnostic[] = [];
  const byDepth = new Map<number, unknown>();
  tests.forEach((t: { subPath?: unknown; condition?: unknown }, i) => {
    if (typeof t?.subPath !== "string") return;
    const where = at(["parameters", "pathTests", i, "subPath"]);
    let sub: LocationNode[];
    try {
      sub = parseLocation(t.subPath);
    } catch (e) {
      if (e instanceof LocationError) {
        out.push(diag(PC6.pathTest, [kind, i, t.subPath, `is not a valid path: ${e.message}`], where));
        return;
      }
      throw e;
    }
    if (sub.length > location.length || !sub.every((n, k) => sameNode(n, location[k]!))) {
      out.push(diag(PC6.pathTest, [kind, i, t.subPath, "must be a prefix of `location`"], where));
      return;
    }
    const prev = byDepth.get(sub.length);
    if (prev !== undefined && prev !== t.condition) out.push(diag(PC6.pathTest, [kind, i, t.subPath, "conflicts with another path test at the same depth"], where));
    byDepth.set(sub.length, t.condition);
  });
  return out;
}

interface MutationObject {
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: {
    location?: unknown;
    applyTo?: unknown;
    parameters?: {
      assign?: { value?: unknown; fromMetadata?: unknown; externalData?: { dataSource?: unknown } };
      assignDomain?: string;
      assignPath?: string;
      assignTag?: string;
    };
  };
}

/** Diagnostics for one mutator object: policyc's schema, then Gatekeeper's semantic rules. */
export function validateMutationObject(object: MutationObject, locate: Locator): Diagnostic[] {
  const kind = String(object.kind);
  const schema = MUTATION_SCHEMAS[kind];
  if (!schema) return [];
  return [...checkAgainstSchema(object, schema, { what: `${kind} \`${String(object.metadata?.name ?? "?")}\``, locate }), ...validateMutationSemantics(object, locate)];
}

/**
 * Gatekeeper's semantic rules alone (what its webhook rejects beyond the CRD schema): also used by
 * the mutation engine on mutators read from YAML, whose metadata and status a cluster export fills.
 */
export function validateMutationSemantics(object: MutationObject, locate: Locator): Diagnostic[] {
  const kind = String(object.kind);
  if (!MUTATION_SCHEMAS[kind]) return [];
  const out: Diagnostic[] = [];
  const spec = object.spec ?? {};
  const at = (p: (string | number)[]) => locate(["spec", ...p]);

  if (kind !== "AssignMetadata") {
    const applyTo = spec.applyTo;
    const ok = Array.isArray(applyTo) && applyTo.length > 0 && applyTo.every((a: any) => a && [a.groups, a.kinds, a.versions].every((x) => Array.isArray(x) && x.length > 0));
    if (!ok) out.push(diag(PC6.applyTo, [kind], at(["applyTo"])));
  }

  const assign = spec.parameters?.assign;
  if ((kind === "Assign" || kind === "AssignMetadata") && assign && typeof assign === "object") {
    const sources = ["value", "fromMetadata", "externalData"].filter((k) => (assign as Record<string, unknown>)[k] !== undefined);
    if (sources.length !== 1) out.push(diag(PC6.assignSource, [kind], at(["parameters", "assign"])));
  }

  if (typeof spec.location !== "string" || spec.location === "") return out;
  const location = spec.location;
  let nodes: LocationNode[];
  try {
    nodes = parseLocation(location);
  } catch (e) {
    if (e instanceof LocationError) {
      // The usual mistake: a label or annotation key with dots or slashes left unquoted.
      const m = /^(metadata\.(?:labels|annotations))\.([^"'].*)$/.exec(location);
      const notes = m ? [`did you mean \`${m[1]}."${m[2]}"\`?`] : undefined;
      out.push(diag(PC6.badLocation, [kind, location, `${e.message} (at character ${e.offset + 1})`], at(["location"]), notes));
      return out;
    }
    throw e;
  }
  const last = nodes[nodes.length - 1]!;
  out.push(...checkPathTests(kind, nodes, (spec.parameters as { pathTests?: unknown } | undefined)?.pathTests, at));
  switch (kind) {
    case "AssignMetadata": {
      if (!isMetadataLocation(nodes)) out.push(diag(PC6.metadataOnly, [location], at(["location"]), ['keys with `/` or `.` must be quoted: metadata.labels."app.kubernetes.io/name"']));
      if (assign && assign.value !== undefined && typeof assign.value !== "string") out.push(diag(PC6.metadataValue, [JSON.stringify(assign.value)], at(["parameters", "assign", "value"])));
      if (assign?.externalData && assign.externalData.dataSource !== "Username") {
        out.push(diag(PC6.schema, [`AssignMetadata \`${String(object.metadata?.name)}\` parameters.assign.externalData`, "only `dataSource: Username` is supported for AssignMetadata"], at(["parameters", "assign", "externalData"])));
      }
      break;
    }
    case "Assign": {
      if (startsAtMetadata(nodes)) out.push(diag(PC6.noMetadata, [kind, location], at(["location"])));
      const key = changedKeyField(nodes);
      if (key) out.push(diag(PC6.keyChanged, [kind, location, key], at(["location"])));
      if (last.type === "list") {
        if (last.glob) out.push(diag(PC6.listTerminal, [kind, location, "Assign cannot add to a list selected with `*`; name the element (`[name: foo]`)"], at(["location"])));
        else if (assign?.fromMetadata !== undefined || assign?.externalData !== undefined) {
          out.push(diag(PC6.keyedValue, [kind, location, "only a literal `value` object can be assigned to a list element"], at(["location"])));
        } else if (assign && assign.value !== undefined) {
          const v = assign.value as Record<string, unknown> | null;
          if (typeof v !== "object" || v === null || Array.isArray(v)) out.push(diag(PC6.keyedValue, [kind, location, "the value must be an object"], at(["parameters", "assign", "value"])));
          else if (v[last.keyField] !== last.keyValue) {
            out.push(diag(PC6.keyedValue, [kind, location, `the value's \`${last.keyField}\` must be \`${last.keyValue}\`, got \`${String(v[last.keyField])}\``], at(["parameters", "assign", "value"])));
          }
        }
      }
      break;
    }
    case "ModifySet":
    case "AssignImage": {
      if (startsAtMetadata(nodes)) out.push(diag(PC6.noMetadata, [kind, location], at(["location"])));
      if (last.type === "list") out.push(diag(PC6.listTerminal, [kind, location, `${kind} must point at a field, not at a list element`], at(["location"])));
      if (kind === "AssignImage") {
        const key = changedKeyField(nodes);
        if (key) out.push(diag(PC6.keyChanged, [kind, location, key], at(["location"])));
        const p = spec.parameters ?? {};
        const problem = imagePartsProblem(p.assignDomain, p.assignPath, p.assignTag);
        if (problem) out.push(diag(PC6.imageParts, [problem], at(["parameters"])));
      }
      break;
    }
  }
  return out;
}
