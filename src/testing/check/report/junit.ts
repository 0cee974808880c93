/**
 * `-o junit`: one <testsuite> per input file, one <testcase> per object (`Kind namespace/name`).
 * Violations that fail the run (per `--fail-on`) are <failure>s, an object with errors is an
 * <error>, the other violations go to <system-out>, and objects no constraint matches are
 * <skipped/>. No times (the report is deterministic).
 *
 * The counts stand in the start tags, before the test cases they count: each test case is written
 * as its result comes and set aside by file (`GroupSpool`, in memory up to a budget, then in a
 * spool file), and the document is assembled once the counts are known.
 */
import { esc } from "../../report/junit.js";
import type { ObjectResult } from "../evaluate.js";
import { failsRun, objectLabel, type FailOn } from "./outcome.js";
import { GroupSpool } from "./spool.js";

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

export class JunitWriter {
  private readonly spool: GroupSpool;
  private readonly counts = new Map<string, Counts>();

  constructor(
    private readonly failOn: FailOn,
    private readonly write: (s: string) => void,
    spoolBudget?: number,
  ) {
    this.spool = new GroupSpool(spoolBudget);
  }

  result(r: ObjectResult): void {
    const file = r.origin.file;
    let c = this.counts.get(file);
    if (!c) this.counts.set(file, (c = { tests: 0, failures: 0, errors: 0, skipped: 0 }));
    c.tests++;
    const open = `    <testcase classname="${esc(file)}" name="${esc(objectLabel(r))}" file="${esc(r.origin.source ?? file)}" line="${r.origin.line}"`;
    const failing = r.violations.filter((v) => failsRun(v, this.failOn));
    const others = r.violations.filter((v) => !failsRun(v, this.failOn));
    const errs = r.diagnostics.filter((d) => d.severity === "error");
    const body: string[] = [];
    if (errs.length > 0) {
      c.errors++;
      body.push(`      <error message="${esc(errs[0]!.message)}" type="${errs[0]!.code}">${esc(errs.map((d) => `${d.code}: ${d.message}`).join("\n"))}</error>`);
    } else if (failing.length > 0) {
      c.failures++;
      body.push(
        `      <failure message="${esc(failing[0]!.msg)}" type="${failing[0]!.action}">${esc(failing.map((v) => `${v.action} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`).join("\n"))}</failure>`,
      );
    } else if (r.status === "not-matched" || r.status === "exempt") {
      c.skipped++;
      body.push(`      <skipped message="${r.status === "exempt" ? "namespace exempt from the webhook" : "not matched by any constraint"}"/>`);
    }
    if (others.length > 0) body.push(`      <system-out>${esc(others.map((v) => `${v.action} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`).join("\n"))}</system-out>`);
    this.spool.add(file, body.length === 0 ? `${open}/>\n` : `${open}>\n${body.join("\n")}\n    </testcase>\n`);
  }

  end(): void {
    try {
      const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
      for (const c of this.counts.values()) {
        total.tests += c.tests;
        total.failures += c.failures;
        total.errors += c.errors;
        total.skipped += c.skipped;
      }
      this.write(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="policyc check"${attrs(total)}>\n`);
      for (const file of this.spool.names()) {
        this.write(`  <testsuite name="${esc(file)}"${attrs(this.counts.get(file)!)}>\n`);
        this.spool.copy(file, this.write);
        this.write(`  </testsuite>\n`);
      }
      this.write(`</testsuites>\n`);
    } finally {
      this.spool.close();
    }
  }

  /** Lets the spool go without writing (a run that failed). */
  abort(): void {
    this.spool.close();
  }
}

function attrs(c: Counts): string {
  return ` tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}
