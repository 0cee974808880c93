/**
 * `policyc import PATH...`: existing Gatekeeper YAML (ConstraintTemplates and their Constraints) →
 * policyc DSL sources a team can adopt: a `Params` interface derived from each template's schema,
 * the check with its Rego in a `.rego` file beside it, and its constraints. Nothing is written when
 * any file would be overwritten (without --force) or an input cannot be read.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DiagnosticError, diag, hasErrors, type Diagnostic } from "../../diagnostics/index.js";
import { formatRego } from "../../engine/fmt.js";
import { loadConfig } from "../../frontend/load.js";
import { PC8 } from "../../import/diagnostics.js";
import { readImportInputs, type ImportedConstraint, type ImportedTemplate } from "../../import/read.js";
import { renderTemplate } from "../../import/render.js";
import { importSuites } from "../../import/suites.js";
import { parseCommandArgs, usageError } from "../args.js";
import type { Command } from "../command.js";
import { exitCodeFor, printDiagnostics, writeUserFiles } from "../report.js";
import { makeDirs } from "../../build/make-dirs.js";

const usage = `policyc import [--out DIR] [--force] [--rego-v1] PATH...

Turns existing Gatekeeper YAML into policyc sources. PATH is a file or a folder (searched for .yaml
and .yml files). For each ConstraintTemplate it writes DIR/<name>.ts (a Params interface derived
from the template's openAPIV3Schema, with descriptions and keywords as TSDoc; the check; and every
Constraint of that kind among the inputs) and the template's Rego beside it as DIR/<name>.rego (and
<name>.lib<N>.rego). \`policyc build\` then emits the same Rego and schema. A check whose Rego version
differs from the project's \`regoVersion\` gets its own \`regoVersion\`. What the DSL has no place
for (other annotations, CEL code, schema keywords policyc does not derive) is listed in a comment.
gator Suites among the inputs become the checks' test cases (samples copied to DIR/<name>.tests/).

  --out DIR     where to write (default policies/imported), relative to the current directory
  --force       overwrite files that already exist
  --rego-v1     port v0 Rego to v1 as \`policyc fmt --v0-v1\` does (a template that cannot be
                ported, e.g. one calling the deprecated \`any\`, stays v0 with a warning)
  -h, --help    show this help`;

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Ports a v0 template's Rego (main and libs) to v1 in place; else says why it cannot. */
function portToV1(t: ImportedTemplate): string | undefined {
  const port = (text: string, what: string) => formatRego(text, { file: `${t.name} ${what}`, regoVersion: "v0", toV1: true });
  try {
    const rego = port(t.rego, "rego");
    const libs = t.libs.map((l, i) => port(l, `libs[${i}]`));
    Object.assign(t, { rego, libs, regoVersion: "v1" });
    return undefined;
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    const d = e.diagnostics[0]!;
    return `${d.message}${d.span ? ` (${d.span.file} line ${d.span.line})` : ""}`;
  }
}

export const command: Command = {
  name: "import",
  summary: "turn existing Gatekeeper templates and constraints into policyc sources",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs({ name: "import", usage }, argv, io, { out: { type: "string", placeholder: "DIR" }, force: { type: "boolean" }, "rego-v1": { type: "boolean" } }, { positionals: true });
    if (typeof args === "number") return args;
    if (args.positionals.length === 0) return usageError(io, "import", "give the YAML files or folders to import");
    const outDir = path.resolve(io.cwd, args.values.out ?? "policies/imported");
    const inputs = readImportInputs(io.cwd, args.positionals);
    const diagnostics: Diagnostic[] = [...inputs.diagnostics];
    if (inputs.templates.length === 0 && !hasErrors(diagnostics)) diagnostics.push(diag(PC8.noTemplates, []));

    const byKind = new Map<string, ImportedConstraint[]>();
    const seen = new Map<string, ImportedConstraint>();
    for (const c of inputs.constraints) {
      const first = seen.get(`${c.kind}/${c.name}`);
      if (first) {
        diagnostics.push(diag(PC8.duplicateConstraint, [c.name, c.kind, `${first.span.file}:${first.span.line}`], c.span));
        continue;
      }
      seen.set(`${c.kind}/${c.name}`, c);
      byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
    }
    const kinds = new Set(inputs.templates.map((t) => t.kind));
    for (const [kind, list] of byKind) if (!kinds.has(kind)) for (const c of list) diagnostics.push(diag(PC8.orphanConstraint, [c.name, c.kind], c.span));

    // The project's Rego version, when there is a project: checks in another version carry their own.
    const project = await loadConfig({ cwd: io.cwd });
    const version = project.config?.regoVersion;

    const tests = importSuites(io.cwd, inputs.suites, inputs.templates, byKind, diagnostics);
    const files: { path: string; content: string }[] = [];
    let constraints = 0;
    let cases = 0;
    for (const t of inputs.templates) {
      if (!DNS1035.test(t.name)) {
        diagnostics.push(diag(PC8.badShape, [t.source, "ConstraintTemplate", `kind ${t.kind} does not make a DNS-1035 template name`], t.span));
        continue;
      }
      if (t.dropped.length) diagnostics.push(diag(PC8.notCarried, [t.name, t.dropped.join("; ")], t.span));
      if (args.values["rego-v1"] && t.regoVersion === "v0") {
        const problem = portToV1(t);
        if (problem) diagnostics.push(diag(PC8.notPorted, [t.name, problem], t.span));
      }
      const mine = byKind.get(t.kind) ?? [];
      constraints += mine.length;
      const mineTests = tests.get(t.kind);
      if (mineTests) cases += mineTests.check.length + [...mineTests.byConstraint.values()].reduce((n, l) => n + l.length, 0);
      const rendered = await renderTemplate(t, mine, mineTests, version ? { projectVersion: version } : {});
      for (const p of rendered.problems) diagnostics.push(diag(PC8.schemaProblem, [t.name, p.path, p.why], t.span));
      files.push(...rendered.files);
    }
    for (const f of files) {
      const abs = path.join(outDir, f.path);
      if (existsSync(abs) && args.values.force !== true) diagnostics.push(diag(PC8.fileExists, [path.relative(io.cwd, abs) || abs]));
    }
    printDiagnostics(io, diagnostics, io.cwd);
    if (hasErrors(diagnostics)) return exitCodeFor(diagnostics) || 1;
    const failed = writeUserFiles(io, path.relative(io.cwd, outDir) || ".", () => {
      makeDirs(outDir);
      for (const f of files) {
        makeDirs(path.dirname(path.join(outDir, f.path)));
        writeFileSync(path.join(outDir, f.path), f.content);
      }
    });
    if (failed) return failed;
    const shown = path.relative(io.cwd, outDir) || ".";
    const next = cases > 0 ? "; build them with `policyc build`, then `policyc test --update` runs the imported cases and records their goldens" : "; build them with `policyc build`";
    io.stdout(`imported ${inputs.templates.length} templates, ${constraints} constraints and ${cases} test cases into ${shown}/ (${files.length} files)${next}\n`);
    return 0;
  },
};
