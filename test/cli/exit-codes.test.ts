// The exit-code contract, command by command: every user mistake is exit 1 with a stable PC code
// (and a position where there is a file), never exit 2; a policyc defect is exit 2 with PC9xxx, its
// cause named, and the stack only on request.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import type { CommandIO } from "../../src/cli/command.js";
import { makeProject, REGO, removeProject } from "../build/fixture.js";

async function run(cwd: string, argv: string[], overrides: Partial<CommandIO> = {}) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), cwd, ...overrides };
  const status = await main(argv, io);
  return { status, stdout, stderr };
}

const CHECK = `import { defineCheck, defineResource, rego } from "policyc";
export const c = defineCheck({ kind: "K8sA", description: "d", rego: ${REGO} });
`;

interface Case {
  name: string;
  files?: Record<string, string>;
  /** Runs in the project (or a scratch folder); may prepare more. */
  prepare?: (dir: string) => void;
  argv: string[];
  code: string;
  /** `file:line:col` the diagnostic must carry, when it has one. */
  at?: RegExp;
  message?: RegExp;
}

const cases: Case[] = [
  {
    name: "build: a mistyped schema of defineResource",
    files: { "policies/a.ts": `${CHECK}export const r = defineResource({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }, { schema: "deckhouse/securitypolicy.jsn" });\n` },
    argv: ["build"],
    code: "PC2017",
    at: /^policies\/a\.ts:4:\d+: /m,
    message: /did you mean `deckhouse\/securitypolicy\.json`/,
  },
  { name: "build: a policy file that throws", files: { "policies/a.ts": `${CHECK}throw new Error("nope");\n` }, argv: ["build"], code: "PC1005", at: /^policies\/a\.ts:4:7: /m },
  { name: "build: --config that does not exist", argv: ["build", "--config", "nope.ts"], code: "PC1002" },
  {
    name: "build: --out into a folder policyc does not own",
    files: { "policies/a.ts": CHECK, "docs/notes.md": "mine\n" },
    argv: ["build", "--out", "docs"],
    code: "PC3007",
    message: /notes\.md/,
  },
  { name: "build: a bad config option", files: { "policies/a.ts": CHECK, "policyc.config.ts": 'import { defineConfig } from "policyc";\nexport default defineConfig({ timeout: -1 } as never);\n' }, argv: ["build"], code: "PC1003" },
  { name: "eval: -d of a missing path", argv: ["eval", "-d", "missing.rego", "data"], code: "PC5580" },
  {
    name: "eval: a broken symlink inside a -d folder",
    prepare: (dir) => {
      mkdirSync(path.join(dir, "pol"));
      writeFileSync(path.join(dir, "pol/a.rego"), "package a\nx := 1\n");
      symlinkSync(path.join(dir, "gone.rego"), path.join(dir, "pol/b.rego"));
    },
    argv: ["eval", "-d", "pol", "data.a.x"],
    code: "PC5591",
    message: /pol\/b\.rego: no such file or directory/,
  },
  {
    name: "eval: a symlink cycle inside a -d folder",
    prepare: (dir) => {
      mkdirSync(path.join(dir, "pol"));
      symlinkSync(path.join(dir, "pol/loop.rego"), path.join(dir, "pol/loop.rego"));
    },
    argv: ["eval", "-d", "pol", "data"],
    code: "PC5591",
    message: /symlink cycle/,
  },
  { name: "eval: a Rego syntax error", files: { "p.rego": "package p\nx := = 1\n" }, argv: ["eval", "-d", "p.rego", "data.p.x"], code: "PC50", at: /^p\.rego:2:\d+: /m },
  {
    name: "eval: a conflict while evaluating",
    files: { "p.rego": 'package p\nx := 1 if { true }\nx := 2 if { true }\n' },
    argv: ["eval", "-d", "p.rego", "data.p.x"],
    code: "PC5",
  },
  { name: "verify: a suite file that is not YAML", files: { "suite.yaml": "kind: Suite\n  bad: [\n" }, argv: ["verify", "suite.yaml"], code: "PC4" },
  { name: "import: a path that does not exist", argv: ["import", "--out", "out", "missing.yaml"], code: "PC8" },
];

for (const c of cases) {
  test(c.name, async () => {
    const dir = c.files || c.name.startsWith("build") ? makeProject(c.files ?? {}) : mkdtempSync(path.join(os.tmpdir(), "policyc-exit-"));
    try {
      for (const [rel, text] of Object.entries(c.files ?? {})) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      }
      c.prepare?.(dir);
      const r = await run(dir, c.argv);
      // Test reporters (verify) print diagnostics in their report on stdout.
      const said = r.stderr + r.stdout;
      assert.is(r.status, 1, `${c.name}: exit ${r.status}\n${said}`);
      assert.match(said, new RegExp(`error ${c.code}\\d*: `), said);
      assert.not.match(said, /PC9\d{3}/, said);
      if (c.at) assert.match(said, c.at, said);
      if (c.message) assert.match(said, c.message, said);
    } finally {
      removeProject(dir);
    }
  });
}

test("a defect is exit 2 with PC9001 naming the cause; the stack only with --debug", async () => {
  const dir = makeProject({ "policies/a.ts": CHECK });
  try {
    const broken = { stdout: () => { throw new TypeError("cannot write to a closed stream"); } };
    const plain = await run(dir, ["build"], broken);
    assert.is(plain.status, 2);
    assert.match(plain.stderr, /error PC9001: internal error: TypeError: cannot write to a closed stream/);
    assert.match(plain.stderr, /--debug/);
    assert.not.match(plain.stderr, /\n\s+at .*\n\s+at /, "no stack trace");
    const debug = await run(dir, ["build", "--debug"], broken);
    assert.is(debug.status, 2);
    assert.match(debug.stderr, /\n\s+at .*\n\s+at /, "the stack trace");
  } finally {
    removeProject(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
