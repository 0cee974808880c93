// The fast reader of plain manifests gives exactly what the full YAML reader gives (value, key
// order, position), or declines: tricky scalars and shapes one by one, then every document of the
// repository's manifests and the Gatekeeper library.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parsePlainDocument } from "../../src/testing/check/plain-yaml.js";
import { parseChunk, splitDocuments } from "../../src/testing/check/inputs.js";
import { isDiagnostic, parseYamlText } from "../../src/testing/yaml-files.js";
import { projectRoot, requireShared } from "../support/shared.js";

/** Compares the two readers on one document; returns whether the fast one answered. */
function agree(doc: string, where = JSON.stringify(doc)): boolean {
  const fast = parsePlainDocument(doc);
  if (!fast) return false;
  const full = parseYamlText(doc, "f.yaml", "object");
  if (isDiagnostic(full)) throw new Error(`${where}: the fast reader accepted what the full reader rejects (${full.message})`);
  const d = full.docs[0];
  const range = d && (d.doc.contents as { range?: number[] } | null)?.range;
  const pos = range ? full.lines.linePos(range[0]!) : undefined;
  assert.is(full.docs.length, 1, where);
  assert.ok(isDeepStrictEqual(fast.value, d!.value), `${where}: ${JSON.stringify(fast.value)} vs ${JSON.stringify(d!.value)}`);
  assert.equal(Object.keys(fast.value), Object.keys(d!.value as object), where);
  assert.equal([fast.line, fast.col], [pos?.line, pos?.col], where);
  return true;
}

const SCALARS = [
  ...["yes", "on", "ON", "y", "n", "No", "off", "true", "False", "~", "null", "Null", "NULL", "=", "<<", "é", "a  b"],
  ...["0777", "0o17", "1e3", "1E3", "5e", "12e", "1_000", "0x1F", "0b101", ".5", "1.5", "1.", "0.0", "1e+3", "-1", "+1", "-0", "00", "08"],
  ...["2001-12-14", "1:20", "9007199254740993", "123456789", "-12", "100m", "128Mi", "5s", "3d", "1h30m", "v1.2.3", "1.25", "-.inf", ".NaN"],
  ...["'q'", "'it''s'", '"esc\\n"', '"tab\\tx"', '"\\x41"', '"a\\/b"', "a #b", "a#b", "-a", "- a", "a: b", "a:b", "http://x:80/y"],
  ...["[]", "{}", "[a]", "{a: 1}", "&a x", "*a", "!!str 1", "%x", "@x", "`x", "|", "|-", "> x", "? x", "a 'b'", 'a "b"'],
];

test("scalars as values, keys, sequence items, under comments and in block scalars: same as the full reader or declined", () => {
  let answered = 0;
  const docs: string[] = [];
  for (const a of SCALARS) {
    docs.push(`kind: X\nv: ${a}\n`, `kind: X\n${a}: v\n`, `kind: X\nl:\n- ${a}\n- b\n`, `kind: X\nl:\n  - k: ${a}\n    j: 1\n`);
    docs.push(`kind: X\nv: ${a} # c\n`, `kind: X\nv: |\n  ${a}\n  x\n\nw: 1\n`, `kind: X\nv: |-\n    ${a}\n  x\n`, `kind: X\nv: ${a}\n  continued\n`);
    for (const b of SCALARS.slice(0, 20)) docs.push(`kind: X\nm:\n  ${a}: ${b}\n`);
  }
  for (const d of docs) if (agree(d)) answered++;
  // The common cases are the fast reader's: it must not decline everything.
  assert.ok(answered > docs.length / 5, `${answered} of ${docs.length}`);
  for (const [doc, fast] of [
    ["kind: X\nv: 100m\nnum: 3\nb: true\ns: 'x'\n", true],
    // `n` as a key is the boolean false in Kubernetes' YAML: the full reader says what it becomes.
    ["kind: X\nn: 3\n", false],
    ["kind: X\nv: 1.5\n", false],
    ["kind: X\nv: 0777\n", false],
    ["kind: X\nv: yes\n", true],
    ["kind: X\nv: &a x\nw: *a\n", false],
  ] as const) {
    assert.is(!!parsePlainDocument(doc), fast, doc);
    agree(doc);
  }
});

