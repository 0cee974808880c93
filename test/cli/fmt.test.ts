/**
 * `policyc fmt`: `opa fmt`'s layout (tabs, import groups sorted, the author's line breaks in
 * collections and calls, one-liners, `:=` heads in v1, comments and string escapes kept), its
 * modes (--check, -l, -w, -d), and `--v0-v1` over the whole Gatekeeper library: every module
 * ports, the ported modules compile as v1 and the library's own opa tests pass on them without
 * --v0-compatible.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { main } from "../../src/cli/main.js";
import { formatRego } from "../../src/engine/fmt.js";
import { compileModules } from "../../src/engine/compiler/index.js";
import { parseModule } from "../../src/engine/rego/parser.js";
import { requireShared } from "../support/shared.js";

async function cli(argv: string[], cwd: string) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { cwd, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

const V0 = `package   example.policy
import data.lib.b
import data.lib.a   # the a helpers

import future.keywords.in
import input.review as r
deny[msg] {
    # a comment before the first expression
    x := {"a": 1,
          "b": 2}
    ys := [y | y := input.items[_]; y > 1]
  msg := sprintf("%v\\u0021", [x])
}
ok { true }
f(x) = y { y := x + 1 }
g(x) = y {
  y := [1, 2,
    3]
}

# trailing
`;

const V0_FORMATTED = `package example.policy

import data.lib.a # the a helpers
import data.lib.b

import future.keywords.in
import input.review as r

deny[msg] {
	# a comment before the first expression
	x := {
		"a": 1,
		"b": 2,
	}
	ys := [y | y := input.items[_]; y > 1]
	msg := sprintf("%v\\u0021", [x])
}

ok {
	true
}

f(x) = y {
	y := x + 1
}

g(x) = y {
	y := [
		1, 2,
		3,
	]
}

# trailing
`;

const V1_PORTED = `package example.policy

import data.lib.a # the a helpers
import data.lib.b

import input.review as r

deny contains msg if {
	# a comment before the first expression
	x := {
		"a": 1,
		"b": 2,
	}
	ys := [y | y := input.items[_]; y > 1]
	msg := sprintf("%v\\u0021", [x])
}

ok if true
f(x) := y if y := x + 1

g(x) := y if {
	y := [
		1, 2,
		3,
	]
}

# trailing
`;

test("formats v0 as opa fmt lays it out, and ports it to v1 as opa fmt --v0-v1 does", () => {
  assert.fixture(formatRego(V0, { file: "a.rego", regoVersion: "v0" }), V0_FORMATTED);
  assert.fixture(formatRego(V0, { file: "a.rego", regoVersion: "v0", toV1: true }), V1_PORTED);
  // Idempotent, and the port is already formatted v1.
  assert.fixture(formatRego(V0_FORMATTED, { file: "a.rego", regoVersion: "v0" }), V0_FORMATTED);
  assert.fixture(formatRego(V1_PORTED, { file: "a.rego", regoVersion: "v1" }), V1_PORTED);
  // Layout follows the source: bodies written on several lines stay blocks in v1.
  assert.match(formatRego(V0_FORMATTED, { file: "a.rego", regoVersion: "v0", toV1: true }), /\nok if \{\n\ttrue\n\}\n/);
});

test("--v0-v1 refuses what v1 rejects: deprecated built-ins and duplicate imports, at their lines", () => {
  const src = "package p\n\nimport data.x\nimport data.x\n\nallow {\n\tany([true])\n\tre_match(\"a\", input.s)\n}\n";
  try {
    formatRego(src, { file: "p.rego", regoVersion: "v0", toV1: true });
    assert.unreachable("should refuse");
  } catch (e) {
    const ds = (e as { diagnostics: { code: string; span?: { line: number } }[] }).diagnostics;
    assert.equal(ds.map((d) => [d.code, d.span?.line]), [["PC5102", 4], ["PC5214", 7], ["PC5214", 8]]);
  }
});

test("policyc fmt: stdout, --check, -l, -d and -w; v0 files need --v0-compatible or --v0-v1", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-fmt-"));
  try {
    mkdirSync(path.join(dir, "policies"));
    writeFileSync(path.join(dir, "policies", "a.rego"), V0);
    writeFileSync(path.join(dir, "policies", "b.rego"), V1_PORTED);
    let r = await cli(["fmt", "policies/b.rego"], dir);
    assert.equal([r.code, r.stdout], [0, V1_PORTED]);
    r = await cli(["fmt", "--check", "policies"], dir);
    assert.is(r.code, 1);
    assert.match(r.stderr, /policies\/a\.rego:7:1: error PC5005: .*pass --v0-compatible .* or --v0-v1/);
    r = await cli(["fmt", "--v0-compatible", "--check", "policies/a.rego"], dir);
    assert.equal([r.code, r.stdout], [1, "policies/a.rego\n"]);
    r = await cli(["fmt", "--v0-compatible", "-l", "policies/a.rego"], dir);
    assert.equal([r.code, r.stdout], [0, "policies/a.rego\n"]);
    r = await cli(["fmt", "--v0-compatible", "-d", "policies/a.rego"], dir);
    assert.match(r.stdout, /^--- policies\/a\.rego\n\+\+\+ policies\/a\.rego \(formatted\)\n@@/);
    assert.match(r.stdout, /\n-package   example\.policy\n\+package example\.policy\n/);
    r = await cli(["fmt", "--v0-v1", "-w", "policies/a.rego"], dir);
    assert.equal([r.code, r.stdout], [0, ""]);
    assert.fixture(readFileSync(path.join(dir, "policies", "a.rego"), "utf8"), V1_PORTED);
    r = await cli(["fmt", "--check", "policies"], dir);
    assert.equal([r.code, r.stdout, r.stderr], [0, "", ""]);
    r = await cli(["fmt", "missing.rego"], dir);
    assert.is(r.code, 1);
    assert.match(r.stderr, /PC5601/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function regoFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? regoFilesUnder(p) : f.endsWith(".rego") ? [p] : [];
  });
}

test("the Gatekeeper library's src/ ports to v1: every module formats and ports idempotently, compiles as v1, and its opa tests give the same passes without --v0-compatible", async () => {
  const src = requireShared("corpora/gatekeeper-library/src", "porting the Gatekeeper library to v1");
  if (!src) return;
  const out = mkdtempSync(path.join(os.tmpdir(), "policyc-v1-library-"));
  try {
    const files = regoFilesUnder(src);
    assert.ok(files.length >= 140, `${files.length} modules`);
    const problems: string[] = [];
    const ported = new Map<string, string>();
    for (const f of files) {
      const rel = path.relative(src, f);
      const text = readFileSync(f, "utf8");
      const v0 = formatRego(text, { file: rel, regoVersion: "v0" });
      if (formatRego(v0, { file: rel, regoVersion: "v0" }) !== v0) problems.push(`${rel}: v0 formatting is not idempotent`);
      const v1 = formatRego(text, { file: rel, regoVersion: "v0", toV1: true });
      if (formatRego(v1, { file: rel, regoVersion: "v1" }) !== v1) problems.push(`${rel}: the port is not formatted v1`);
      ported.set(rel, v1);
      mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      writeFileSync(path.join(out, rel), v1);
    }
    // Each policy folder with its libs compiles as v1 (as its opa test run loads it).
    for (const dir of new Set([...ported.keys()].map((k) => path.dirname(k)))) {
      const mods = [...ported].filter(([k]) => path.dirname(k) === dir).map(([k, t]) => parseModule(t, { file: k, regoVersion: "v1" }));
      try {
        compileModules(mods, { regoVersion: "v1" });
      } catch (e) {
        problems.push(`${dir}: ${String(e)}`);
      }
    }
    assert.equal(problems, []);
    let passed = 0;
    let folders = 0;
    for (const area of readdirSync(out).sort()) {
      for (const policy of readdirSync(path.join(out, area)).sort()) {
        const dir = path.join(out, area, policy);
        const rego = readdirSync(dir).filter((f) => f.endsWith(".rego")).map((f) => path.join(dir, f));
        if (!rego.some((f) => f.endsWith("_test.rego"))) continue;
        folders++;
        const r = await cli(["test", "--format", "json", ...rego], out);
        assert.is(r.code, 0, `${area}/${policy}: ${r.stderr.slice(0, 300)}`);
        const results = JSON.parse(r.stdout) as { fail?: boolean; error?: unknown; skip?: boolean }[];
        passed += results.filter((x) => !x.fail && !x.error && !x.skip).length;
      }
    }
    assert.ok(folders >= 50);
    assert.is(passed, 1003);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
