/**
 * The terminal report of `policyc check`: one block per object that has violations or errors
 * (every object with `--verbose`), with its location, then each violation's action, constraint and
 * message; a summary line last. Colour only on a terminal.
 */
import type { CheckRun } from "../run.js";
import { failsRun, locationLabel, objectLabel, type FailOn } from "./outcome.js";

export interface PrettyOptions {
  color: boolean;
  verbose: boolean;
  failOn: FailOn;
}

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export function renderPretty(run: CheckRun, o: PrettyOptions): string {
  const red = paint(o.color, "31");
  const yellow = paint(o.color, "33");
  const dim = paint(o.color, "2");
  const bold = paint(o.color, "1");
  const green = paint(o.color, "32");
  const out: string[] = [];
  for (const r of run.results) {
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    if (r.violations.length === 0 && errors.length === 0 && !o.verbose) continue;
    const state =
      r.status === "fail" || r.status === "error"
        ? ""
        : r.status === "pass"
          ? green(" passed")
          : r.status === "exempt"
            ? dim(" exempt (namespace exempt from the webhook)")
            : dim(" not matched by any constraint");
    out.push(`${bold(objectLabel(r))}  ${dim(locationLabel(r))}${state}`);
    if (r.mutatedBy) out.push(`  ${dim(`mutated by ${r.mutatedBy.join(", ")}`)}`);
    for (const v of r.violations) {
      const tag = v.action.padEnd(6);
      const colour = failsRun(v, o.failOn) ? red : v.action === "dryrun" ? dim : yellow;
      out.push(`  ${colour(tag)} ${v.constraint.kind}/${v.constraint.name}: ${v.msg}`);
    }
    for (const d of errors) out.push(`  ${red("error ")} ${d.code}: ${d.message}`);
  }
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
  if (out.length > 0) out.push("");
  out.push(`${parts.join(", ")}; violations: ${v.deny} deny, ${v.warn} warn, ${v.dryrun} dryrun`);
  const p = run.policies;
  out.push(dim(`policies: ${p.sources.join(" + ") || "none"} (${p.templates} templates, ${p.constraints} constraints${p.mutators ? `, ${p.mutators} mutators` : ""}${p.expansionTemplates ? `, ${p.expansionTemplates} expansion templates` : ""})`));
  return out.join("\n") + "\n";
}
