/**
 * `npm run conformance [-- --json FILE] [-- --filter REGEX] [-- --verbose]`: runs OPA's conformance
 * corpus and prints per-category and total pass/fail/skip. Exits 0 with a message when the corpus
 * (../shared) is absent.
 */
import { writeFileSync } from "node:fs";
import { runConformance } from "./runner.js";
import { formatReport } from "./report.js";

async function main(argv: string[]): Promise<number> {
  let json: string | undefined;
  let filter: RegExp | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--json") json = argv[++i];
    else if (a.startsWith("--json=")) json = a.slice(7);
    else if (a === "--filter") filter = new RegExp(argv[++i] ?? "");
    else if (a.startsWith("--filter=")) filter = new RegExp(a.slice(9));
    else if (a === "--verbose" || a === "-v") verbose = true;
    else if (a === "--") continue;
    else {
      process.stderr.write(`conformance: unknown argument ${a}\nusage: npm run conformance [-- --json FILE] [--filter REGEX] [--verbose]\n`);
      return 2;
    }
  }
  const report = await runConformance({ filter });
  if (!report) {
    process.stdout.write("conformance: skipped: ../shared/corpora/opa-conformance is not present in this checkout\n");
    return 0;
  }
  process.stdout.write(formatReport(report, { verbose }) + "\n");
  if (json) {
    const rows = report.results.map((r) => ({ category: r.category, file: r.file, note: r.note, status: r.status, ...(r.reason ? { reason: r.reason } : {}), ms: r.ms }));
    writeFileSync(json, JSON.stringify(rows, null, 2) + "\n");
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`conformance: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
