// The writer's promises: it never replaces a folder it does not own, an interruption at any
// filesystem call leaves a recoverable output that the next run repairs without debris, a symlinked
// output stays a link, modes are the umask's, and a dead writer's lock never blocks the next build.
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { outputSandbox, tree } from "./fixture.js";
import type { GeneratedFile } from "../../src/emit/emitter.js";
import { MARKER_CONTENT, MARKER_FILE, recoverOutput, updateOutput, writeOutput, type FaultHook } from "../../src/build/write.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const file = (p: string, content = `${p}\n`): GeneratedFile => ({ path: p, content });
const MARK = { [MARKER_FILE]: MARKER_CONTENT };


const sandbox = () => outputSandbox("policyc-safety-");

const asTree = (files: GeneratedFile[]) => ({ ...MARK, ...Object.fromEntries(files.map((f) => [f.path, f.content])) });

test("a foreign folder is refused, naming some of its files, and every file in it survives", async () => {
  const s = sandbox();
  try {
    mkdirSync(path.join(s.out, "manifests"), { recursive: true });
    mkdirSync(path.join(s.out, "secrets"));
    writeFileSync(path.join(s.out, "manifests/kustomization.yaml"), "resources: [app.yaml]\n");
    writeFileSync(path.join(s.out, "manifests/app.yaml"), "kind: Deployment\n");
    writeFileSync(path.join(s.out, "notes.txt"), "mine\n");
    writeFileSync(path.join(s.out, "secrets/id_rsa"), "KEY\n");
    const before = tree(s.out);
    const ds = await writeOutput(s.out, [file("manifests/kustomization.yaml"), file("manifests/x.yaml")]);
    assert.equal(ds.map((d) => d.code), ["PC3007"]);
    assert.match(ds[0]!.message, /manifests\/app\.yaml/);
    assert.match(ds[0]!.message, /notes\.txt/);
    assert.equal(tree(s.out), before, "nothing written, nothing removed");
    assert.equal(readdirSync(s.parent), ["generated"]);
    // --check reports the same refusal instead of a list of "removed" files.
    const checked = await updateOutput(s.out, [file("manifests/x.yaml")], { check: true });
    assert.equal(checked.diagnostics.map((d) => d.code), ["PC3007"]);
  } finally {
    s.done();
  }
});

test("an unmarked output is adopted only when every file in it is one this build writes", async () => {
  const s = sandbox();
  try {
    mkdirSync(path.join(s.out, "manifests"), { recursive: true });
    writeFileSync(path.join(s.out, "manifests/a.yaml"), "old\n");
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml")]), []);
    assert.equal(tree(s.out), asTree([file("manifests/a.yaml"), file("manifests/b.yaml")]));
    // Once marked, files of earlier builds are removed like any stale output.
    assert.equal(await writeOutput(s.out, [file("manifests/b.yaml")]), []);
    assert.equal(tree(s.out), asTree([file("manifests/b.yaml")]));
  } finally {
    s.done();
  }
});

test("a symlinked output folder keeps its link; files are written into the target with normal modes", async () => {
  const s = sandbox();
  const old = process.umask(0o022);
  try {
    const target = path.join(s.parent, "real-out");
    mkdirSync(target);
    symlinkSync(target, s.out);
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml")]), []);
    assert.equal(await writeOutput(s.out, [file("manifests/a.yaml", "changed\n"), file("schemas/b.json")]), []);
    assert.ok(lstatSync(s.out).isSymbolicLink(), "still a link");
    assert.is(readlinkSync(s.out), target);
    assert.equal(tree(target), asTree([file("manifests/a.yaml", "changed\n"), file("schemas/b.json")]));
    assert.is(statSync(path.join(target, "manifests")).mode & 0o777, 0o755);
    assert.is(statSync(path.join(target, "manifests/a.yaml")).mode & 0o777, 0o644);
    assert.is(statSync(path.join(target, "manifests/a.yaml")).nlink, 1, "no file shares an inode");
    const fresh = path.join(s.parent, "fresh");
    assert.equal(await writeOutput(fresh, [file("a.yaml")]), []);
    assert.is(statSync(fresh).mode & 0o777, 0o755, "not mkdtemp's 0700");
  } finally {
    process.umask(old);
    s.done();
  }
});

