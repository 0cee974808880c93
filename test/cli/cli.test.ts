// The CLI: help, version, unknown commands, build and --check exit codes, init.
import { existsSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import { projectRoot } from "../support/shared.js";
import { makeProject, positionOf, REGO, removeProject } from "../build/fixture.js";

async function run(argv: string[], cwd = projectRoot) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

test("--help lists the commands; --version prints package.json's version", async () => {
  const help = await run(["--help"]);
  assert.is(help.code, 0);
  for (const name of ["build", "init"]) assert.match(help.stdout, new RegExp(`^  ${name} `, "m"));
  const v = await run(["--version"]);
  assert.is(v.code, 0);
  assert.is(v.stdout.trim(), JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")).version);
  const buildHelp = await run(["build", "--help"]);
  assert.is(buildHelp.code, 0);
  assert.match(buildHelp.stdout, /--check/);
});

test("an exception escaping a command is an internal failure: PC9001, exit 2", async () => {
  let stderr = "";
  const code = await main(["build", "--help"], {
    cwd: projectRoot,
    stdout: () => {
      throw new Error("stdout closed");
    },
    stderr: (s) => void (stderr += s),
  });
  assert.is(code, 2);
  assert.match(stderr, /error PC9001: internal error: Error: stdout closed/);
});

test("unknown commands and options exit 1", async () => {
  const r = await run(["frobnicate"]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /error PC1089: unknown command `frobnicate`/);
  assert.is((await run(["build", "--bogus"])).code, 1);
  assert.is((await run([])).code, 1);
});

const SRC = `import { defineCheck, defineConstraint, rego } from "policyc";
export const c = defineCheck<{ repos: string[] }>({ kind: "K8sRepos", description: "d", rego: ${REGO} });
export const k = defineConstraint(c, { name: "one", parameters: { repos: ["a"] } });
`;

test("build writes the output; --check passes on fresh output and lists changes on stale output", async () => {
  const dir = makeProject({ "policies/a.ts": SRC });
  try {
    const built = await run(["build"], dir);
    assert.is(built.code, 0, built.stderr);
    assert.match(built.stdout, /wrote \d+ files to generated\//);
    const fresh = await run(["build", "--check"], dir);
    assert.is(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stdout, /up to date/);

    writeFileSync(path.join(dir, "generated/manifests/k8srepos-one.yaml"), "edited\n");
    writeFileSync(path.join(dir, "generated/manifests/stray.yaml"), "x\n");
    writeFileSync(path.join(dir, "policies/a.ts"), SRC.replace('name: "one"', 'name: "two"'));
    const stale = await run(["build", "--check"], dir);
    assert.is(stale.code, 1);
    assert.match(stale.stderr, /^error PC3010: generated\/ is out of date; run `policyc build` to update it:$/m);
    assert.match(stale.stderr, /changed: manifests\/kustomization\.yaml/);
    assert.match(stale.stderr, /added: +manifests\/k8srepos-two\.yaml/);
    assert.match(stale.stderr, /removed: manifests\/k8srepos-one\.yaml/);
    assert.match(stale.stderr, /removed: manifests\/stray\.yaml/);
    assert.is(readFileSync(path.join(dir, "generated/manifests/stray.yaml"), "utf8"), "x\n", "--check writes nothing");
    // The build says what it changed on disk.
    const rebuilt = await run(["build"], dir);
    assert.is(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stdout, /wrote \d+ files to generated\/ \(1 templates, 1 constraints, 0 other resources; 1 changed, 1 added, 2 removed\)\n$/);
  } finally {
    removeProject(dir);
  }
});

test("build errors are printed as file:line:col: error PCnnnn and exit 1; --out and --config are honoured", async () => {
  const bad = `${SRC}const n: number = "x";\n`;
  const dir = makeProject({ "policies/a.ts": bad });
  try {
    const r = await run(["build"], dir);
    assert.is(r.code, 1);
    const at = positionOf(bad, "n: number");
    assert.ok(r.stderr.startsWith(`policies/a.ts:${at.line}:${at.col}: error PC1001: TS2322: `), r.stderr);
    writeFileSync(path.join(dir, "policies/a.ts"), SRC);
    mkdirSync(path.join(dir, "sub"));
    const out = await run(["build", "--config", "../policyc.config.ts", "--out", "../elsewhere"], path.join(dir, "sub"));
    assert.is(out.code, 0, out.stderr);
    assert.ok(existsSync(path.join(dir, "elsewhere/manifests/kustomization.yaml")));
    assert.not.ok(existsSync(path.join(dir, "generated")));
    writeFileSync(path.join(dir, "blocker"), "");
    const blocked = await run(["build", "--out", "blocker"], dir);
    assert.is(blocked.code, 1);
    assert.match(blocked.stderr, /error PC3001/);
  } finally {
    removeProject(dir);
  }
});

test("init scaffolds a project that builds; it refuses a non-empty directory", async () => {
  const parent = makeProject({});
  try {
    const r = await run(["init", "demo"], parent);
    assert.is(r.code, 0, r.stderr);
    const dir = path.join(parent, "demo");
    for (const f of ["package.json", "tsconfig.json", "policyc.config.ts", ".gitignore", "policies/disallowed-tags.ts"]) {
      assert.ok(existsSync(path.join(dir, f)), f);
    }
    const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
    assert.is(manifest.name, "demo");
    // A clone running init links itself; the example's goldens come recorded.
    assert.is(path.resolve(dir, manifest.devDependencies.policyc.replace(/^file:/, "")), projectRoot);
    assert.ok(existsSync(path.join(dir, "generated/tests/k8sdisallowedtags/golden.json")));
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(projectRoot, path.join(dir, "node_modules", "policyc"), "dir");
    const built = await run(["build"], dir);
    assert.is(built.code, 0, built.stderr);
    assert.ok(existsSync(path.join(dir, "generated/manifests/constrainttemplate-k8sdisallowedtags.yaml")));
    assert.match(readFileSync(path.join(dir, "generated/docs/policies.md"), "utf8"), /^## K8sDisallowedTags$/m);
    const tested = await run(["test"], dir);
    assert.is(tested.code, 0, tested.stdout + tested.stderr);
    const again = await run(["init", "demo"], parent);
    assert.is(again.code, 1);
  } finally {
    removeProject(parent);
  }
});

test("PC4022 right after a build of checks without cases says that no check has cases, not to build first", async () => {
  const dir = makeProject({ "policies/a.ts": `import { defineCheck, rego } from "policyc";\nexport const c = defineCheck({ kind: "K8sNoCases", description: "d", rego: ${REGO} });\n` });
  try {
    const built = await run(["build"], dir);
    assert.is(built.code, 0, built.stderr);
    const tested = await run(["test"], dir);
    const said = tested.stdout + tested.stderr;
    assert.match(said, /PC4022: .*no check has `tests:` cases yet/);
    assert.not.match(said, /run 'policyc build' first/);
  } finally {
    removeProject(dir);
  }
});

test("init --policyc: a git URL or version is recorded as given; a path that is not policyc is an error", async () => {
  const parent = makeProject({});
  try {
    const git = await run(["init", "g", "--policyc", "git+https://example.com/policyc.git#v0.1.0"], parent);
    assert.is(git.code, 0, git.stderr);
    assert.is(JSON.parse(readFileSync(path.join(parent, "g/package.json"), "utf8")).devDependencies.policyc, "git+https://example.com/policyc.git#v0.1.0");
    assert.not.ok(existsSync(path.join(parent, "g/package-lock.json")));
    const missing = await run(["init", "m", "--policyc", "./nowhere.tgz"], parent);
    assert.is(missing.code, 1);
    assert.match(missing.stderr, /--policyc \.\/nowhere\.tgz: no such file or directory/);
    writeFileSync(path.join(parent, "junk.tgz"), "not a tarball");
    const junk = await run(["init", "j", "--policyc", "./junk.tgz"], parent);
    assert.is(junk.code, 1);
    assert.match(junk.stderr, /not a package tarball/);
    const notPolicyc = await run(["init", "d", "--policyc", "."], parent);
    assert.is(notPolicyc.code, 1);
    assert.match(notPolicyc.stderr, /not a policyc package directory/);
  } finally {
    removeProject(parent);
  }
});

test.run();
