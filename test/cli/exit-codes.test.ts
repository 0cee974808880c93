// The exit-code contract, command by command: every user mistake is exit 1 with a stable PC code
// (and a position where there is a file), never exit 2; a policyc defect is exit 2 with PC9xxx, its
// cause named, and the stack only on request.
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import type { CommandIO } from "../../src/cli/command.js";
import { makeProject, REGO, removeProject } from "../build/fixture.js";

async function run(
  cwd: string,
  argv: string[],
  overrides: Partial<CommandIO> = {},
) {
  let stdout = "";
  let stderr = "";
  const io: CommandIO = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    cwd,
    ...overrides,
  };
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

/** A symlink that leads back to itself: unreadable even for root. */
const loop = (rel: string) => (dir: string) =>
  symlinkSync(path.join(dir, rel), path.join(dir, rel));
const utf16 = (rel: string) => (dir: string) =>
  writeFileSync(
    path.join(dir, rel),
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("a: 1\n", "utf16le"),
    ]),
  );
const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8sa}
spec:
  crd: {spec: {names: {kind: K8sA}}}
  targets: [{target: admission.k8s.gatekeeper.sh, rego: "package k8sa\\nviolation[{\\"msg\\": \\"x\\"}] { false }"}]
`;

const cases: Case[] = [
  {
    name: "build: a mistyped schema of defineResource",
    files: {
      "policies/a.ts": `${CHECK}export const r = defineResource({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }, { schema: "deckhouse/securitypolicy.jsn" });\n`,
    },
    argv: ["build"],
    code: "PC2017",
    at: /^policies\/a\.ts:4:\d+: /m,
    message: /did you mean `deckhouse\/securitypolicy\.json`/,
  },
  {
    name: "build: a policy file that throws",
    files: { "policies/a.ts": `${CHECK}throw new Error("nope");\n` },
    argv: ["build"],
    code: "PC1005",
    at: /^policies\/a\.ts:4:7: /m,
  },
  {
    name: "build: --config that does not exist",
    argv: ["build", "--config", "nope.ts"],
    code: "PC1002",
  },
  {
    name: "build: --out into a folder policyc does not own",
    files: { "policies/a.ts": CHECK, "docs/notes.md": "mine\n" },
    argv: ["build", "--out", "docs"],
    code: "PC3007",
    message: /notes\.md/,
  },
  {
    name: "build: a bad config option",
    files: {
      "policies/a.ts": CHECK,
      "policyc.config.ts":
        'import { defineConfig } from "policyc";\nexport default defineConfig({ timeout: -1 } as never);\n',
    },
    argv: ["build"],
    code: "PC1003",
  },
  {
    name: "eval: -d of a missing path",
    argv: ["eval", "-d", "missing.rego", "data"],
    code: "PC5580",
  },
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
      symlinkSync(
        path.join(dir, "pol/loop.rego"),
        path.join(dir, "pol/loop.rego"),
      );
    },
    argv: ["eval", "-d", "pol", "data"],
    code: "PC5591",
    message: /symlink cycle/,
  },
  {
    name: "eval: a Rego syntax error",
    files: { "p.rego": "package p\nx := = 1\n" },
    argv: ["eval", "-d", "p.rego", "data.p.x"],
    code: "PC50",
    at: /^p\.rego:2:\d+: /m,
  },
  {
    name: "eval: a conflict while evaluating",
    files: { "p.rego": "package p\nx := 1 if { true }\nx := 2 if { true }\n" },
    argv: ["eval", "-d", "p.rego", "data.p.x"],
    code: "PC5",
  },
  {
    name: "verify: a suite file that is not YAML",
    files: { "suite.yaml": "kind: Suite\n  bad: [\n" },
    argv: ["verify", "suite.yaml"],
    code: "PC4",
  },
  {
    name: "import: a path that does not exist",
    argv: ["import", "--out", "out", "missing.yaml"],
    code: "PC8",
  },

  // The sweep: every command with a missing file, an unreadable one (a symlink cycle: root reads
  // anything else), a folder where a file is expected, bad YAML, an unknown option, a bad option
  // value and a bad config.
  {
    name: "build: --config names a folder without a config",
    prepare: (d) => mkdirSync(path.join(d, "conf")),
    argv: ["build", "--config", "conf"],
    code: "PC1002",
  },
  {
    name: "build: unknown option",
    argv: ["build", "--chek"],
    code: "PC1090",
    message: /did you mean `--check`/,
  },
  {
    name: "build: bad --timeout",
    argv: ["build", "--timeout", "soon"],
    code: "PC1091",
    message: /`--timeout` value `soon`/,
  },
  {
    name: "check: a missing manifest",
    argv: ["check", "--no-project", "missing.yaml"],
    code: "PC4102",
    message: /does not exist/,
  },
  {
    name: "check: a symlink cycle",
    prepare: loop("loop.yaml"),
    argv: ["check", "--no-project", "loop.yaml"],
    code: "PC4102",
    message: /symlink cycle/,
  },
  {
    name: "check: bad YAML",
    files: { "m.yaml": "kind: Pod\nmetadata: {name: [\n" },
    argv: ["check", "--no-project", "m.yaml"],
    code: "PC4",
    at: /^m\.yaml:\d+:\d+: /m,
  },
  {
    name: "check: a duplicate key",
    files: { "m.yaml": "kind: Pod\nkind: Pod\n" },
    argv: ["check", "--no-project", "m.yaml"],
    code: "PC4",
    at: /^m\.yaml:2:1: /m,
  },
  {
    name: "check: bad --output",
    argv: ["check", "-o", "xml", "m.yaml"],
    code: "PC1091",
    message: /one of pretty, json/,
  },
  {
    name: "check: --namespaces is a symlink cycle",
    prepare: loop("ns.yaml"),
    files: { "m.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n" },
    argv: ["check", "--no-project", "--namespaces", "ns.yaml", "m.yaml"],
    code: "PC41",
    message: /symlink cycle/,
  },
  {
    name: "check: --config that does not exist",
    argv: ["check", "--config", "nope.ts", "m.yaml"],
    code: "PC1002",
  },
  {
    name: "verify: a missing suite",
    argv: ["verify", "missing.yaml"],
    code: "PC4018",
    message: /does not exist/,
  },
  {
    name: "verify: a symlink cycle",
    prepare: loop("loop.yaml"),
    argv: ["verify", "loop.yaml"],
    code: "PC4018",
    message: /symlink cycle/,
  },
  {
    name: "verify: a UTF-16 suite",
    prepare: utf16("s.yaml"),
    argv: ["verify", "s.yaml"],
    code: "PC4051",
    at: /s\.yaml:1:1: /m,
  },
  {
    name: "verify: bad --run",
    argv: ["verify", "--run", "(", "s.yaml"],
    code: "PC1091",
  },
  {
    name: "eval: -i is a folder",
    prepare: (d) => mkdirSync(path.join(d, "in")),
    argv: ["eval", "-i", "in", "input"],
    code: "PC5587",
  },
  {
    name: "eval: -i is a symlink cycle",
    prepare: loop("i.yaml"),
    argv: ["eval", "-i", "i.yaml", "input"],
    code: "PC5591",
    message: /symlink cycle/,
  },
  {
    name: "eval: UTF-16 data",
    prepare: utf16("d.yaml"),
    argv: ["eval", "-d", "d.yaml", "data"],
    code: "PC4051",
    at: /^d\.yaml:1:1: /m,
  },
  {
    name: "eval: a duplicate key in data",
    files: { "d.yaml": "a: 1\na: 2\n" },
    argv: ["eval", "-d", "d.yaml", "data"],
    code: "PC4002",
    at: /^d\.yaml:2:1: /m,
  },
  {
    name: "eval: unknown option",
    argv: ["eval", "--dat", "x", "data"],
    code: "PC1090",
    message: /did you mean `--data`/,
  },
  {
    name: "explain: --from does not exist",
    argv: ["explain", "--namespace-labels", "a=b", "--from", "missing"],
    code: "PC4001",
  },
  {
    name: "explain: --from has bad YAML",
    files: { "m/a.yaml": "kind: Pod\n  x: [\n" },
    argv: ["explain", "--namespace-labels", "a=b", "--from", "m"],
    code: "PC4002",
    at: /^m\/a\.yaml:\d+:\d+: /m,
  },
  {
    name: "explain: --from holds a symlink cycle",
    prepare: (d) => (mkdirSync(path.join(d, "m")), loop("m/a.yaml")(d)),
    argv: ["explain", "--namespace-labels", "a=b", "--from", "m"],
    code: "PC4050",
    message: /symlink cycle/,
  },
  {
    name: "explain: bad labels",
    argv: ["explain", "--namespace-labels", "oops", "--from", "."],
    code: "PC6040",
  },
  {
    name: "explain: bad --output",
    argv: ["explain", "-o", "yaml", "--namespace-labels", "a=b"],
    code: "PC1091",
  },
  {
    name: "explain: a bad config",
    files: {
      "policyc.config.ts":
        'import { defineConfig } from "policyc";\nexport default defineConfig({ timeout: -1 } as never);\n',
    },
    argv: ["explain", "--namespace-labels", "a=b"],
    code: "PC1003",
  },
  {
    name: "import: a symlink cycle",
    prepare: loop("t.yaml"),
    argv: ["import", "t.yaml"],
    code: "PC8001",
    message: /symlink cycle/,
  },
  {
    name: "import: bad YAML",
    files: { "t.yaml": "kind: ConstraintTemplate\n  x: [\n" },
    argv: ["import", "t.yaml"],
    code: "PC4002",
    at: /^t\.yaml:\d+:\d+: /m,
  },
  {
    name: "import: --out under a file",
    files: { f: "x", "t.yaml": TEMPLATE },
    argv: ["import", "--out", "f/sub", "t.yaml"],
    code: "PC3002",
    message: /not a directory/,
  },
  {
    name: "init: the target is a file",
    files: { f: "x" },
    argv: ["init", "f"],
    code: "PC1095",
    message: /already exists/,
  },
  {
    name: "init: the target is under a file",
    files: { f: "x" },
    argv: ["init", "f/p"],
    code: "PC3002",
    message: /not a directory/,
  },
  { name: "init: two targets", argv: ["init", "a", "b"], code: "PC1095" },
  // procfs answers ENOENT for a folder under an existing parent: Node's recursive mkdir would retry
  // for ever there; every command that creates folders must fail instead.
  ...(process.platform === "linux"
    ? [
        { name: "init: a target procfs cannot hold", argv: ["init", "/proc/policyc-x/p"], code: "PC3002", message: /no such file/ },
        { name: "deckhouse templates: --out procfs cannot hold", argv: ["deckhouse", "templates", "--out", "/proc/policyc-x"], code: "PC3002", message: /no such file/ },
        { name: "import: --out procfs cannot hold", files: { "t.yaml": TEMPLATE }, argv: ["import", "--out", "/proc/policyc-x", "t.yaml"], code: "PC3002", message: /no such file/ },
      ]
    : []),
  {
    name: "init: bad --default-policy",
    argv: ["init", "p", "--default-policy", "baseline"],
    code: "PC1091",
    message: /did you mean `Baseline`/,
  },
  {
    name: "test: --config that does not exist",
    argv: ["test", "--config", "nope.ts"],
    code: "PC1002",
  },
  {
    name: "test: a missing Rego path",
    argv: ["test", "missing.rego"],
    code: "PC4301",
  },
  {
    name: "test: a symlink cycle",
    prepare: loop("l.rego"),
    argv: ["test", "l.rego"],
    code: "PC4050",
    message: /symlink cycle/,
  },
  {
    name: "test: UTF-16 data",
    prepare: utf16("d.yaml"),
    argv: ["test", "d.yaml"],
    code: "PC4051",
  },
  {
    name: "test: bad --threshold",
    argv: ["test", "--threshold", "x"],
    code: "PC1091",
  },
  {
    name: "test: bad --reporter",
    argv: ["test", "--reporter", "xml"],
    code: "PC1091",
    message: /one of pretty, json, junit, tap/,
  },
  {
    name: "test: a policy file that throws",
    files: { "policies/a.ts": `${CHECK}throw new Error("nope");\n` },
    argv: ["test"],
    code: "PC1005",
    at: /^policies\/a\.ts:4:7: /m,
  },
  {
    name: "deckhouse: compare --templates missing",
    argv: ["deckhouse", "compare", "--templates", "missing"],
    code: "PC4001",
  },
  {
    name: "deckhouse: compare --templates bad YAML",
    files: { "t.yaml": "kind: x\n  y: [\n" },
    argv: ["deckhouse", "compare", "--templates", "t.yaml"],
    code: "PC4002",
    at: /^t\.yaml:\d+:\d+: /m,
  },
  {
    name: "deckhouse: templates --out is a file",
    files: { f: "x" },
    argv: ["deckhouse", "templates", "--out", "f"],
    code: "PC3001",
  },
  {
    name: "deckhouse: templates --out under a file",
    files: { f: "x" },
    argv: ["deckhouse", "templates", "--out", "f/sub"],
    code: "PC3002",
  },
  { name: "fmt: a missing file", argv: ["fmt", "missing.rego"], code: "PC5601" },
  { name: "fmt: a symlink cycle", prepare: loop("l.rego"), argv: ["fmt", "l.rego"], code: "PC5602", message: /symlink cycle/ },
  { name: "fmt: a Rego syntax error", files: { "p.rego": "package p\nx := = 1\n" }, argv: ["fmt", "p.rego"], code: "PC50", at: /^p\.rego:2:\d+: /m },
  { name: "fmt: unknown option", argv: ["fmt", "--wirte", "p.rego"], code: "PC1090", message: /did you mean `--write`/ },
  { name: "an unknown command", argv: ["buidl"], code: "PC1089", message: /did you mean `build`/ },
  {
    name: "verify: --output under a file",
    files: { f: "x", "s.yaml": "apiVersion: test.gatekeeper.sh/v1alpha1\nkind: Suite\ntests: []\n" },
    argv: ["verify", "--reporter", "junit", "-o", "f/r.xml", "s.yaml"],
    code: "PC1096",
    message: /not a directory/,
  },
  {
    name: "deckhouse: an unknown subcommand",
    argv: ["deckhouse", "templats"],
    code: "PC1095",
    message: /did you mean `templates`/,
  },
];

for (const c of cases) {
  test(c.name, async () => {
    const dir =
      c.files || c.name.startsWith("build")
        ? makeProject(c.files ?? {})
        : mkdtempSync(path.join(os.tmpdir(), "policyc-exit-"));
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
    const broken = {
      stdout: () => {
        throw new TypeError("cannot write to a closed stream");
      },
    };
    const plain = await run(dir, ["build"], broken);
    assert.is(plain.status, 2);
    assert.match(
      plain.stderr,
      /error PC9001: internal error: TypeError: cannot write to a closed stream/,
    );
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

test("an internal fault in any command is exit 2 with PC9001 naming it, never a user error; the stack only on request", async () => {
  // The test hook: the working directory every command resolves its paths against throws, as a
  // defect deep inside policyc would. No command may turn that into a PC code of the user's.
  const argvs: string[][] = [
    ["build"],
    ["check", "m.yaml"],
    ["deckhouse", "templates", "--out", "x"],
    ["deckhouse", "compare", "--templates", "x"],
    ["eval", "-d", "p.rego", "data"],
    ["explain", "--namespace-labels", "a=b"],
    ["fmt", "p.rego"],
    ["import", "t.yaml"],
    ["init", "p"],
    ["test"],
    ["test", "p.rego"],
    ["verify", "s.yaml"],
  ];
  for (const argv of argvs) {
    for (const debug of [false, true]) {
      let stdout = "";
      let stderr = "";
      const io = {
        stdout: (s: string) => void (stdout += s),
        stderr: (s: string) => void (stderr += s),
        get cwd(): string {
          throw new RangeError(`injected fault in ${argv[0]}`);
        },
      } as CommandIO;
      const status = await main(debug ? [...argv, "--debug"] : argv, io);
      const said = stderr + stdout;
      assert.is(status, 2, `${argv.join(" ")}: exit ${status}\n${said}`);
      assert.match(
        said,
        new RegExp(
          `error PC9001: internal error: RangeError: injected fault in ${argv[0]}`,
        ),
        said,
      );
      assert.not.match(said, /error PC[1-8]\d{3}/, said);
      if (debug)
        assert.match(
          said,
          /\n\s+at .*\n\s+at /,
          `${argv.join(" ")}: the stack with --debug`,
        );
      else {
        assert.not.match(
          said,
          /\n\s+at .*\n\s+at /,
          `${argv.join(" ")}: no stack without --debug`,
        );
        assert.match(said, /--debug/);
      }
    }
  }
});

test.run();
