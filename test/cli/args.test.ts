import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCommandArgs } from "../../src/cli/args.js";
import type { CommandIO } from "../../src/cli/command.js";

function capture(): CommandIO & { out: string; err: string } {
  const io = { out: "", err: "", cwd: "/", stdout: (s: string) => void (io.out += s), stderr: (s: string) => void (io.err += s) };
  return io;
}
const cmd = { name: "demo", usage: "policyc demo [--run RE] [-v] PATH..." };
const options = { run: { type: "string", short: "r" }, verbose: { type: "boolean", short: "v" } } as const;

test("parses values, short aliases, = forms and positionals", () => {
  const io = capture();
  const r = parseCommandArgs(cmd, ["a", "--run=x", "-v", "b"], io, options, { positionals: true });
  assert.ok(typeof r !== "number");
  assert.equal({ ...r.values }, { run: "x", verbose: true });
  assert.equal(r.positionals, ["a", "b"]);
  assert.is(io.err, "");
});

test("-h prints the usage and exits 0", () => {
  const io = capture();
  assert.is(parseCommandArgs(cmd, ["-h"], io, options), 0);
  assert.is(io.out, `${cmd.usage}\n`);
});

test("an unknown option, a missing value or an unexpected positional exits 1 with the usage", () => {
  for (const argv of [["--nope"], ["--run"], ["stray"]]) {
    const io = capture();
    assert.is(parseCommandArgs(cmd, argv, io, options), 1, argv.join(" "));
    assert.match(io.err, /^policyc demo: .+\n\npolicyc demo \[--run RE\]/);
  }
});

test.run();
