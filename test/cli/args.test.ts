// The one place option values are checked (src/cli/args.ts): each mistake is a PC109x diagnostic
// naming the option, the value and what is accepted; nothing reaches the command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkValue, parseCommandArgs, parseDuration, type OptionSpec } from "../../src/cli/args.js";
import type { CommandIO } from "../../src/cli/command.js";
import { commands } from "../../src/cli/commands/index.js";
import { main } from "../../src/cli/main.js";

function capture(): CommandIO & { out: string; err: string } {
  const io = { out: "", err: "", cwd: "/", stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}
const cmd = { name: "demo", usage: "policyc demo [--run RE] [-v] PATH..." };
const options = {
  run: { type: "string", short: "r", kind: "regex" },
  verbose: { type: "boolean", short: "v" },
  output: { type: "string", short: "o", choices: ["pretty", "json", "junit"] },
  operation: { type: "string", choices: ["CREATE", "UPDATE"], ignoreCase: true },
  workers: { type: "string", kind: "integer", min: 1 },
  threshold: { type: "string", kind: "number", min: 0, max: 100 },
  timeout: { type: "string", kind: "duration" },
  labels: { type: "string", multiple: true, choices: ["a", "b"] },
} as const;

test("parses values, short aliases, = forms and positionals", () => {
  const io = capture();
  const r = parseCommandArgs(cmd, ["a", "--run=x", "-v", "b", "--operation", "update", "--timeout", "1m30s"], io, options, { positionals: true });
  assert.ok(typeof r !== "number");
  // A choice given in another case reaches the command as listed.
  assert.equal({ ...r.values }, { run: "x", verbose: true, operation: "UPDATE", timeout: "1m30s" });
  assert.equal(r.positionals, ["a", "b"]);
  assert.is(io.err, "");
});

test("-h prints the usage and exits 0", () => {
  const io = capture();
  assert.is(parseCommandArgs(cmd, ["-h"], io, options), 0);
  assert.is(io.out, `${cmd.usage}\n`);
});

const mistakes: [string[], RegExp][] = [
  [["--outptu", "json"], /^error PC1090: unknown option `--outptu` for policyc demo; did you mean `--output`\?$/m],
  [["--verb"], /^error PC1090: unknown option `--verb` for policyc demo; did you mean `--verbose`\?$/m],
  [["-x"], /^error PC1090: unknown option `-x` for policyc demo$/m],
  [["--run"], /^error PC1092: `--run` needs a value: a regular expression$/m],
  [["--run", "--verbose"], /^error PC1092: `--run` needs a value: a regular expression \(`--verbose` is taken as the next option; write `--run=--verbose`/m],
  [["--verbose=yes"], /^error PC1093: `--verbose` is a switch and takes no value \(got `yes`\)$/m],
  [["stray"], /^error PC1094: unexpected argument `stray`: policyc demo takes no paths$/m],
  [["-o", "jsno"], /^error PC1091: `--output` value `jsno` is not one of pretty, json, junit; did you mean `json`\?$/m],
  [["--operation", "PATCH"], /^error PC1091: `--operation` value `PATCH` is not one of CREATE, UPDATE$/m],
  [["--workers", "0"], /^error PC1091: `--workers` value `0` is not a whole number >= 1$/m],
  [["--workers", "1.5"], /^error PC1091: `--workers` value `1\.5` is not a whole number >= 1$/m],
  [["--threshold", "101"], /^error PC1091: `--threshold` value `101` is not a number from 0 to 100$/m],
  [["--threshold", ""], /^error PC1091: `--threshold` value `` is not a number from 0 to 100$/m],
  [["--timeout", "soon"], /^error PC1091: `--timeout` value `soon` is not a duration: seconds \(90, 1\.5\) or with a unit/m],
  [["--timeout", "0"], /^error PC1091: `--timeout` value `0` is not a duration/m],
  [["--run", "("], /^error PC1091: `--run` value `\(` is not a regular expression: Invalid regular expression/m],
  [["--labels", "a", "--labels", "c"], /^error PC1091: `--labels` value `c` is not one of a, b(;|$)/m],
];

test("every kind of mistake: exit 1, its PC109x code, the option, the value, what is accepted", () => {
  for (const [argv, expected] of mistakes) {
    const io = capture();
    assert.is(parseCommandArgs(cmd, argv, io, options), 1, argv.join(" "));
    assert.match(io.err, expected, `${argv.join(" ")}\n${io.err}`);
    assert.match(io.err, /note: `policyc demo --help` lists the options/);
    assert.is(io.out, "");
  }
});

test("durations: seconds or Go units; zero only where allowed", () => {
  assert.is(parseDuration("90"), 90_000);
  assert.is(parseDuration("1.5"), 1500);
  assert.is(parseDuration("500ms"), 500);
  assert.is(parseDuration("2m"), 120_000);
  assert.is(parseDuration("1h1m1s"), 3_661_000);
  assert.is(parseDuration("0"), undefined);
  assert.is(parseDuration("0", { allowZero: true }), 0);
  for (const bad of ["", "s", "-1", "1d", "1 m", "5 parsecs", "1e3"]) assert.is(parseDuration(bad), undefined, bad);
  const zeroOk: OptionSpec = { type: "string", kind: "duration", min: 0 };
  assert.is(checkValue("--timeout", "0", zeroOk), "0");
});

test("every command declares its value options centrally: a bad value is exit 1 with PC1091 before any work", async () => {
  // One option per command whose value has a declared kind; none of these may read a file.
  const cases: [string, string[]][] = [
    ["build", ["--timeout", "forever"]],
    ["check", ["--output", "xml", "x.yaml"]],
    ["check", ["--fail-on", "warning", "x.yaml"]],
    ["check", ["--workers=-2", "x.yaml"]],
    ["check", ["--operation", "PATCH", "x.yaml"]],
    ["explain", ["--output", "yaml", "--namespace-labels", "a=b"]],
    ["init", ["x", "--default-policy", "baseline"]],
    ["test", ["--reporter", "xml"]],
    ["test", ["--threshold", "120"]],
    ["test", ["--filter", "(("]],
    ["test", ["--format", "xml", "p.rego"]],
    ["test", ["--timeout", "5 parsecs", "p.rego"]],
    ["verify", ["--reporter", "xml", "suite.yaml"]],
    ["verify", ["--run", "[", "suite.yaml"]],
    ["eval", ["--engine", "wasmtime", "data"]],
    ["eval", ["--format", "xml", "data"]],
  ];
  for (const [name, argv] of cases) {
    const io = capture();
    const status = await main([name, ...argv], io);
    assert.is(status, 1, `${name} ${argv.join(" ")}: ${io.err}`);
    assert.match(io.err, /^error PC1091: `--[a-z-]+` value `.*` is not /m, `${name} ${argv.join(" ")}: ${io.err}`);
  }
  // Every command rejects an unknown option with PC1090.
  for (const c of commands) {
    const io = capture();
    const argv = c.name === "deckhouse" ? ["deckhouse", "templates", "--no-such-option"] : [c.name, "--no-such-option"];
    assert.is(await main(argv, io), 1, c.name);
    assert.match(io.err, /^error PC1090: unknown option `--no-such-option`/m, `${c.name}: ${io.err}`);
  }
});

test.run();
