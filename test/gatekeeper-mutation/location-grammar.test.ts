// The mutation `location` grammar, case by case as Gatekeeper's path parser and scanner decide them
// (facts from pkg/mutation/path/parser and token tests, restated): what parses to which nodes, and
// what is refused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { LocationError, parseLocation, type LocationNode } from "../../src/api/mutations/location.js";

type Want = (string | { key: string; value?: string; glob?: true })[];

/** Nodes without offsets: field names as strings, list nodes as { key, value | glob }. */
function shape(nodes: LocationNode[]): Want {
  return nodes.map((n) =>
    n.type === "object" ? n.name : n.glob ? { key: n.keyField, glob: true as const } : { key: n.keyField, value: n.keyValue! },
  );
}

const parses: [string, Want][] = [
  ["single_field", ["single_field"]],
  ["spec.containers[name: *].securityContext", ["spec", "containers", { key: "name", glob: true }, "securityContext"]],
  // A quoted * is a key value, not a glob.
  ['spec.containers[name: "*"].securityContext', ["spec", "containers", { key: "name", value: "*" }, "securityContext"]],
  ["spec.containers[name: foo].securityContext", ["spec", "containers", { key: "name", value: "foo" }, "securityContext"]],
  ['spec.containers["my key": "foo bar"]', ["spec", "containers", { key: "my key", value: "foo bar" }]],
  ['spec.containers[name: ""].securityContext', ["spec", "containers", { key: "name", value: "" }, "securityContext"]],
  ['spec.containers["": "someValue"].securityContext', ["spec", "containers", { key: "", value: "someValue" }, "securityContext"]],
  // Empty segments are refused, but an empty quoted name is a name.
  ['foo."".bar', ["foo", "", "bar"]],
  ["    spec   .    containers    ", ["spec", "containers"]],
  ['    spec   .    "containers"    ', ["spec", "containers"]],
  ["\n we\t\r\n.\nsupport\t    \n[newlines\t\n:\n*]\n", ["we", "support", { key: "newlines", glob: true }]],
  ["-123-_456_", ["-123-_456_"]],
  ["012345", ["012345"]],
  ['spec."foo bar"', ["spec", "foo bar"]],
  ['spec."foo\nbar"', ["spec", "foo\nbar"]],
  ['"sp\\"ec"', ['sp"ec']],
  [`spec."this object"."is very"["much full": 'of everyone\\'s'].'favorite thing'`, ["spec", "this object", "is very", { key: "much full", value: "of everyone's" }, "favorite thing"]],
  ['"token-with-trailing-backslash\\\\"', ["token-with-trailing-backslash\\"]],
  ['"token-with-\\\\embedded-backslash"', ["token-with-\\embedded-backslash"]],
  [`"won't \\"confuse\\" the [scanner: *nope*]"`, [`won't "confuse" the [scanner: *nope*]`]],
  [`'won\\'t "confuse" the [scanner: *nope*]'`, [`won't "confuse" the [scanner: *nope*]`]],
  ['"🤔☕️❗️"', ["🤔☕️❗️"]],
  // A backslash escapes whatever follows it, also a character outside the basic plane.
  ['"🦋bb\\🐥aa🦄"', ["🦋bb🐥aa🦄"]],
  ['metadata.labels."app.kubernetes.io/name"', ["metadata", "labels", "app.kubernetes.io/name"]],
];

for (const [input, want] of parses) {
  test(`parses ${JSON.stringify(input)}`, () => {
    assert.equal(shape(parseLocation(input)), want);
  });
}

const refused = [
  ".spec",
  "spec.",
  "spec.containers[my key: \"foo bar\"]",
  "spec.containers[key: foo bar]",
  "spec.containers[name: ].securityContext",
  "spec.containers[].securityContext",
  "spec.containers[:].securityContext",
  "spec.containers[:foo].securityContext",
  "spec.containers[foo].securityContext",
  "spec.containers[*].securityContext",
  "foo..bar",
  "[foo: bar]",
  "[foo: bar][bar: *]",
  "spec.containers[foo: bar][bar: *]",
  "spec.[foo: bar]",
  "spec.foo bar",
  "*",
  "][",
  "foo[",
  "[",
  ":",
  '"unterminated string \'',
  '"also unterminated\\"',
  "Moo🐙",
  '"foo" "bar"',
  "..''",
  "",
  "   \t ",
];

for (const input of refused) {
  test(`refuses ${JSON.stringify(input)}`, () => {
    assert.throws(() => parseLocation(input), (e: unknown) => e instanceof LocationError);
  });
}

test.run();