test("shapes: nesting, sequences at the key's indentation, block scalars, comments, markers; broken ones declined", () => {
  const shapes = [
    "kind: X\nv: |\n  a\n\n    b\n  c\n\n\n",
    "kind: X\nv: |\n  a\n   \n  c\n",
    "kind: X\nv: |\n  a\n      \n  c\n",
    "kind: X\nv: |\n\n  a\n",
    "kind: X\nv: |+\n  a\n\n",
    "kind: X\nv: >\n  a\n  b\n",
    // A block scalar that ends the text without a line break (go-yaml gives it none).
    "kind: X\nv: |\n  a",
    "kind: X\nv: |-\n  a",
    "kind: X\nv: |\n  a\n  b",
    "kind: X\nl:\n- - a\n",
    "kind: X\nl:\n-\n  a: 1\n- \n",
    "kind: X\nk: v\nk: w\n",
    "# Source: a\n---\nkind: X\n",
    "---\n---\nkind: X\n",
    "kind: X\n  bad: 1\n",
    "kind: X\nm:\n  a: 1\n b: 2\n",
    "kind: X\nm:\n    a: 1\n  b: 2\n",
    "kind: X\n\"q k\": 1\n's k': 2\n",
    "kind: X\nv: 'multi\n  line'\n",
    'kind: X\nv: "multi\n  line"\n',
    "kind: X\nv:\n# comment\n  a: 1\n",
    "kind: X\nv:   \n  - 1\n",
    "kind: X\nitems: []\n",
    "kind: X\r\nv: 1\r\n",
    "kind: X\nv:\tx\n",
    "kind: X\n...\n",
    "- a\n- b\n",
    "just text\n",
    "",
  ];
  for (const s of shapes) agree(s);
  // A List goes to the full reader, which gives each item its own line.
  assert.is(parsePlainDocument("apiVersion: v1\nkind: List\nitems:\n- kind: A\n"), undefined);
  const comments = parsePlainDocument("---\n# Source: chart/templates/a.yaml\n# more\napiVersion: v1\nkind: A\n");
  assert.equal(comments && [comments.line, comments.comments], [4, [" Source: chart/templates/a.yaml", " more"]]);
});

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    if (e === "node_modules" || e.startsWith(".")) continue;
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

test("every document of the repository's manifests and the Gatekeeper library: same value and origin through parseChunk", () => {
  const roots = ["examples", "generated", "packs", "test"].map((r) => path.join(projectRoot, r));
  const library = requireShared("corpora/gatekeeper-library/library", "the library half of the reader comparison");
  if (library) roots.push(library);
  let fast = 0;
  let all = 0;
  for (const file of roots.flatMap((r) => yamlFiles(r))) {
    for (const chunk of splitDocuments(readFileSync(file, "utf8"), file)) {
      all++;
      if (!agree(chunk.text, `${file}:${chunk.line}`)) continue;
      fast++;
      // The check's reader gives the object at the same place, with helm's Source when there is one.
      const viaCheck = parseChunk(chunk);
      const full = parseYamlText(chunk.text, file, "object");
      if (!isDiagnostic(full) && viaCheck.objects.length === 1) {
        const expected = full.lines.linePos((full.docs[0]!.doc.contents as { range: number[] }).range[0]!).line + chunk.line - 1;
        assert.is(viaCheck.objects[0]!.origin.line, expected, `${file}:${chunk.line}`);
      }
    }
  }
  assert.ok(fast > all / 2, `the fast reader answered ${fast} of ${all} documents`);
});

test.run();
