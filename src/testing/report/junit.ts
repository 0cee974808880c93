/** JUnit XML (one <testsuite> per suite file, one <testcase> per unit) for CI dashboards. */
import { countResults, type RunResult } from "../run/results.js";
import { units, type Unit } from "./units.js";

export const esc = (s: string) =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

const secs = (ms: number) => (ms / 1000).toFixed(3);

export function renderJunit(run: RunResult): string {
  const all = units(run);
  const bySuite = new Map<string, Unit[]>();
  for (const u of all) {
    const list = bySuite.get(u.suite) ?? [];
    list.push(u);
    bySuite.set(u.suite, list);
  }
  const c = countResults(run);
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="policyc" tests="${c.passed + c.failed + c.skipped}" failures="${c.failed}" skipped="${c.skipped}" time="${secs(run.durationMs)}">`,
  ];
  for (const [suite, list] of bySuite) {
    const failures = list.filter((u) => u.status === "fail").length;
    const skipped = list.filter((u) => u.status === "skip").length;
    const time = list.reduce((a, u) => a + u.durationMs, 0);
    out.push(`  <testsuite name="${esc(suite)}" tests="${list.length}" failures="${failures}" skipped="${skipped}" time="${secs(time)}">`);
    for (const u of list) {
      const name = u.case ?? u.test ?? u.title;
      const classname = u.case !== undefined ? `${suite}.${u.test}` : suite;
      const open = `    <testcase classname="${esc(classname)}" name="${esc(name)}" time="${secs(u.durationMs)}"`;
      if (u.status === "pass") out.push(`${open}/>`);
      else if (u.status === "skip") out.push(`${open}><skipped/></testcase>`);
      else {
        const first = u.details[0]?.split("\n")[0] ?? "failed";
        out.push(`${open}>`, `      <failure message="${esc(first)}">${esc(u.details.join("\n"))}</failure>`, `    </testcase>`);
      }
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
