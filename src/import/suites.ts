/**
 * The tests of imported templates: every gator Suite among `policyc import`'s inputs (the Gatekeeper
 * library keeps one beside each template, with `samples/`) becomes DSL test cases. A suite test whose
 * constraint was imported gives its cases to that `defineConstraint` (so they run with its match and
 * parameters, as gator runs them); otherwise the cases go on the check, with the sample constraint's
 * parameters. Sample objects and inventories are copied beside the check (`<name>.tests/...`, byte for
 * byte) and referenced by path; an AdmissionReview sample becomes an inline case with its operation,
 * user and old object. Assertions map to `violations` and `messages` (RE2, as gator matches them);
 * what a DSL case cannot express is said in a comment on the case, and what cannot be carried at all
 * (expansion tests, unreadable samples) is a PC8020/PC8021 warning.
 */
import path from "node:path";
import { diag, type Diagnostic, type Span } from "../diagnostics/index.js";
import { isDiagnostic, readYamlFile, spanAt } from "../testing/yaml-files.js";
import { PC8 } from "./diagnostics.js";
import type { ImportedConstraint, ImportedSuiteFile, ImportedTemplate } from "./read.js";

export interface TemplateTests {
  /** Case literals (TypeScript source) by the name of the imported constraint they belong to. */
  byConstraint: Map<string, string[]>;
  /** Case literals of the check itself. */
  check: string[];
  /** Sample files to write, relative to the output directory. */
  files: Map<string, string>;
}

type Raw = Record<string, any>;

/** The imported tests of each template, by template kind. */
export function importSuites(
  cwd: string,
  suites: readonly ImportedSuiteFile[],
  templates: readonly ImportedTemplate[],
  constraintsByKind: ReadonlyMap<string, readonly ImportedConstraint[]>,
  diagnostics: Diagnostic[],
): Map<string, TemplateTests> {
  const out = new Map<string, TemplateTests>();
  const byFile = new Map(templates.map((t) => [path.resolve(cwd, t.source), t]));
  for (const suite of suites) {
    const f = readYamlFile(suite.file, "suite", "suite", suite.source);
    if (isDiagnostic(f)) {
      diagnostics.push({ ...f, severity: "warning" });
      continue;
    }
    const doc = f.docs[0];
    const tests: Raw[] = Array.isArray((doc?.value as Raw | undefined)?.tests) ? (doc!.value as Raw).tests : [];
    const dir = path.dirname(suite.file);
    tests.forEach((t, i) => {
      const span = spanAt(f, doc!.doc, ["tests", i]);
      const testName = typeof t?.name === "string" ? t.name : `#${i + 1}`;
      const template = typeof t?.template === "string" ? byFile.get(path.resolve(dir, t.template)) : undefined;
      if (!template) return; // a test of a template that is not being imported
      const dropTest = (why: string) => diagnostics.push(diag(PC8.suiteTestDropped, [testName, why], span));
      if (t.expansion !== undefined) return dropTest("it expands workloads with an ExpansionTemplate, which a check's test cases do not");
      if (typeof t.constraint !== "string") return dropTest("it names no constraint");
      const constraintFile = path.resolve(dir, t.constraint);
      const cf = readYamlFile(constraintFile, "constraint", "object", rel(cwd, constraintFile), span);
      if (isDiagnostic(cf)) return dropTest(cf.message);
      const constraint = cf.docs[0]?.value as Raw | undefined;
      if (constraint?.kind !== template.kind) return dropTest(`its constraint ${t.constraint} is not a ${template.kind}`);
      const imported = (constraintsByKind.get(template.kind) ?? []).find(
        (c) => path.resolve(cwd, c.source) === constraintFile && c.name === constraint.metadata?.name,
      );
      const tests = out.get(template.kind) ?? { byConstraint: new Map(), check: [], files: new Map() };
      out.set(template.kind, tests);
      const list = imported ? (tests.byConstraint.get(imported.name) ?? []) : tests.check;
      if (imported) tests.byConstraint.set(imported.name, list);
      const parameters = imported ? undefined : constraint.spec?.parameters;
      const cases: Raw[] = Array.isArray(t.cases) ? t.cases : [];
      cases.forEach((c, j) => {
        const caseSpan = spanAt(f, doc!.doc, ["tests", i, "cases", j]);
        const literal = caseLiteral(c, { cwd, dir, template, testName, parameters, tests, list, span: caseSpan, diagnostics });
        if (literal) list.push(literal);
      });
    });
  }
  return out;
}

interface CaseContext {
  cwd: string;
  dir: string;
  template: ImportedTemplate;
  testName: string;
  parameters: unknown;
  tests: TemplateTests;
  list: string[];
  span: Span;
  diagnostics: Diagnostic[];
}

