/**
 * `policyc deckhouse templates --out DIR`: writes the Deckhouse policy pack's ConstraintTemplates to
 * a folder for review. `policyc deckhouse compare --templates DIR`: compares the pack with templates
 * exported from a cluster (parameter schemas, and the decisions of the pack's test cases).
 * `policyc deckhouse suites --from DIR`: runs Deckhouse's own gator suites (a checkout's
 * test-matrix.yaml files) with the pack's templates in place of Deckhouse's.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { runDeckhouseSuites } from "../../deckhouse/suites.js";
import { toYaml } from "../../emit/yaml.js";
import { comparePack } from "../../deckhouse/compare.js";
import { packTemplates, readTemplatesFrom, templatesFor } from "../../deckhouse/pack.js";
import { parseCommandArgs, usageError } from "../args.js";
import { closest, diag, hasErrors } from "../../diagnostics/index.js";
import { D } from "../../ir/diagnostics.js";
import { exitCodeFor, printDiagnostics, writeUserFiles } from "../report.js";
import type { Command, CommandIO } from "../command.js";
import { makeDirs } from "../../build/make-dirs.js";

const usage = `policyc deckhouse templates --out DIR
policyc deckhouse compare --templates DIR
policyc deckhouse suites --from DIR [--templates DIR] [--out DIR] [--verbose]

Deckhouse's admission-policy-engine, evaluated by policyc's policy pack (one ConstraintTemplate per
D8* kind Deckhouse renders from SecurityPolicy, OperationPolicy and the Pod Security Standards).

  templates --out DIR     write the pack's ConstraintTemplates, one file per kind
                          (d8<kind>.yaml), for review; files of other names are left alone
  compare --templates DIR compare the pack with templates exported from a cluster
                          (kubectl get constrainttemplates -o yaml > DIR/templates.yaml):
                          parameter schemas, and each pack test case's decision under the
                          cluster's template; exit 1 on a difference
  suites --from DIR       run Deckhouse's own gator suites (every test-matrix.yaml under DIR,
                          e.g. a checkout's modules/015-admission-policy-engine/charts/
                          constraint-templates/tests/test_cases) with the pack's template in
                          place of Deckhouse's; one line per suite; exit 1 when a case fails
      --templates DIR     templates exported from a cluster judge the kinds they define
                          instead of the pack's
      --out DIR           keep the materialised suites there (default: a temporary folder,
                          removed afterwards); rerun one with \`policyc verify DIR/<suite>\`
  -v, --verbose           list every failing case with the reason
  -h, --help              show this help`;

async function templates(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs({ name: "deckhouse templates", usage }, argv, io, { out: { type: "string", placeholder: "DIR" } });
  if (typeof args === "number") return args;
  const out = args.values.out;
  if (!out) return usageError(io, "deckhouse", "deckhouse templates needs --out DIR");
  const dir = path.resolve(io.cwd, out);
  if (existsSync(dir) && !statSync(dir).isDirectory()) {
    printDiagnostics(io, [diag(D.outNotDirectory, [out])], io.cwd);
    return 1;
  }
  let written = 0;
  const failed = writeUserFiles(io, out, () => {
    makeDirs(dir);
    for (const [, t] of [...packTemplates()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = path.join(dir, `${t.metadata.name}.yaml`);
      const text = toYaml(t);
      if (existsSync(file) && readFileSync(file, "utf8") === text) continue;
      writeFileSync(file, text);
      written++;
    }
  });
  if (failed) return failed;
  io.stdout(`wrote ${written} of ${packTemplates().size} Deckhouse ConstraintTemplates to ${out}\n`);
  return 0;
}

async function compare(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs({ name: "deckhouse compare", usage }, argv, io, { templates: { type: "string", placeholder: "DIR" } });
  if (typeof args === "number") return args;
  if (!args.values.templates) return usageError(io, "deckhouse", "deckhouse compare needs --templates DIR");
  const read = readTemplatesFrom(path.resolve(io.cwd, args.values.templates), (abs) => path.relative(io.cwd, abs) || abs);
  printDiagnostics(io, read.diagnostics, io.cwd);
  if (hasErrors(read.diagnostics)) return exitCodeFor(read.diagnostics) || 1;
  const results = await comparePack(read.templates);
  if (results.length === 0) {
    return usageError(io, "deckhouse", `no ConstraintTemplate in ${args.values.templates} defines a kind of the Deckhouse pack (D8*); export them with \`kubectl get constrainttemplates -o yaml\``);
  }
  let differ = 0;
  for (const r of results) {
    const same = r.schema.length === 0 && r.decisions.length === 0;
    if (!same) differ++;
    io.stdout(`${same ? "same" : "DIFFERS"}  ${r.kind}  (${r.cases} cases)\n`);
    for (const s of r.schema) io.stdout(`    schema ${s}\n`);
    for (const d of r.decisions) io.stdout(`    ${d.test} › ${d.case}: ${d.reasons.join("; ")}\n`);
  }
  io.stdout(`${results.length - differ} same, ${differ} differ\n`);
  return differ > 0 ? 1 : 0;
}

async function suites(argv: string[], io: CommandIO): Promise<number> {
  const args = parseCommandArgs({ name: "deckhouse suites", usage }, argv, io, {
    from: { type: "string", placeholder: "DIR" },
    templates: { type: "string", placeholder: "DIR" },
    out: { type: "string", placeholder: "DIR" },
    verbose: { type: "boolean", short: "v" },
  });
  if (typeof args === "number") return args;
  const from = args.values.from;
  if (!from) return usageError(io, "deckhouse", "deckhouse suites needs --from DIR (a folder with Deckhouse's test-matrix.yaml files)");
  const src = path.resolve(io.cwd, from);
  if (!existsSync(src)) return usageError(io, "deckhouse", `${from} does not exist`);
  let templates = packTemplates();
  if (args.values.templates !== undefined) {
    const read = readTemplatesFrom(path.resolve(io.cwd, args.values.templates), (abs) => path.relative(io.cwd, abs) || abs);
    printDiagnostics(io, read.diagnostics, io.cwd);
    if (hasErrors(read.diagnostics)) return exitCodeFor(read.diagnostics) || 1;
    templates = templatesFor(read.templates);
  }
  const keep = args.values.out !== undefined;
  const work = keep ? path.resolve(io.cwd, args.values.out!) : mkdtempSync(path.join(os.tmpdir(), "policyc-deckhouse-suites-"));
  try {
    const results = await runDeckhouseSuites(src, work, templates);
    if (results.length === 0) return usageError(io, "deckhouse", `no test-matrix.yaml under ${from}`);
    let pass = 0;
    let fail = 0;
    let notRun = 0;
    let passed = 0;
    let failed = 0;
    let blocksNotRun = 0;
    for (const r of results) {
      passed += r.passed;
      blocksNotRun += r.skipped.length;
      failed += r.failed;
      if (!r.suite) {
        notRun++;
        io.stdout(`SKIP  ${r.name}: ${r.problem}${r.skipped.length ? ` (${r.skipped.map((s) => `${s.block}: ${s.reason}`).join("; ")})` : ""}\n`);
        continue;
      }
      const ok = r.failed === 0;
      if (ok) pass++;
      else fail++;
      io.stdout(`${ok ? "PASS" : "FAIL"}  ${r.name}  ${r.passed}/${r.passed + r.failed}\n`);
      for (const s of r.skipped) io.stdout(`    block ${s.block} not run: ${s.reason}\n`);
      for (const f of r.failures) {
        io.stdout(`    ${f.test}${f.case ? ` › ${f.case}` : ""}\n`);
        if (args.values.verbose) for (const why of f.reasons) io.stdout(`        ${why.split("\n").join("\n        ")}\n`);
      }
    }
    const blocks = blocksNotRun > 0 ? `; ${blocksNotRun} block${blocksNotRun === 1 ? "" : "s"} not run` : "";
    io.stdout(`${results.length} suites: ${pass} pass, ${fail} fail, ${notRun} not run; cases: ${passed} passed, ${failed} failed${blocks}\n`);
    return fail > 0 ? 1 : 0;
  } finally {
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

export const command: Command = {
  name: "deckhouse",
  summary: "write or compare the Deckhouse policy pack's ConstraintTemplates, run Deckhouse's suites on them",
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === "templates") return templates(rest, io);
    if (sub === "compare") return compare(rest, io);
    if (sub === "suites") return suites(rest, io);
    if (sub === "-h" || sub === "--help") {
      io.stdout(`${usage}\n`);
      return 0;
    }
    const near = sub === undefined ? undefined : closest(sub, ["templates", "compare"]);
    return usageError(io, "deckhouse", `expected \`templates\` or \`compare\`${sub === undefined ? "" : `, got \`${sub}\``}${near ? `; did you mean \`${near}\`?` : ""}`);
  },
};
