/**
 * Runs a local copy of Gatekeeper's gator CLI fixtures through policyc's gator commands, as
 * Gatekeeper's own CLI tests run gator:
 *   - verify: every Suite under the fixtures → `policyc verify SUITE` (each case must pass; in
 *     `errors-*.yaml` suites, cases gator refuses to judge, each must fail);
 *   - expand: each `expand/fixtures/NAME/input` → `policyc expand --filename=… --format=yaml`, whose
 *     output must contain `NAME/output/output.yaml` and whose exit status is the one
 *     `expand/test.bats` gives NAME (0 when it names none);
 *   - test: the runs of `gatorTestCases` (gator test's bats tests) → `policyc check --no-project`;
 *   - e2e: the runs of `gatekeeperE2eCases` (Gatekeeper's cluster end-to-end tests, in a checkout
 *     with test/bats/tests and test/expansion) → `policyc check --no-project`: admitted or denied
 *     as the cluster answers, and with `--show-mutated` the objects as the cluster stores them.
 * Each run is a child process of the built CLI (bin/policyc.js), so flags, stdin and exit codes are
 * the user's. Nothing is fetched: the fixtures are read from the folder given.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { packageRoot } from "../../frontend/paths.js";
import { gatorTestCases, type GatorTestCase } from "./cases.js";
import { gatekeeperE2eCases, type GatekeeperE2eCase } from "./e2e-cases.js";

export interface FixtureOutcome {
  group: "verify" | "expand" | "test" | "e2e";
  name: string;
  status: "pass" | "fail" | "skip";
  /** Why it failed or was skipped. */
  detail?: string;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

const TIMEOUT_MS = 120_000;

function policyc(args: string[], cwd: string, stdinFile?: string, stdinText?: string): Ran {
  const r = spawnSync(process.execPath, [path.join(packageRoot, "bin", "policyc.js"), ...args], {
    cwd,
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    input: stdinFile ? readFileSync(stdinFile, "utf8") : (stdinText ?? ""),
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? (r.signal ? 124 : 2), stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

/** The folder holding gator's fixtures: DIR/test/gator in a Gatekeeper checkout, else DIR itself. */
export function gatorRoot(dir: string): string {
  const nested = path.join(dir, "test", "gator");
  return existsSync(nested) ? nested : dir;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== ".git" && e.name !== "node_modules" && e.name !== "vendor") walk(p, out);
    } else out.push(p);
  }
  return out;
}

