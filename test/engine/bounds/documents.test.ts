// `-i` and `-d` documents are read within bounds: one diagnostic for any depth past the engine's
// limit (a short code frame even for a one-line 600 KB document), and directories, FIFOs and
// devices are diagnostics instead of reads that never end.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runEval } from "../../../src/engine/eval/command.js";

const dir = mkdtempSync(path.join(tmpdir(), "policyc-documents-"));

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runEval(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd: dir });
  return { code, stdout, stderr };
}

test("every depth past the limit gives the same diagnostic at the first bracket too deep", async () => {
  for (const depth of [1001, 5000, 300_000]) {
    writeFileSync(path.join(dir, `deep${depth}.json`), "[".repeat(depth) + "]".repeat(depth));
    const r = await run("-i", `deep${depth}.json`, "x := 1");
    assert.is(r.code, 1);
    assert.ok(r.stderr.startsWith(`deep${depth}.json:1:1001: error PC5590:`), r.stderr.slice(0, 200));
    assert.ok(r.stderr.length < 600, "the code frame shows a window of the line");
  }
  writeFileSync(path.join(dir, "ok.json"), "[".repeat(1000) + "]".repeat(1000));
  assert.is((await run("-i", "ok.json", "x := 1")).code, 0);
  writeFileSync(path.join(dir, "deep.yaml"), "a: " + "[".repeat(2000) + "]".repeat(2000) + "\n");
  assert.match((await run("-d", "deep.yaml", "x := 1")).stderr, /deep\.yaml:1:1004: error PC5590/);
});

test("a directory, a FIFO or a device is a diagnostic", async () => {
  assert.match((await run("-i", ".", "x := 1")).stderr, /PC5587/);
  execFileSync("mkfifo", [path.join(dir, "fifo")]);
  const fifo = await run("-i", "fifo", "x := 1");
  assert.is(fifo.code, 1);
  assert.match(fifo.stderr, /PC5588: fifo is not a regular file/);
  assert.match((await run("-i", "/dev/zero", "x := 1")).stderr, /PC5588/);
});

test("a document past the size limit is a diagnostic, not read", async () => {
  execFileSync("truncate", ["-s", "300M", path.join(dir, "huge.json")]); // sparse: nothing to write
  const r = await run("-i", "huge.json", "x := 1");
  assert.is(r.code, 1);
  assert.match(r.stderr, /PC5589: huge\.json is 300 MiB, more than the 256 MiB/);
});

test.run();
