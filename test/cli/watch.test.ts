/**
 * `policyc build --watch`, as a user runs it: a real process, real file edits (appends, rename-saves
 * as `sed -i` and editors make them, new folders, deletions), one rebuild per change, a broken edit
 * reported without touching the output, Ctrl-C ends it with status 0.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isIgnored } from "../../src/cli/watch.js";
import { makeProject, REGO, removeProject } from "../build/fixture.js";
import { projectRoot } from "../support/shared.js";

const CHECK = (kind: string, name: string) => `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck<{ repos: string[] }>({ kind: "${kind}", description: "d", rego: ${REGO} });
defineConstraint(c, { name: "${name}", parameters: { repos: ["a/"] } });
`;

/** A running `build --watch` (or another command's --watch) whose output can be awaited. */
function startWatch(cwd: string, command: string[] = ["build", "--watch"]) {
  const child = spawn(process.execPath, [path.join(projectRoot, "bin", "policyc.js"), ...command], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const waiters: (() => void)[] = [];
  const onData = (b: Buffer) => {
    output += b.toString();
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    /** Waits until `n` more builds have finished; returns their output. */
    async builds(n = 1, timeoutMs = 20_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      const from = output.length;
      const count = () => (output.slice(from).match(/watching for changes/g) ?? []).length;
      while (count() < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for a build; output so far:\n${output}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
      return output.slice(from);
    },
    async stop(): Promise<number | null> {
      child.kill("SIGINT");
      return exited;
    },
    get output() {
      return output;
    },
  };
}

test("the watcher ignores the output, dependencies, VCS data, policyc's temporary folders and editor files", () => {
  const out = "/p/generated";
  const ignored = (rel: string) => isIgnored(rel, path.join("/p", rel), [out]);
  for (const rel of ["generated", "generated/manifests/a.yaml", "node_modules/x/index.js", ".git/index", ".policyc-tmp-generated-x/a", "policies/.a.ts.swp", "policies/a.ts~", "policies/4913", "policies/#a.ts#"]) {
    assert.ok(ignored(rel), rel);
  }
  for (const rel of ["policies/a.ts", "policyc.config.ts", "policies/k.rego", "generated2/a.ts"]) assert.not.ok(ignored(rel), rel);
});

test("build --watch rebuilds on every kind of save, reports a broken edit without touching the output, and stops on Ctrl-C", async () => {
  const dir = makeProject({ "policies/a.ts": CHECK("K8sWatchA", "watch-a") });
  const watcher = startWatch(dir);
  try {
    const first = await watcher.builds();
    assert.match(first, /wrote \d+ files to generated\/ \(1 templates, 1 constraints/);
    const manifest = path.join(dir, "generated", "manifests", "k8swatcha-watch-a.yaml");

    // A save that replaces the file by rename (sed -i, most editors), changing a parameter.
    const file = path.join(dir, "policies", "a.ts");
    // (Written beside the project, so the save is one event however slow the machine.)
    const fresh = path.join(path.dirname(dir), `${path.basename(dir)}-a.ts`);
    writeFileSync(fresh, CHECK("K8sWatchA", "watch-a").replace('["a/"]', '["b/"]'));
    renameSync(fresh, file);
    assert.match(await watcher.builds(), /change in policies\/a\.ts.*; rebuilding\n(?:.*warning PC2041.*\n)*wrote \d+ files/s);
    assert.match(readFileSync(manifest, "utf8"), /- b\//);

    // A type error: diagnostics, and the output stays as it was.
    writeFileSync(file, CHECK("K8sWatchA", "watch-a").replace('["a/"]', "[42]"));
    const broken = await watcher.builds();
    assert.match(broken, /policies\/a\.ts:\d+:\d+: error PC1001: TS2322/, watcher.output);
    assert.match(broken, /build failed in \d+ ms/);
    assert.match(readFileSync(manifest, "utf8"), /- b\//);

    // A new file in a new folder, then the fix of the broken one.
    mkdirSync(path.join(dir, "policies", "more"));
    writeFileSync(path.join(dir, "policies", "more", "b.ts"), CHECK("K8sWatchB", "watch-b"));
    writeFileSync(file, CHECK("K8sWatchA", "watch-a"));
    let text = await watcher.builds();
    while (!/\(2 templates, 2 constraints/.test(text)) text = await watcher.builds();
    assert.match(readFileSync(manifest, "utf8"), /- a\//);

    // Deleting the folder removes its check from the output.
    rmSync(path.join(dir, "policies", "more"), { recursive: true });
    assert.match(await watcher.builds(), /\(1 templates, 1 constraints/);
    // Writing the output itself never triggered a build: one build per change above.
    assert.not.match(watcher.output, /change in generated/);
    assert.is(await watcher.stop(), 0);
  } finally {
    await watcher.stop();
    removeProject(dir);
  }
});

test("test --watch rebuilds and reruns the tests on every change: a broken expectation fails, the fix passes", async () => {
  const withTests = (violations: string) => `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck<{ repos: string[] }>({
  kind: "K8sWatchT",
  description: "d",
  rego: rego\`
    package k8swatcht
    violation[{"msg": msg}] {
      c := input.review.object.spec.containers[_]
      not startswith(c.image, input.parameters.repos[_])
      msg := sprintf("bad image %v", [c.image])
    }
  \`,
});
defineConstraint(c, {
  name: "watch-t",
  parameters: { repos: ["good/"] },
  tests: [{ name: "bad", object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default" }, spec: { containers: [{ name: "a", image: "evil/x" }] } }, violations: ${violations} }],
});
`;
  const dir = makeProject({ "policies/t.ts": withTests("1") });
  const record = spawn(process.execPath, [path.join(projectRoot, "bin", "policyc.js"), "build"], { cwd: dir });
  await new Promise((r) => record.on("exit", r));
  const update = spawn(process.execPath, [path.join(projectRoot, "bin", "policyc.js"), "test", "--update"], { cwd: dir });
  await new Promise((r) => update.on("exit", r));
  const watcher = startWatch(dir, ["test", "--watch"]);
  try {
    assert.match(await watcher.builds(), /1 passed, 0 failed\ntests passed; watching/);
    writeFileSync(path.join(dir, "policies", "t.ts"), withTests('"no"'));
    assert.match(await watcher.builds(), /got 1 violations? but want none[\s\S]*0 passed, 1 failed\ntests failed; watching/);
    writeFileSync(path.join(dir, "policies", "t.ts"), withTests("1").replace("kind: \"K8sWatchT\"", "kind: 42"));
    assert.match(await watcher.builds(), /error PC1001[\s\S]*build failed; tests not run; watching/);
    writeFileSync(path.join(dir, "policies", "t.ts"), withTests("1"));
    assert.match(await watcher.builds(), /1 passed, 0 failed\ntests passed; watching/);
    assert.is(await watcher.stop(), 0);
  } finally {
    await watcher.stop();
    removeProject(dir);
  }
});

test("--watch refuses what it cannot do: with --check, or with a machine-readable report on stdout", async () => {
  const dir = makeProject({ "policies/a.ts": CHECK("K8sWatchC", "watch-c") });
  const refused = async (args: string[]) => {
    const child = spawn(process.execPath, [path.join(projectRoot, "bin", "policyc.js"), ...args], { cwd: dir });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    assert.is(code, 1);
    return stderr;
  };
  try {
    assert.match(await refused(["build", "--watch", "--check"]), /--watch and --check cannot be combined/);
    assert.match(await refused(["test", "--watch", "--reporter", "json"]), /--watch with --reporter json needs --output FILE/);
  } finally {
    removeProject(dir);
  }
});

test.run();