function suiteFiles(root: string): string[] {
  return walk(root).filter((f) => /\.ya?ml$/.test(f) && /^kind:\s*Suite\s*$/m.test(readFileSync(f, "utf8")) && /test\.gatekeeper\.sh\//.test(readFileSync(f, "utf8")));
}

/**
 * Suites named `errors-*.yaml` hold cases gator refuses to judge (its runner returns an error for
 * each, as restated from gator's runner tests): there every case must fail. In all others every
 * case must pass.
 */
function runVerify(dir: string): FixtureOutcome[] {
  return suiteFiles(dir).map((suite) => {
    const name = path.relative(dir, suite);
    const r = policyc(["verify", suite, "--no-color"], dir);
    const counts = /(\d+) passed, (\d+) failed/.exec(r.stdout + r.stderr);
    const summary = counts ? `${counts[1]} passed, ${counts[2]} failed` : "no summary";
    const ok = path.basename(suite).startsWith("errors-") ? counts !== null && counts[1] === "0" && Number(counts[2]) > 0 : r.code === 0;
    return ok
      ? { group: "verify", name, status: "pass", detail: summary }
      : { group: "verify", name, status: "fail", detail: `${summary}\n${(r.stdout + r.stderr).trim()}` };
  });
}

/** `test_dir "NAME" N` lines of expand/test.bats: the exit status gator expand gives each fixture. */
function expandExitCodes(root: string): Map<string, number> {
  const bats = path.join(root, "expand", "test.bats");
  const codes = new Map<string, number>();
  if (!existsSync(bats)) return codes;
  for (const m of readFileSync(bats, "utf8").matchAll(/^\s*test_dir\s+"([^"]+)"\s+(\d+)/gm)) codes.set(m[1]!, Number(m[2]));
  return codes;
}

function runExpandFixtures(root: string): FixtureOutcome[] {
  const fixtures = path.join(root, "expand", "fixtures");
  if (!existsSync(fixtures)) return [];
  const codes = expandExitCodes(root);
  return readdirSync(fixtures)
    .filter((n) => existsSync(path.join(fixtures, n, "input")))
    .sort()
    .map((name): FixtureOutcome => {
      const dir = path.join(fixtures, name);
      const r = policyc(["expand", `--filename=${path.join(dir, "input")}`, "--format=yaml"], root);
      const wantCode = codes.get(name) ?? 0;
      const problems: string[] = [];
      if (r.code !== wantCode) problems.push(`exit ${r.code}, want ${wantCode}${r.stderr ? `\n${r.stderr.trim()}` : ""}`);
      const expected = path.join(dir, "output", "output.yaml");
      if (existsSync(expected)) {
        const want = readFileSync(expected, "utf8").replace(/\n+$/, "");
        if (!r.stdout.includes(want)) problems.push(`output does not contain output/output.yaml\n--- want\n${want}\n--- got\n${r.stdout}`);
      }
      return problems.length === 0 ? { group: "expand", name, status: "pass" } : { group: "expand", name, status: "fail", detail: problems.join("\n") };
    });
}

function firstMsg(yamlText: string): unknown {
  try {
    const doc = parse(yamlText) as unknown;
    return Array.isArray(doc) ? (doc[0] as { result?: { msg?: unknown } } | undefined)?.result?.msg : undefined;
  } catch {
    return undefined;
  }
}

function runTestCase(c: GatorTestCase, fixtures: string): FixtureOutcome {
  const missing = [...c.files, ...(c.stdin ? [c.stdin] : [])].filter((f) => !existsSync(path.join(fixtures, f)));
  if (missing.length > 0) return { group: "test", name: c.name, status: "skip", detail: `missing ${missing.join(", ")}` };
  // Without -o, gator test prints its text lines: check's `-o gator`.
  const args = ["check", "--no-project", ...c.files.map((f) => path.join(fixtures, f)), "-o", c.output ?? "gator"];
  if (c.stdin && c.files.length > 0) args.push("-");
  const r = policyc(args, fixtures, c.stdin ? path.join(fixtures, c.stdin) : undefined);
  const problems: string[] = [];
  if (r.code !== c.exit) problems.push(`exit ${r.code}, want ${c.exit}`);
  if (c.output === "json") {
    try {
      JSON.parse(r.stdout);
    } catch (e) {
      problems.push(`the json report does not parse: ${(e as Error).message}`);
    }
  }
  if (c.firstMsg !== undefined && firstMsg(r.stdout) !== c.firstMsg) problems.push(`first result's msg is ${JSON.stringify(firstMsg(r.stdout))}, want ${JSON.stringify(c.firstMsg)}`);
  for (const s of c.contains ?? []) if (!r.stdout.includes(s)) problems.push(`the report lacks ${JSON.stringify(s)}`);
  return problems.length === 0
    ? { group: "test", name: c.name, status: "pass" }
    : { group: "test", name: c.name, status: "fail", detail: `${problems.join("\n")}\n${(r.stdout + r.stderr).trim()}` };
}

function runE2eCase(c: GatekeeperE2eCase, checkout: string): FixtureOutcome {
  const missing = c.files.filter((f) => !existsSync(path.join(checkout, f)));
  if (missing.length > 0) return { group: "e2e", name: c.name, status: "skip", detail: `missing ${missing.join(", ")}` };
  // A child's stdin is a socket, which check reads only when named.
  const args = ["check", "--no-project", "--no-color", ...c.files, ...(c.stdin ? ["-"] : []), ...(c.args ?? [])];
  const r = policyc(args, checkout, undefined, c.stdin);
  const out = r.stdout + r.stderr;
  const problems: string[] = [];
  if (r.code !== c.exit) problems.push(`exit ${r.code}, want ${c.exit} (${c.exit === 1 ? "denied" : "admitted"})`);
  for (const s of [...(c.contains ?? []), ...(c.mutated ?? [])]) if (!out.includes(s)) problems.push(`the answer lacks ${JSON.stringify(s)}`);
  for (const s of c.lacks ?? []) if (out.includes(s)) problems.push(`the answer has ${JSON.stringify(s)}`);
  return problems.length === 0 ? { group: "e2e", name: c.name, status: "pass" } : { group: "e2e", name: c.name, status: "fail", detail: `${problems.join("\n")}\n${out.trim()}` };
}

export function runGatorFixtures(dir: string): FixtureOutcome[] {
  const root = gatorRoot(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new Error(`${dir} is not a folder`);
  const fixtures = path.join(root, "test", "fixtures");
  return [
    // Suites anywhere under DIR: test/gator's own, and any written out beside them.
    ...runVerify(dir),
    ...runExpandFixtures(root),
    ...(existsSync(fixtures) ? gatorTestCases.map((c) => runTestCase(c, fixtures)) : []),
    // The cluster end-to-end runs need the checkout itself (DIR, not its test/gator).
    ...(existsSync(path.join(dir, "test", "bats", "tests")) || existsSync(path.join(dir, "test", "expansion"))
      ? gatekeeperE2eCases.map((c) => runE2eCase(c, dir))
      : []),
  ];
}
