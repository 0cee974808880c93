// check's inputs read a block at a time: the chunks (text, line, document number) are those of the
// whole text cut at once, wherever the blocks happen to end.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileChunks, InputCopies, listItems, parseChunk, splitDocuments, STDIN, type Chunk } from "../../src/testing/check/inputs.js";
import { projectRoot } from "../support/shared.js";
import { templateWithConstraint } from "./policy-yaml.js";

const pieces = [
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n",
  "---\n",
  "--- \n",
  "---\t# a comment after the marker\n",
  "---\r\n",
  "----\nnot: a marker\n",
  "# only a comment\n",
  "\n",
  "data:\n  text: |\n    --- inside a block scalar, indented\n    ünïcödé ✓ 日本\n",
  "kind: ConfigMap\r\nmetadata: {name: crlf}\r\n",
  "x: '---'\n",
  "---",
];

function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

function shape(cs: Iterable<Chunk | unknown>): unknown[] {
  return [...cs].map((c) => {
    const x = c as Chunk;
    return [x.text, x.line, x.document];
  });
}

test("fileChunks cuts as splitDocuments does, for any block size (markers, CRLF, comments, multi-byte text, BOM, no final newline)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-chunks-"));
  try {
    const r = random(7);
    for (let n = 0; n < 150; n++) {
      let text = n % 10 === 0 ? "\uFEFF" : "";
      const count = Math.floor(r() * 25);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(r() * pieces.length)];
      const file = path.join(dir, `f${n}.yaml`);
      writeFileSync(file, text);
      const whole = shape(splitDocuments(text, "f.yaml"));
      for (const block of [1, 2, 3, 7, 64, 1 << 20]) {
        const streamed = shape(fileChunks({ abs: file, display: "f.yaml" }, block));
        assert.equal(streamed, whole, `text ${JSON.stringify(text)} with blocks of ${block} bytes`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("fileChunks: a file that cannot be read is one diagnostic", () => {
  const out = [...fileChunks({ abs: "/nonexistent/policyc/x.yaml", display: "x.yaml" })];
  assert.is(out.length, 1);
  assert.match((out[0] as { message: string }).message, /x\.yaml/);
});

const KUBECTL_LIST = `apiVersion: v1
items:
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: shop
  spec:
    template:
      spec:
        containers:
        - image: nginx:latest
          name: web

- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: shop}
  spec:
    selector:
      app: web
    ports: [{port: 80}]
kind: List
metadata:
  resourceVersion: ""
`;

test("listItems: kubectl's List, item by item, gives the objects and origins of the whole document", () => {
  const whole: Chunk = { file: "cluster.yaml", text: KUBECTL_LIST, line: 5, document: 2 };
  const items = listItems(whole);
  assert.ok(items);
  assert.is(items!.length, 2);
  const each = items!.flatMap((c) => parseChunk(c).objects);
  assert.equal(each, parseChunk(whole).objects);
  assert.equal(each.map((o) => [o.origin.line, o.origin.col, o.origin.document]), [[7, 3, 2], [19, 3, 2]]);
  // A typed list and a document marker before it.
  const typed = listItems({ file: "f", text: `---\n${KUBECTL_LIST.replace("kind: List", "kind: DeploymentList")}`, line: 1 });
  assert.is(typed?.length, 2);
});

test("listItems leaves whole what it does not recognise: comments, indented or flow items, no list, scalars", () => {
  const whole = (text: string) => listItems({ file: "f", text, line: 1 });
  assert.is(whole(KUBECTL_LIST.replace("items:\n", "# exported\nitems:\n")), undefined);
  assert.is(whole(KUBECTL_LIST.replace(/^- /gm, "  - ")), undefined);
  assert.is(whole("apiVersion: v1\nkind: List\nitems: [{apiVersion: v1, kind: Pod}]\n"), undefined);
  assert.is(whole("apiVersion: v1\nkind: Pod\nitems:\n- a: 1\n"), undefined);
  assert.is(whole("kind: List\nitems:\n- just a string\n"), undefined);
  assert.is(whole(`${KUBECTL_LIST}---\nkind: Pod\n`), undefined);
});

/** KUBECTL_LIST's objects as `kubectl get -o json` prints them (Go's indent of four spaces, keys sorted), or as jq does (two). */
function jsonList(indent: number, kind = "List"): string {
  const items = [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: { spec: { containers: [{ image: "nginx:latest", name: "web" }] } } } },
    {},
    { apiVersion: "v1", kind: "Service", metadata: { name: "wéb ✓", namespace: "shop" }, spec: { ports: [{ port: 80 }], selector: { app: "web" } } },
  ];
  return `${JSON.stringify({ apiVersion: "v1", items, kind, metadata: { resourceVersion: "" } }, null, indent)}\n`;
}

test("listItems: a JSON List (kubectl's indent or jq's), item by item, gives the objects and origins of the whole document", () => {
  for (const indent of [4, 2]) {
    const whole: Chunk = { file: "cluster.json", text: jsonList(indent), line: 1, document: 1 };
    const items = listItems(whole);
    assert.is(items?.length, 3);
    assert.ok(items!.every((c) => c.json && !c.colShift));
    const each = items!.map((c) => parseChunk(c));
    // The empty item is not an object: the same diagnostic as read whole.
    assert.equal(each.flatMap((p) => p.objects), parseChunk(whole).objects);
    assert.equal(each.flatMap((p) => p.diagnostics.map((d) => [d.code, d.span?.line, d.span?.col])), parseChunk(whole).diagnostics.map((d) => [d.code, d.span?.line, d.span?.col]));
    assert.equal(each.flatMap((p) => p.objects).map((o) => [o.origin.line, o.origin.col]), indent === 4 ? [[4, 9], [25, 9]] : [[4, 5], [25, 5]]);
  }
  // Not a List, or not in the layout: whole.
  assert.is(listItems({ file: "f", text: jsonList(4, "Pod"), line: 1 }), undefined);
  assert.is(listItems({ file: "f", text: jsonList(4).replace('"kind": "List"', '"kind":"List"'), line: 1 }), undefined);
  assert.is(listItems({ file: "f", text: JSON.stringify(JSON.parse(jsonList(4))), line: 1 }), undefined);
  assert.is(listItems({ file: "f", text: jsonList(4).replace(/\n {8}\{\n/, "\n        {\n\t"), line: 1 }), undefined);
});

test("fileChunks reads a large List item by item, as listItems cuts it whole, for any block size; other layouts whole", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-chunks-"));
  try {
    const cases: [string, string][] = [
      ["list.yaml", KUBECTL_LIST],
      ["list.yaml", `---\n${KUBECTL_LIST.replace("kind: List", "kind: PodList")}`],
      ["list.json", jsonList(4)],
      ["list.json", jsonList(2).replace(/\n/g, "\r\n")],
    ];
    for (const [name, text] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      const items = listItems({ file: name, text, line: 1, document: 1 });
      assert.ok(items);
      for (const block of [1, 5, 64, 1 << 20]) assert.equal(shape(fileChunks({ abs: file, display: name }, block, 0)), shape(items!), `${name} with blocks of ${block} bytes`);
      // Below the size at which a List is cut, the file is one chunk.
      assert.equal(shape(fileChunks({ abs: file, display: name })), shape(splitDocuments(text, name)));
    }
    // What turns out not to be a List in kubectl's layout only after its first items, read whole.
    const late: [string, string][] = [
      ["x.yaml", KUBECTL_LIST.replace("kind: List", "kind: Pod")],
      ["x.yaml", `${KUBECTL_LIST}# exported\n`],
      ["x.yaml", `${KUBECTL_LIST}---\nkind: Pod\n`],
      ["x.json", jsonList(4, "Pod")],
      ["x.json", `${jsonList(4)}{}\n`],
    ];
    for (const [name, text] of late) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      assert.equal(shape(fileChunks({ abs: file, display: name }, 7, 0)), shape(splitDocuments(text, name)), text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const copyDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith("policyc-input-")).sort();

test("stdin is copied once and read as a file is: documents as splitDocuments cuts them, a large List item by item; the copy is gone once closed", () => {
  // A temporary directory of the test's own: other processes' copies come and go in the shared one.
  const own = mkdtempSync(path.join(tmpdir(), "policyc-copies-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = own;
  try {
    copiedOnce();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    rmSync(own, { recursive: true, force: true });
  }
});

function copiedOnce(): void {
  const before = copyDirs();
  assert.equal(before, []);
  const list = `${KUBECTL_LIST}`;
  const texts = [pieces.join(""), list, jsonList(4), ""];
  for (const text of texts) {
    const copies = new InputCopies(text);
    const { file, bytes, diagnostic } = copies.prepare({ abs: STDIN, display: "<stdin>" });
    assert.is(diagnostic, undefined);
    assert.is(bytes, Buffer.byteLength(text));
    // Every pass reads the copy again.
    for (let pass = 0; pass < 2; pass++) assert.equal(shape(fileChunks(file, 5)), shape(splitDocuments(text, "<stdin>")));
    const items = text === list || text.startsWith("{") ? listItems({ file: "<stdin>", text, line: 1, document: 1 }) : undefined;
    if (items) assert.equal(shape(fileChunks(file, 5, 0)), shape(items));
    copies.close();
    copies.close();
  }
  assert.equal(copyDirs(), before);
}

test("a pipe named as a path (<(helm template …)) is copied on the first pass: every pass reads it", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-chunks-"));
  try {
    const fifo = path.join(dir, "pipe");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return console.log("  (skipped: no mkfifo)");
    const text = pieces.join("");
    writeFileSync(path.join(dir, "text.yaml"), text);
    const writer = spawn("sh", ["-c", 'cat text.yaml > pipe'], { cwd: dir, stdio: "ignore" });
    const copies = new InputCopies();
    const { file } = copies.prepare({ abs: fifo, display: "pipe" });
    for (let pass = 0; pass < 2; pass++) assert.equal(shape(fileChunks(file)), shape(splitDocuments(text, "pipe")));
    copies.close();
    await new Promise((resolve) => writer.on("exit", resolve));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("check: a kubectl List on stdin (or a pipe) is checked item by item at its items' lines, as the same List in a file", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-stdin-"));
  try {
    const rego = 'package k8sfoo\n\nviolation[{"msg": msg}] {\n  input.review.object.foo != "bar"\n  msg := "foo is not bar"\n}\n';
    writeFileSync(path.join(dir, "template.yaml"), templateWithConstraint("K8sFoo", rego, "FooIsBar"));
    // Larger than 64 KB, so it is cut into its items.
    const items = Array.from({ length: 1500 }, (_, i) => `- apiVersion: v1\n  kind: FooIsBar\n  metadata:\n    name: x${i}\n  foo: ${i % 3 === 0 ? "bar" : "qux"}\n`);
    const list = `apiVersion: v1\nitems:\n${items.join("")}kind: List\nmetadata:\n  resourceVersion: ""\n`;
    assert.ok(list.length > 64 << 10);
    writeFileSync(path.join(dir, "list.yaml"), list);
    const bin = path.join(projectRoot, "bin/policyc.js");
    const run = (args: string[], input?: string) => spawnSync(process.execPath, [bin, "check", "--no-project", "template.yaml", ...args, "-o", "junit", "--workers", "2"], { cwd: dir, encoding: "utf8", input: input ?? "" });
    const before = copyDirs();
    const fromFile = run(["list.yaml"]);
    const fromStdin = run(["-"], list);
    const fromPipe = spawnSync("bash", ["-c", `"$NODE" "$BIN" check --no-project template.yaml <(cat list.yaml) -o junit --workers 2`], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE: process.execPath, BIN: bin } });
    for (const r of [fromFile, fromStdin, fromPipe]) assert.is(r.status, 1, r.stderr);
    const all = (out: string) => [...out.matchAll(/<testcase classname="[^"]*" name="([^"]*)" file="[^"]*" line="(\d+)"/g)].map((m) => `${m[1]}@${m[2]}`);
    // The template and constraint among the inputs are reviewed too (as gator and the webhook review them).
    for (const r of [fromFile, fromStdin, fromPipe]) assert.equal(all(r.stdout).slice(0, 2), ["ConstraintTemplate k8sfoo@1", "K8sFoo k8sfoo-all@21"]);
    const lines = (out: string) => all(out).filter((l) => l.startsWith("FooIsBar "));
    // Each item at its own line (the `- apiVersion` line of the item), in order.
    const expected = items.map((_, i) => `FooIsBar default/x${i}@${3 + 5 * i}`);
    assert.equal(lines(fromFile.stdout), expected);
    assert.equal(lines(fromStdin.stdout), expected);
    assert.equal(lines(fromPipe.stdout), expected);
    assert.match(fromStdin.stdout, /<testsuite name="&lt;stdin&gt;" tests="1500" failures="1000"/);
    assert.equal(copyDirs(), before, "no copy is left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
