/** Lowers the DSL's `tests` arrays to `TestCaseIR`s, reading YAML object files beside the policy. */
import path from "node:path";
import { isDiagnostic, readYamlFile } from "../../testing/yaml-files.js";
import { compileRe2 } from "../../api/re2.js";
import { diag } from "../../diagnostics/index.js";
import type { TestCaseIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import { externalDataMockProblem } from "../../ir/external-data.js";
import { relativeTo } from "../paths.js";
import type { LowerContext, Located } from "./context.js";

export function lowerTests(raw: unknown, prefix: string, ctx: LowerContext, at: Located): TestCaseIR[] {
  if (raw === undefined) return [];
  const where = (i: number, field?: string) =>
    at.fields[`${prefix}.${i}${field ? `.${field}` : ""}`] ?? at.fields[`${prefix}.${i}`] ?? at.fields[prefix] ?? at.origin;
  if (!Array.isArray(raw)) {
    ctx.report(diag(D.testObjectInvalid, [prefix, "`tests` must be an array"], at.fields[prefix] ?? at.origin));
    return [];
  }
  const out: TestCaseIR[] = [];
  const names = new Set<string>();
  raw.forEach((t: Record<string, unknown>, i) => {
    const name = typeof t?.name === "string" ? t.name : `case-${i}`;
    if (names.has(name)) ctx.report(diag(D.testObjectInvalid, [name, "duplicate test case name"], where(i, "name")));
    names.add(name);
    const v = t?.violations;
    if (!(v === "yes" || v === "no" || (typeof v === "number" && Number.isInteger(v) && v >= 0))) {
      ctx.report(diag(D.testObjectInvalid, [name, "`violations` must be \"yes\", \"no\" or a count"], where(i, "violations")));
      return;
    }
    const tc: TestCaseIR = { name, object: undefined, violations: v, origin: where(i) };
    if (typeof t.object === "string") {
      const base = at.absFile ?? ctx.root;
      const abs = path.resolve(path.dirname(base), t.object);
      const read = readYamlFile(abs, "object", "object", t.object);
      if (isDiagnostic(read) || read.docs.length !== 1) {
        const why = isDiagnostic(read) ? `${read.message}${read.span?.file === t.object ? ` (${t.object}:${read.span.line}:${read.span.col})` : ""}` : `it holds ${read.docs.length} objects, not one`;
        ctx.report(diag(D.testObjectInvalid, [name, `cannot read ${t.object}: ${why}`], where(i, "object")));
        return;
      }
      tc.object = read.docs[0]!.value;
      tc.objectFile = relativeTo(ctx.root, abs);
    } else if (typeof t.object === "object" && t.object !== null) {
      tc.object = structuredClone(t.object);
    } else {
      ctx.report(diag(D.testObjectInvalid, [name, "`object` must be an object or a YAML file path"], where(i, "object")));
      return;
    }
    if (t.parameters !== undefined) tc.parameters = structuredClone(t.parameters) as Record<string, unknown>;
    if (Array.isArray(t.messages)) {
      const messages = t.messages.map(messagePattern);
      const bad = messages.findIndex((m) => !isRe2(m));
      if (bad >= 0) {
        ctx.report(diag(D.testObjectInvalid, [name, `message ${String(t.messages[bad])} is not an RE2 regular expression (no lookarounds or backreferences)`], where(i, "messages")));
        return;
      }
      tc.messages = messages;
    }
    if (t.cel !== undefined) {
      const cel = t.cel as Record<string, unknown> | null;
      if (!cel || typeof cel !== "object" || Array.isArray(cel)) {
        ctx.report(diag(D.testObjectInvalid, [name, "`cel` must be an object `{ violations?, messages? }`"], where(i, "cel")));
        return;
      }
      const cv = cel.violations;
      if (cv !== undefined && !(cv === "yes" || cv === "no" || (typeof cv === "number" && Number.isInteger(cv) && cv >= 0))) {
        ctx.report(diag(D.testObjectInvalid, [name, "`cel.violations` must be \"yes\", \"no\" or a count"], where(i, "cel.violations")));
        return;
      }
      tc.cel = {};
      if (cv !== undefined) tc.cel.violations = cv as "yes" | "no" | number;
      if (Array.isArray(cel.messages)) {
        const messages = cel.messages.map(messagePattern);
        const bad = messages.findIndex((m) => !isRe2(m));
        if (bad >= 0) {
          ctx.report(diag(D.testObjectInvalid, [name, `message ${String(cel.messages[bad])} is not an RE2 regular expression (no lookarounds or backreferences)`], where(i, "cel.messages")));
          return;
        }
        tc.cel.messages = messages;
      }
    }
    const base = at.absFile ?? ctx.root;
    const readObjects = (file: string, field: string): unknown[] | undefined => {
      const abs = path.resolve(path.dirname(base), file);
      // Read as Kubernetes reads a manifest (the project's one YAML reader).
      const read = readYamlFile(abs, "object", "object", file);
      if (isDiagnostic(read)) {
        const at = read.span && read.span.file === file ? ` (${file}:${read.span.line}:${read.span.col})` : "";
        ctx.report(diag(D.testObjectInvalid, [name, `cannot read ${file}: ${read.message}${at}`], where(i, field)));
        return undefined;
      }
      return read.docs.map((d) => d.value);
    };
    if (t.inventory !== undefined) {
      if (!Array.isArray(t.inventory)) {
        ctx.report(diag(D.testObjectInvalid, [name, "`inventory` must be an array of objects or YAML file paths"], where(i, "inventory")));
        return;
      }
      const inventory: unknown[] = [];
      for (const item of t.inventory as unknown[]) {
        if (typeof item === "string") {
          const objs = readObjects(item, "inventory");
          if (!objs) return;
          inventory.push(...objs);
        } else if (typeof item === "object" && item !== null) inventory.push(structuredClone(item));
        else {
          ctx.report(diag(D.testObjectInvalid, [name, "`inventory` entries must be objects or YAML file paths"], where(i, "inventory")));
          return;
        }
      }
      tc.inventory = inventory;
    }
    if (t.externalData !== undefined) {
      const ed = t.externalData;
      if (typeof ed !== "object" || ed === null || Array.isArray(ed)) {
        ctx.report(diag(D.testObjectInvalid, [name, "`externalData` must map provider names to their responses"], where(i, "externalData")));
        return;
      }
      for (const [provider, mock] of Object.entries(ed as Record<string, unknown>)) {
        const problem = externalDataMockProblem(provider, mock);
        if (problem) {
          ctx.report(diag(D.testObjectInvalid, [name, problem], where(i, `externalData.${provider}`)));
          return;
        }
      }
      tc.externalData = structuredClone(ed) as NonNullable<TestCaseIR["externalData"]>;
    }
    if (t.operation !== undefined || t.userInfo !== undefined || t.oldObject !== undefined) {
      const admission: NonNullable<TestCaseIR["admission"]> = {};
      if (t.operation !== undefined) {
        if (!["CREATE", "UPDATE", "DELETE", "CONNECT"].includes(t.operation as string)) {
          ctx.report(diag(D.testObjectInvalid, [name, "`operation` must be CREATE, UPDATE, DELETE or CONNECT"], where(i, "operation")));
          return;
        }
        admission.operation = t.operation as string;
      }
      if (t.userInfo !== undefined) admission.userInfo = structuredClone(t.userInfo) as Record<string, unknown>;
      if (typeof t.oldObject === "string") {
        const objs = readObjects(t.oldObject, "oldObject");
        if (!objs) return;
        if (objs.length !== 1) {
          ctx.report(diag(D.testObjectInvalid, [name, `${t.oldObject} must hold exactly one object`], where(i, "oldObject")));
          return;
        }
        admission.oldObject = objs[0];
      } else if (t.oldObject !== undefined) admission.oldObject = structuredClone(t.oldObject);
      tc.admission = admission;
    }
    out.push(tc);
  });
  return out;
}

/** A DSL message expectation as a gator `message` regex: strings are literal text, RegExps RE2. */
function messagePattern(m: unknown): string {
  if (Object.prototype.toString.call(m) === "[object RegExp]") {
    const re = m as RegExp;
    const flags = [...re.flags].filter((f) => f === "i" || f === "s" || f === "m").join("");
    return flags ? `(?${flags})${re.source}` : re.source;
  }
  return String(m).replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

function isRe2(pattern: string): boolean {
  try {
    compileRe2(pattern);
    return true;
  } catch {
    return false;
  }
}