function caseLiteral(c: Raw, ctx: CaseContext): string | undefined {
  const caseName = typeof c?.name === "string" ? c.name : "case";
  const drop = (why: string) => void ctx.diagnostics.push(diag(PC8.suiteCaseDropped, [ctx.testName, caseName, why], ctx.span));
  if (typeof c?.object !== "string") return drop("it has no object file");
  const objectFile = path.resolve(ctx.dir, c.object);
  const of = readYamlFile(objectFile, "object", "object", rel(ctx.cwd, objectFile), ctx.span);
  if (isDiagnostic(of)) return drop(of.message);
  const object = of.docs[0]?.value as Raw | undefined;
  if (!object || typeof object !== "object") return drop(`${c.object} holds no object`);
  const comments: string[] = [];
  const fields: string[] = [`name: ${JSON.stringify(uniqueName(caseName, ctx))}`];
  if (object.kind === "AdmissionReview") {
    const request: Raw = object.request ?? {};
    const reviewed = request.object ?? request.oldObject;
    if (!reviewed) return drop(`the AdmissionReview in ${c.object} has no request.object or request.oldObject`);
    fields.push(`object: ${JSON.stringify(reviewed)}`);
    if (typeof request.operation === "string") fields.push(`operation: ${JSON.stringify(request.operation)}`);
    if (request.userInfo) fields.push(`userInfo: ${JSON.stringify(request.userInfo)}`);
    if (request.oldObject) fields.push(`oldObject: ${JSON.stringify(request.oldObject)}`);
  } else {
    fields.push(`object: ${JSON.stringify(copySample(objectFile, of.text, ctx))}`);
  }
  if (ctx.parameters !== undefined) fields.push(`parameters: ${JSON.stringify(ctx.parameters)}`);
  const assertions = assertionsOf(c.assertions, comments);
  if (typeof assertions === "string") return drop(assertions);
  fields.push(`violations: ${JSON.stringify(assertions.violations)}`);
  if (assertions.messages.length) fields.push(`messages: [${assertions.messages.join(", ")}]`);
  if (Array.isArray(c.inventory) && c.inventory.length > 0) {
    const refs: string[] = [];
    for (const inv of c.inventory) {
      if (typeof inv !== "string") continue;
      const file = path.resolve(ctx.dir, inv);
      const inf = readYamlFile(file, "inventory", "object", rel(ctx.cwd, file), ctx.span);
      if (isDiagnostic(inf)) return drop(inf.message);
      refs.push(copySample(file, inf.text, ctx));
    }
    fields.push(`inventory: ${JSON.stringify(refs)}`);
  }
  const lead = comments.map((line) => `// ${line}\n`).join("");
  return `${lead}{ ${fields.join(", ")} }`;
}

/** gator's assertions as the DSL's `violations` and `messages`, or why they cannot be. */
function assertionsOf(raw: unknown, comments: string[]): { violations: "yes" | "no" | number; messages: string[] } | string {
  const list: Raw[] = Array.isArray(raw) ? raw.filter((a) => a && typeof a === "object") : [];
  if (list.length === 0) return "it has no assertions";
  const plain = list.filter((a) => a.message === undefined);
  const matching = list.filter((a) => a.message !== undefined);
  const count = (v: unknown): "yes" | "no" | number | undefined => (v === undefined ? "yes" : v === "yes" || v === "no" || (typeof v === "number" && Number.isInteger(v) && v >= 0) ? (v as "yes" | "no" | number) : undefined);
  let violations = plain.length ? count(plain[0]!.violations) : undefined;
  if (plain.length && violations === undefined) return `its assertion violations: ${JSON.stringify(plain[0]!.violations)} is not yes, no or a count`;
  for (const a of plain.slice(1)) comments.push(`gator also asserts violations: ${JSON.stringify(a.violations)}; a DSL case has one count`);
  const messages: string[] = [];
  for (const a of matching) {
    const v = count(a.violations);
    const m = String(a.message);
    if (v === undefined) return `its assertion violations: ${JSON.stringify(a.violations)} is not yes, no or a count`;
    if (v === "no" || v === 0) {
      comments.push(`gator also asserts that no violation matches ${JSON.stringify(m)}; a DSL case cannot say that`);
      continue;
    }
    try {
      new RegExp(m);
    } catch {
      comments.push(`gator also asserts a violation matching ${JSON.stringify(m)}, which is not a JavaScript regular expression`);
      continue;
    }
    messages.push(m === "" || m.includes("/") || m.includes("\n") ? `new RegExp(${JSON.stringify(m)})` : `/${m}/`);
    if (typeof v === "number") {
      if (violations === undefined && matching.length === 1) violations = v;
      else if (v !== 1) comments.push(`gator asserts exactly ${v} violations matching ${JSON.stringify(m)}; this case checks that one does`);
    }
  }
  return { violations: violations ?? "yes", messages };
}

/** Copies a sample beside the check (once) and returns its path relative to the check's file. */
function copySample(file: string, text: string, ctx: CaseContext): string {
  const local = path.relative(ctx.dir, file).split(path.sep).map((p) => (p === ".." ? "_" : p)).join("/");
  let dest = `${ctx.template.name}.tests/${local}`;
  for (let n = 2; ctx.tests.files.has(dest) && ctx.tests.files.get(dest) !== text; n++) dest = `${ctx.template.name}.tests/${n}/${local}`;
  ctx.tests.files.set(dest, text);
  return `./${dest}`;
}

/** Case names are unique within a check or constraint; a repeated one gets its test's name in front. */
function uniqueName(name: string, ctx: CaseContext): string {
  const taken = new Set(ctx.list.map((l) => /name: ("(?:[^"\\]|\\.)*")/.exec(l)?.[1]).filter(Boolean).map((s) => JSON.parse(s!) as string));
  let unique = taken.has(name) ? `${ctx.testName}-${name}` : name;
  for (let n = 2; taken.has(unique); n++) unique = `${ctx.testName}-${name}-${n}`;
  return unique;
}

function rel(cwd: string, file: string): string {
  return path.relative(cwd, file).split(path.sep).join("/");
}
