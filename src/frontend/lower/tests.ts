/** Lowers the DSL's `tests` arrays to `TestCaseIR`s, reading YAML object files beside the policy. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { diag } from "../../diagnostics/index.js";
import type { TestCaseIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
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
      try {
        tc.object = parse(readFileSync(abs, "utf8"));
        tc.objectFile = relativeTo(ctx.root, abs);
      } catch (e) {
        ctx.report(diag(D.testObjectInvalid, [name, `cannot read ${t.object}: ${(e as Error).message}`], where(i, "object")));
        return;
      }
    } else if (typeof t.object === "object" && t.object !== null) {
      tc.object = structuredClone(t.object);
    } else {
      ctx.report(diag(D.testObjectInvalid, [name, "`object` must be an object or a YAML file path"], where(i, "object")));
      return;
    }
    if (t.parameters !== undefined) tc.parameters = structuredClone(t.parameters) as Record<string, unknown>;
    if (Array.isArray(t.messages)) tc.messages = t.messages.map(String);
    out.push(tc);
  });
  return out;
}