test("an unwritable folder of the previous output is reported before anything changes", async () => {
  const s = sandbox();
  try {
    await writeOutput(s.out, [file("manifests/a.yaml"), file("manifests/b.yaml")]);
    const before = tree(s.out);
    // Root ignores permissions, so the refusal is injected where the writer asks.
    const fault: FaultHook = (call, when, target) => {
      if (call === "access" && when === "before" && target.endsWith("manifests")) throw Object.assign(new Error("EACCES"), { code: "EACCES", path: target });
    };
    const ds = await writeOutput(s.out, [file("manifests/a.yaml", "new\n"), file("manifests/c.yaml")], { fault });
    assert.equal(ds.map((d) => d.code), ["PC3002"]);
    assert.match(ds[0]!.message, /permission denied/);
    assert.equal(tree(s.out), before);
  } finally {
    s.done();
  }
});

// Old and new outputs that exercise every kind of change: same, changed, removed, added, a file
// that becomes a folder and a folder that becomes a file.
const OLD = [file("manifests/a.yaml"), file("manifests/b.yaml"), file("gone/c.yaml"), file("x"), file("d/e.yaml")];
const NEW = [file("manifests/a.yaml"), file("manifests/b.yaml", "changed\n"), file("new/n.yaml"), file("x/y.yaml"), file("d")];

/** A hook that "kills" the writer at point `k`: that call and every later one fail. */
function dieAt(k: number): { hook: FaultHook; where: () => string } {
  let n = 0;
  let dead = false;
  let where = "";
  return {
    hook: (call, when, target) => {
      if (dead) throw new Error("dead");
      if (n++ === k) {
        dead = true;
        where = `${when} ${call} ${path.basename(target)}`;
        throw new Error("killed");
      }
    },
    where: () => where,
  };
}

test("killed before or after any filesystem call: the output is recoverable and the next run repairs it without debris", async () => {
  let points = 0;
  const s0 = sandbox();
  try {
    await writeOutput(s0.out, OLD);
    assert.equal(await writeOutput(s0.out, NEW, { fault: () => void points++ }), []);
  } finally {
    s0.done();
  }
  assert.ok(points > 40, `the writer makes ${points / 2} filesystem calls`);
  const oldTree = asTree(OLD);
  const newTree = asTree(NEW);
  let recovered = 0;
  for (let k = 0; k < points; k++) {
    const s = sandbox();
    try {
      await writeOutput(s.out, OLD);
      const death = dieAt(k);
      await writeOutput(s.out, NEW, { fault: death.hook });
      const visible = Object.fromEntries(Object.entries(tree(s.out)).filter(([p]) => !p.startsWith(".policyc-") || p === MARKER_FILE));
      const journal = existsSync(path.join(s.out, ".policyc-journal"));
      const canon = (t: Record<string, string>) => JSON.stringify(Object.entries(t).sort(([a], [b]) => (a < b ? -1 : 1)));
      const intact = canon(visible) === canon(oldTree) || canon(visible) === canon(newTree);
      assert.ok(intact || journal, `killed at ${death.where()}: neither a complete output nor a journal`);
      assert.equal(readdirSync(s.parent), ["generated"], `killed at ${death.where()}: nothing outside the output`);
      // The next run: alternately a reader (as `test` and `build --check` do) and a build.
      if (k % 2 === 0) {
        const said = await recoverOutput(s.out);
        if (said.length > 0) recovered++;
        assert.ok(said.every((d) => d.code === "PC3009"), `killed at ${death.where()}: ${JSON.stringify(said)}`);
        if (journal) assert.equal(tree(s.out), newTree, `killed at ${death.where()}: the journal is completed`);
      }
      const next = await updateOutput(s.out, NEW);
      assert.ok(next.diagnostics.every((d) => d.code === "PC3009"), `killed at ${death.where()}: ${JSON.stringify(next.diagnostics)}`);
      assert.equal(tree(s.out), newTree, `killed at ${death.where()}: the next build's output`);
      assert.equal(readdirSync(s.parent), ["generated"]);
    } finally {
      s.done();
    }
  }
  assert.ok(recovered > 5, "some interruptions needed (and reported) a recovery");
});

