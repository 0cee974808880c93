/**
 * The terminal report of `policyc check`: one block per object that has violations or errors
 * (every object with `--verbose`), with its location, then each violation's action, constraint and
 * message; a summary line last. Colour only on a terminal. Written as the results come
 * (`PrettyWriter`): nothing of an object is kept once its block is out.
 */
import type { ObjectResult } from "../evaluate.js";
import type { CheckRun } from "../run.js";
import { failsRun, locationLabel, objectLabel, type FailOn } from "./outcome.js";

export interface PrettyOptions {
  color: boolean;
  verbose: boolean;
  failOn: FailOn;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Writes the report as results come: each object's block at once (in pieces of about 64 KB), the summary at the end. */
export class PrettyWriter {
  private readonly red: (s: string) => string;
  private readonly yellow: (s: string) => string;
  private readonly dim: (s: string) => string;
  private readonly bold: (s: string) => string;
  private readonly green: (s: string) => string;
  private pending = "";
  private blocks = 0;

  constructor(
    private readonly o: PrettyOptions,
    private readonly write: (s: string) => void,
  ) {
    this.red = paint(o.color, "31");
    this.yellow = paint(o.color, "33");
    this.dim = paint(o.color, "2");
    this.bold = paint(o.color, "1");
    this.green = paint(o.color, "32");
  }

  result(r: ObjectResult): void {
    const { red, yellow, dim, bold, green, o } = this;
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (r.violations.length === 0 && errors.length === 0 && !o.verbose) return;
    const state =
      r.status === "fail" || r.status === "error"
        ? ""
        : r.status === "pass"
          ? green(" passed")
          : r.status === "exempt"
            ? dim(" exempt (namespace exempt from the webhook)")
            : dim(" not matched by any constraint");
    let out = `${bold(objectLabel(r))}  ${dim(locationLabel(r))}${state}\n`;
    if (r.mutatedBy) out += `  ${dim(`mutated by ${r.mutatedBy.join(", ")}`)}\n`;
    for (const v of r.violations) {
      const tag = v.action.padEnd(6);
      const colour = failsRun(v, o.failOn) ? red : v.action === "dryrun" ? dim : yellow;
      out += `  ${colour(tag)} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}\n`;
    }
    for (const d of errors) out += `  ${red("error ")} ${d.code}: ${d.message}\n`;
    this.blocks++;
    this.pending += out;
    if (this.pending.length >= 65536) this.flush();
  }

  end(run: CheckRun): void {
    const s = run.summary;
    const parts = [
      `${s.objects} object${s.objects === 1 ? "" : "s"}`,
      `${s.failed} with violations`,
      `${s.passed} passed`,
      `${s.notMatched} not matched`,
      ...(s.exempt ? [`${s.exempt} exempt`] : []),
      ...(s.errors ? [`${s.errors} with errors`] : []),
    ];
    const v = s.violations;
    if (this.blocks > 0) this.pending += "\n";
    this.pending += `${parts.join(", ")}; violations: ${v.deny} deny, ${v.warn} warn, ${v.dryrun} dryrun\n`;
    const p = run.policies;
    this.pending += `${this.dim(`policies: ${p.sources.join(" + ") || "none"} (${p.templates} templates, ${p.constraints} constraints${p.mutators ? `, ${p.mutators} mutators` : ""}${p.expansionTemplates ? `, ${p.expansionTemplates} expansion templates` : ""})`)}\n`;
    this.flush();
  }

  abort(): void {
    this.pending = "";
  }

  private flush(): void {
    if (this.pending !== "") this.write(this.pending);
    this.pending = "";
  }
}
