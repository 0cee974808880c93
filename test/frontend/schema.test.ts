// Params type → openAPIV3Schema: the derivation table, and one diagnostic per unsupported type.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loadProject } from "../../src/frontend/load.js";
import { makeProject, positionOf, REGO, removeProject } from "../build/fixture.js";

const TABLE = `import { defineCheck, rego, type Integer } from "policyc";
type Mode = "enforce" | "audit";
interface Inner {
  /** Deepest. */
  deep?: string;
}
export const table = defineCheck<{
  /** A name. @minLength 1 @maxLength 10 @pattern ^[a-z]+$ */
  name: string;
  ratio?: number;
  /** @minimum 0 @maximum 10 @default 3 */
  count: Integer;
  enabled: boolean;
  tags: string[];
  nested: { inner: Inner };
  mode: Mode;
  labels: Record<string, string>;
  /** @format date-time */
  since?: string;
  maybe: string | null;
  limits: Record<string, { max: number }>;
  levels: ("medium" | "low" | "high")[];
}>({ kind: "K8sTable", description: "d", rego: ${REGO} });
export const none = defineCheck({ kind: "K8sNone", description: "d", rego: ${REGO} });
`;

test("derives the structural schema for every supported type", async () => {
  const dir = makeProject({ "policies/table.ts": TABLE });
  try {
    const r = await loadProject({ cwd: dir });
    assert.equal(r.diagnostics, []);
    const [table, none] = r.project!.checks;
    assert.equal(table!.parameters, {
      type: "object",
      properties: {
        name: { type: "string", description: "A name.", pattern: "^[a-z]+$", minLength: 1, maxLength: 10 },
        ratio: { type: "number" },
        count: { type: "integer", minimum: 0, maximum: 10, default: 3 },
        enabled: { type: "boolean" },
        tags: { type: "array", items: { type: "string" } },
        nested: {
          type: "object",
          properties: { inner: { type: "object", properties: { deep: { type: "string", description: "Deepest." } } } },
          required: ["inner"],
        },
        mode: { type: "string", enum: ["enforce", "audit"] },
        labels: { type: "object", additionalProperties: { type: "string" } },
        since: { type: "string", format: "date-time" },
        maybe: { type: "string", nullable: true },
        limits: {
          type: "object",
          additionalProperties: { type: "object", properties: { max: { type: "number" } }, required: ["max"] },
        },
        levels: { type: "array", items: { type: "string", enum: ["medium", "low", "high"] } },
      },
      required: ["name", "count", "enabled", "tags", "nested", "mode", "labels", "maybe", "limits", "levels"],
    });
    assert.equal(none!.parameters, { type: "object" });
  } finally {
    removeProject(dir);
  }
});

const BAD = `import { defineCheck, rego } from "policyc";
export const fn = defineCheck<{ cb: () => void }>({ kind: "K8sFn", description: "d", rego: ${REGO} });
export const anyParam = defineCheck<{ x: any }>({ kind: "K8sAny", description: "d", rego: ${REGO} });
function make<T>() {
  return defineCheck<{ v: T }>({ kind: "K8sGeneric", description: "d", rego: ${REGO} });
}
export const generic = make<string>();
interface Tree {
  children: Tree[];
}
export const rec = defineCheck<Tree>({ kind: "K8sRec", description: "d", rego: ${REGO} });
export const tuple = defineCheck<{ pair: [string, number] }>({ kind: "K8sTuple", description: "d", rego: ${REGO} });
export const badTag = defineCheck<{
  /** @minimum lots */
  n: number;
}>({ kind: "K8sTag", description: "d", rego: ${REGO} });
export const arr = defineCheck<string[]>({ kind: "K8sArr", description: "d", rego: ${REGO} });
export const mixed = defineCheck<{ m: string | number }>({ kind: "K8sMixed", description: "d", rego: ${REGO} });
`;

test("one-line TSDoc before a property of an inline type (on the line of `{` or `;`) is its description and keywords", async () => {
  const src = `import { defineCheck, rego, type Integer } from "policyc";
export const inline = defineCheck<{
  tags: { /** The tag key. */ key: string; /** The tag value. @maxLength 63 */ value?: string }[];
  limit: { /** @minimum 1 */ max: Integer };
}>({ kind: "K8sInline", description: "d", rego: ${REGO} });
`;
  const dir = makeProject({ "policies/inline.ts": src });
  try {
    const r = await loadProject({ cwd: dir });
    assert.equal(r.diagnostics, []);
    const props = r.project!.checks[0]!.parameters!.properties!;
    assert.equal(props.tags, {
      type: "array",
      items: {
        type: "object",
        properties: { key: { type: "string", description: "The tag key." }, value: { type: "string", description: "The tag value.", maxLength: 63 } },
        required: ["key"],
      },
    });
    assert.equal(props.limit, { type: "object", properties: { max: { type: "integer", minimum: 1 } }, required: ["max"] });
  } finally {
    removeProject(dir);
  }
});

test("unsupported Params types get a diagnostic each, at the declaration", async () => {
  const dir = makeProject({ "policies/bad.ts": BAD });
  try {
    const r = await loadProject({ cwd: dir });
    const got = r.diagnostics.map((d) => `${d.code}@${d.span?.line}`).sort();
    const at = (needle: string) => positionOf(BAD, needle).line;
    const expected = [
      `PC1010@${at("cb: () => void")}`,
      `PC1011@${at("x: any")}`,
      `PC1012@${at("v: T")}`,
      `PC1013@${at("children: Tree[]")}`,
      `PC1014@${at("pair: [string")}`,
      `PC1015@${at("n: number")}`,
      `PC1016@${at("string[]>(")}`,
      `PC1014@${at("m: string | number")}`,
    ].sort();
    assert.equal(got, expected);
    for (const d of r.diagnostics) assert.is(d.span?.file, "policies/bad.ts");
  } finally {
    removeProject(dir);
  }
});

test.run();
