// The parameters validator agrees with ajv on the schema subset policyc derives.
import { Ajv } from "ajv";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { validateParameters } from "../../src/emit/gatekeeper/parameters.js";
import type { JsonSchema } from "../../src/ir/schema.js";

const schema: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" },
    count: { type: "integer", minimum: 0, maximum: 10 },
    ratio: { type: "number" },
    on: { type: "boolean" },
    mode: { type: "string", enum: ["a", "b"] },
    tags: { type: "array", items: { type: "string" } },
    labels: { type: "object", additionalProperties: { type: "string" } },
    maybe: { type: "string", nullable: true },
  },
  required: ["name"],
};

const values: unknown[] = [
  { name: "ok" },
  { name: "ok", count: 3, ratio: 0.5, on: true, mode: "a", tags: ["x"], labels: { a: "b" }, maybe: null },
  {},
  { name: "" },
  { name: "TOOLONG" },
  { name: "ok", count: 1.5 },
  { name: "ok", count: -1 },
  { name: "ok", count: 11 },
  { name: "ok", ratio: "1" },
  { name: "ok", on: "yes" },
  { name: "ok", mode: "c" },
  { name: "ok", tags: "x" },
  { name: "ok", tags: [1] },
  { name: "ok", labels: { a: 1 } },
  { name: "ok", extra: 1 },
  { name: null },
  [],
];

test("accepts and rejects exactly what ajv does", () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  const strictSchema = { ...schema, additionalProperties: false };
  const validate = ajv.compile(strictSchema);
  for (const v of values) {
    assert.is(validateParameters(schema, v).length === 0, validate(v), JSON.stringify(v));
  }
});

test("messages name the path", () => {
  assert.equal(validateParameters(schema, { name: "ok", tags: [1] }), ["/tags/0 must be string"]);
  assert.equal(validateParameters(schema, {}), ["/ must have required property 'name'"]);
});

test.run();