test("a real kill -9 of a writing process: the next build completes or rolls back the write", async () => {
  const s = sandbox();
  try {
    const script = path.join(s.parent, "writer.mts");
    // The child kills itself with SIGKILL when it is about to make its Nth rename (mid-commit) or
    // its Nth file write (mid-staging).
    writeFileSync(
      script,
      `import { writeOutput } from ${JSON.stringify(path.join(root, "src/build/write.ts"))};
const [out, call, nth] = process.argv.slice(2);
const files = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ path: "manifests/f" + i + ".yaml", content: tag + i + "\\n" }));
let seen = 0;
await writeOutput(out!, files(30, "new"), { fault: (c, when) => { if (c === call && when === "before" && ++seen === Number(nth)) process.kill(process.pid, "SIGKILL"); } });
`,
    );
    const expected = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`manifests/f${i}.yaml`, `new${i}\n`]));
    for (const [call, nth] of [["rename", "12"], ["writeFile", "9"]] as const) {
      rmSync(s.out, { recursive: true, force: true });
      await writeOutput(s.out, Array.from({ length: 20 }, (_, i) => file(`manifests/f${i}.yaml`, `old${i}\n`)));
      const run = spawnSync(process.execPath, ["--import", "tsx", script, s.out, call, nth], { cwd: root, encoding: "utf8" });
      assert.is(run.signal, "SIGKILL", run.stderr);
      const ds = await updateOutput(s.out, Object.entries(expected).map(([p, c]) => file(p, c)));
      assert.equal(ds.diagnostics.map((d) => d.code), ["PC3009"], `killed before ${call} #${nth}`);
      assert.equal(tree(s.out), { ...MARK, ...expected });
      assert.equal(readdirSync(s.out).sort(), [MARKER_FILE, "manifests"]);
    }
  } finally {
    s.done();
  }
});

test("debris of the old writer beside the output is restored or removed", async () => {
  const s = sandbox();
  try {
    // Killed between the old writer's two renames: the output is missing, the previous one is `-old`.
    mkdirSync(path.join(s.parent, ".policyc-tmp-generated-AbC123-old/manifests"), { recursive: true });
    writeFileSync(path.join(s.parent, ".policyc-tmp-generated-AbC123-old/manifests/a.yaml"), "manifests/a.yaml\n");
    mkdirSync(path.join(s.parent, ".policyc-tmp-generated-AbC123"));
    mkdirSync(path.join(s.parent, ".policyc-tmp-other-XyZ789"));
    const ds = await writeOutput(s.out, [file("manifests/a.yaml")]);
    assert.equal(ds.map((d) => d.code), ["PC3009"]);
    assert.match(ds[0]!.message, /restored/);
    assert.equal(tree(s.out), asTree([file("manifests/a.yaml")]));
    assert.equal(readdirSync(s.parent).sort(), [".policyc-tmp-other-XyZ789", "generated"], "another output's folder is not ours to remove");
  } finally {
    s.done();
  }
});

test("a lock left by a dead process is taken over; a live one is waited for", async () => {
  const s = sandbox();
  try {
    await writeOutput(s.out, [file("a.yaml")]);
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    writeFileSync(path.join(s.out, ".policyc-lock"), JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), token: "ab" }));
    assert.equal(await writeOutput(s.out, [file("a.yaml", "2\n")]), []);
    assert.not.ok(existsSync(path.join(s.out, ".policyc-lock")));
    // A live holder (this test's parent process) makes the build wait, then stop with PC3008.
    writeFileSync(path.join(s.out, ".policyc-lock"), JSON.stringify({ pid: process.ppid, host: os.hostname(), token: "cd" }));
    const ds = await writeOutput(s.out, [file("a.yaml", "3\n")], { lockWaitMs: 300 });
    assert.equal(ds.map((d) => d.code), ["PC3008"]);
    assert.match(ds[0]!.message, new RegExp(`process ${process.ppid}`));
    assert.is(readFileSync(path.join(s.out, "a.yaml"), "utf8"), "2\n");
  } finally {
    s.done();
  }
});

test.run();
