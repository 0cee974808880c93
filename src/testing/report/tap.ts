/** TAP version 13: one test point per unit, failures with a YAML diagnostic block, summary last. */
import { countResults, summaryLine, type RunResult } from "../run/results.js";
import { units } from "./units.js";

export function renderTap(run: RunResult): string {
  const all = units(run);
  const out = ["TAP version 13", `1..${all.length}`];
  all.forEach((u, i) => {
    const title = u.title.replace(/#/g, "\\#");
    if (u.status === "skip") out.push(`ok ${i + 1} - ${title} # SKIP`);
    else if (u.status === "pass") out.push(`ok ${i + 1} - ${title}`);
    else {
      out.push(`not ok ${i + 1} - ${title}`, "  ---", "  message: |");
      for (const d of u.details) for (const l of d.split("\n")) out.push(`    ${l}`);
      out.push("  ...");
    }
  });
  // TAP consumers ignore lines they do not know, so the summary stays the last line.
  out.push(summaryLine(countResults(run)));
  return out.join("\n") + "\n";
}
