/**
 * `npm run gator-fixtures -- --from DIR [--verbose]`: runs a local copy of Gatekeeper's gator CLI
 * fixtures (a Gatekeeper checkout, or its test/gator folder) through policyc verify, expand and
 * check, and prints each run and the pass/fail/skip counts per group. Exit 1 when a run fails.
 */
import { runGatorFixtures, type FixtureOutcome } from "./run.js";

const USAGE = "usage: npm run gator-fixtures -- --from DIR [--verbose]\n";

function main(argv: string[]): number {
  let from: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--from") from = argv[++i];
    else if (a.startsWith("--from=")) from = a.slice(7);
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a !== "--") {
      process.stderr.write(`gator-fixtures: unknown argument ${a}\n${USAGE}`);
      return 2;
    }
  }
  if (!from) {
    process.stderr.write(`gator-fixtures: --from DIR is required (a Gatekeeper checkout or its test/gator folder)\n${USAGE}`);
    return 2;
  }
  const outcomes = runGatorFixtures(from);
  const groups = new Map<string, FixtureOutcome[]>();
  for (const o of outcomes) {
    const mark = o.status === "pass" ? "PASS" : o.status === "fail" ? "FAIL" : "SKIP";
    process.stdout.write(`${mark}  ${o.group}  ${o.name}${o.detail && (o.status !== "pass" || verbose) ? `\n      ${o.detail.replace(/\n/g, "\n      ")}` : ""}\n`);
    groups.set(o.group, [...(groups.get(o.group) ?? []), o]);
  }
  const count = (os: FixtureOutcome[], s: FixtureOutcome["status"]) => os.filter((o) => o.status === s).length;
  for (const [g, os] of groups) process.stdout.write(`${g}: ${count(os, "pass")} passed, ${count(os, "fail")} failed, ${count(os, "skip")} skipped\n`);
  process.stdout.write(`${count(outcomes, "pass")} passed, ${count(outcomes, "fail")} failed, ${count(outcomes, "skip")} skipped\n`);
  return count(outcomes, "fail") > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
