/**
 * The `opa` engine's plumbing, with a stand-in `opa` on PATH (test/support/opa-stand-in: OPA's
 * `opa build` command line and bundle format, policyc's compiler inside): policyc finds it, calls
 * `opa build -t wasm` as OPA documents it, reads policy.wasm out of the bundle, reports its failures,
 * and `eval --engine opa` / `test --differential` use it. OPA's own semantics are cross-checked only
 * when a real `opa` is installed (opa-engine.test.ts); none can be installed here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runEval } from "../../../src/engine/eval/command.js";
import { compile, findOpa, loadModule } from "../../../src/engine/index.js";
import { projectRoot } from "../../support/shared.js";

const standInDir = path.join(projectRoot, "test", "support", "opa-stand-in");
const work = mkdtempSync(path.join(tmpdir(), "policyc-opa-stand-in-"));
const log = path.join(work, "argv.jsonl");

/** Runs `fn` with the stand-in first on PATH and its argv log (and any extra env) set. */
async function withStandIn<T>(fn: () => T | Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const saved = { PATH: process.env.PATH, OPA_STAND_IN_LOG: process.env.OPA_STAND_IN_LOG, ...Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]])) };
  process.env.PATH = `${standInDir}${path.delimiter}${process.env.PATH ?? ""}`;
  process.env.OPA_STAND_IN_LOG = log;
  Object.assign(process.env, env);
  rmSync(log, { force: true });
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function calls(): string[][] {
  return existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]) : [];
}

const modules = [{ file: "p.rego", text: "package test\n\np := x if { x := input.a + 1 }\n\ns contains y if { some y in input.items; y > 1 }\n" }];

test("the built engine the stand-in loads exists (npm test builds dist/ first)", () => {
  assert.ok(existsSync(path.join(projectRoot, "dist", "engine", "index.js")), "dist/engine/index.js is missing: run `npm run build`");
});

test("policyc finds opa on PATH and runs `opa build -t wasm` with OPA's flags; the bundle's policy.wasm evaluates", async () => {
  await withStandIn(() => {
    assert.is(findOpa(), path.join(standInDir, "opa"));
    const input = { a: 1, items: [1, 2, 3] };
    const viaOpa = loadModule(compile({ modules, entrypoints: ["test/p", "data.test.s"], engine: "opa" }));
    const ours = loadModule(compile({ modules, entrypoints: ["test/p", "test/s"] }));
    for (const ep of ["test/p", "test/s"]) assert.equal(viaOpa.evaluate(input, ep), ours.evaluate(input, ep), ep);
    const [argv] = calls();
    assert.ok(argv);
    assert.equal(argv.slice(0, 3), ["build", "-t", "wasm"]);
    assert.equal(argv.slice(3, 5)[0], "-o");
    // Entrypoints in OPA's slash form, one -e each; v1 syntax needs no flag.
    assert.equal(argv.slice(5, 9), ["-e", "test/p", "-e", "test/s"]);
    assert.not.ok(argv.includes("--v0-compatible"));
    assert.ok(argv[9]!.endsWith(".rego"));
  });
});

test("v0 modules are built with --v0-compatible", async () => {
  await withStandIn(() => {
    const v0 = [{ file: "v0.rego", text: 'package legacy\n\nviolation[{"msg": msg}] {\n  input.x\n  msg := "x"\n}\n' }];
    const mod = loadModule(compile({ modules: v0, entrypoints: ["legacy/violation"], regoVersion: "v0", engine: "opa" }));
    mod.setData({});
    assert.equal(mod.evaluate({ x: true }, "legacy/violation"), [{ result: [{ msg: "x" }] }]);
    assert.ok(calls()[0]!.includes("--v0-compatible"));
  });
});

test("a failing opa build is an error carrying opa's own message", async () => {
  await withStandIn(() => {
    const broken = [{ file: "broken.rego", text: "package broken\n\np if {\n" }];
    assert.throws(() => compile({ modules: broken, entrypoints: ["broken/p"], engine: "opa" }), /opa build failed.*\n.*rego_parse_error/s);
  });
});

test("policyc eval --engine opa evaluates through the opa-built module", async () => {
  writeFileSync(path.join(work, "policy.rego"), "package test\n\nallow if input.user == data.admins[_]\n");
  writeFileSync(path.join(work, "data.json"), JSON.stringify({ admins: ["alice"] }));
  writeFileSync(path.join(work, "input.json"), JSON.stringify({ user: "alice" }));
  await withStandIn(async () => {
    let stdout = "";
    let stderr = "";
    const code = await runEval(["--engine", "opa", "-d", "policy.rego", "-d", "data.json", "-i", "input.json", "data.test.allow"], {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      cwd: work,
    });
    assert.is(code, 0, stderr);
    assert.equal((JSON.parse(stdout) as { result: { expressions: { value: unknown }[] }[] }).result[0]!.expressions[0]!.value, true);
    assert.is(calls().length, 1, "the query was built by opa");
  });
});

test("policyc test --differential runs every case on opa's module too, and fails where the engines disagree", () => {
  // Separate processes: a process keeps the modules it built, as a real opa never changes under it.
  const run = (env: Record<string, string> = {}) => {
    rmSync(log, { force: true });
    const r = spawnSync(process.execPath, [path.join(projectRoot, "bin", "policyc.js"), "test", "--differential"], {
      cwd: projectRoot,
      encoding: "utf8",
      env: { ...process.env, PATH: `${standInDir}${path.delimiter}${process.env.PATH ?? ""}`, OPA_STAND_IN_LOG: log, ...env },
    });
    return { code: r.status, stdout: r.stdout };
  };
  const agree = run();
  assert.is(agree.code, 0, agree.stdout);
  assert.match(agree.stdout, /\n\d+ passed, 0 failed\n/);
  assert.ok(calls().length >= 7, "every example template was built by opa");
  const disagree = run({ OPA_STAND_IN_SABOTAGE: "1" });
  assert.is(disagree.code, 1);
  assert.match(disagree.stdout, /the engines disagree \(policyc-wasm vs opa-build\)/);
  assert.match(disagree.stdout, /-container <app> has an invalid image repo <docker\.io\/nginx:1\.27>/);
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test.run();
