// The atomic writer: exact replacement, a failed write leaves the previous output, refused paths.
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { outputSandbox, tree } from "./fixture.js";
import type { GeneratedFile } from "../../src/emit/emitter.js";
import { compareOutput, MARKER_CONTENT, MARKER_FILE, writeOutput } from "../../src/build/write.js";

const MARK = { [MARKER_FILE]: MARKER_CONTENT };

const file = (p: string, content = `${p}\n`): GeneratedFile => ({ path: p, content });


const sandbox = () => outputSandbox("policyc-write-");

test("writes exactly the given files and removes files of the previous build", async () => {
  const s = sandbox();
  try {
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml")]), []);
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml", "new\n"), file("schemas/x.json")]), []);
    assert.equal(tree(s.out), { ...MARK, "manifests/a.yaml": "new\n", "schemas/x.json": "schemas/x.json\n" });
    assert.equal(readdirSync(s.parent), ["generated"], "no temporary folder is left behind");
  } finally {
    s.done();
  }
});

test("files under a folder the old output lacks move as that folder: one rename, not one per file", async () => {
  const s = sandbox();
  try {
    const renames = (): { hook: (call: string, when: string, target: string) => void; targets: string[] } => {
      const targets: string[] = [];
      return { targets, hook: (call, when, target) => void (call === "rename" && when === "before" && targets.push(path.relative(s.out, target))) };
    };
    const first = renames();
    const files = [file("manifests/a.yaml"), file("manifests/b.yaml"), file("tests/k/suite.yaml"), file("tests/k/samples/p.yaml"), file("kustomization.yaml")];
    assert.equal(await writeOutput(s.out, files, { fault: first.hook }), []);
    assert.equal(first.targets.sort(), [".policyc-journal", ".policyc-output", "kustomization.yaml", "manifests", "tests"]);
    assert.equal(tree(s.out), { ...MARK, ...Object.fromEntries(files.map((f) => [f.path, f.content])) });
    // Later builds: a new file in an existing folder moves alone, a new folder inside one moves whole.
    const second = renames();
    const more = [...files, file("manifests/c.yaml"), file("tests/j/suite.yaml"), file("tests/j/samples/q.yaml")];
    assert.equal(await writeOutput(s.out, more, { fault: second.hook }), []);
    assert.equal(second.targets.sort(), [".policyc-journal", "manifests/c.yaml", "tests/j"]);
    assert.equal(tree(s.out), { ...MARK, ...Object.fromEntries(more.map((f) => [f.path, f.content])) });
    assert.equal(readdirSync(s.parent), ["generated"]);
  } finally {
    s.done();
  }
});

test("a write that fails halfway leaves the previous output untouched", async () => {
  const s = sandbox();
  try {
    await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml")]);
    const before = tree(s.out);
    let n = 0;
    const ds = await writeOutput(s.out, [file("manifests/a.yaml", "changed\n"), file("manifests/b.yaml", "changed\n"), file("manifests/c.yaml")], {
      fault: (call, when) => {
        if (call === "writeFile" && when === "before" && ++n === 3) throw new Error("disk full");
      },
    });
    assert.equal(ds.map((d) => d.code), ["PC3002"]);
    assert.match(ds[0]!.message, /disk full/);
    assert.equal(tree(s.out), before);
    assert.equal(readdirSync(s.parent), ["generated"]);
    assert.equal(readdirSync(s.out).sort(), [MARKER_FILE, "manifests"], "the staging folder is removed");
  } finally {
    s.done();
  }
});

test("a rebuild rewrites only what changed: unchanged files keep their inode", async () => {
  const s = sandbox();
  try {
    await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml"), file("manifests/c.yaml")]);
    const ino = (rel: string) => statSync(path.join(s.out, rel)).ino;
    const before = { a: ino("manifests/a.yaml"), b: ino("manifests/b.yaml") };
    const ds = await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml", "changed\n"), file("manifests/d.yaml")]);
    assert.equal(ds, []);
    assert.is(ino("manifests/a.yaml"), before.a, "unchanged: the same file");
    assert.is.not(ino("manifests/b.yaml"), before.b);
    assert.equal(tree(s.out), { ...MARK, "manifests/a.yaml": "manifests/a.yaml\n", "manifests/b.yaml": "changed\n", "manifests/d.yaml": "manifests/d.yaml\n" });
    assert.equal(readdirSync(s.parent), ["generated"]);
  } finally {
    s.done();
  }
});

test("a symlink in the previous output is never followed or reused", async () => {
  const s = sandbox();
  try {
    await writeOutput(s.out, [file("manifests/a.yaml")]);
    const target = path.join(s.parent, "target.yaml");
    writeFileSync(target, "manifests/a.yaml\n");
    rmSync(path.join(s.out, "manifests/a.yaml"));
    symlinkSync(target, path.join(s.out, "manifests/a.yaml"));
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml")]), []);
    assert.ok(lstatSync(path.join(s.out, "manifests/a.yaml")).isFile());
    assert.is(statSync(target).nlink, 1);
  } finally {
    s.done();
  }
});

test("PC3001 when the output path is a file; PC3002 when it cannot be created", async () => {
  const s = sandbox();
  try {
    writeFileSync(s.out, "not a folder");
    assert.equal((await writeOutput(s.out, [file("a.yaml")])).map((d) => d.code), ["PC3001"]);
    assert.is(readFileSync(s.out, "utf8"), "not a folder");
    const under = path.join(s.out, "sub", "generated");
    assert.equal((await writeOutput(under, [file("a.yaml")])).map((d) => d.code), ["PC3002"]);
  } finally {
    s.done();
  }
});

test("PC3003 refuses paths that escape the output directory, before writing anything", async () => {
  const s = sandbox();
  try {
    for (const bad of ["../evil.yaml", "/etc/evil.yaml", "a/../../evil.yaml", "a\\..\\evil.yaml", "", "./a.yaml"]) {
      const ds = await writeOutput(s.out, [file("ok.yaml"), file(bad)]);
      assert.equal(ds.map((d) => d.code), ["PC3003"], bad);
    }
    assert.not.ok(existsSync(s.out));
    assert.equal(readdirSync(s.parent), []);
  } finally {
    s.done();
  }
});

test("PC3004 two files at one path, or a file where a folder must be", async () => {
  const s = sandbox();
  try {
    assert.equal((await writeOutput(s.out, [file("a.yaml"), file("a.yaml")])).map((d) => d.code), ["PC3004"]);
    assert.equal((await writeOutput(s.out, [file("a/b.yaml"), file("a")])).map((d) => d.code), ["PC3004"]);
    assert.not.ok(existsSync(s.out));
  } finally {
    s.done();
  }
});

test("compareOutput lists changed, added and removed files", async () => {
  const s = sandbox();
  try {
    mkdirSync(s.out);
    await writeOutput(s.out, [file("same.yaml"), file("changed.yaml"), file("gone.yaml")]);
    rmSync(path.join(s.out, MARKER_FILE));
    const changes = compareOutput(s.out, [file("same.yaml"), file("changed.yaml", "different\n"), file("new/added.yaml")]);
    assert.equal(changes, { added: ["new/added.yaml"], changed: ["changed.yaml"], removed: ["gone.yaml"] });
    assert.equal(compareOutput(path.join(s.parent, "missing"), [file("a.yaml")]), { added: ["a.yaml"], changed: [], removed: [] });
  } finally {
    s.done();
  }
});

test.run();
