/**
 * Runs gator Suites with `gator verify` semantics: each test adds its template and constraint
 * (a constraint that must be rejected for `invalid: true`), each case gets fresh inventory and is
 * reviewed on its own, and every assertion of the case must hold. Problems become diagnostics on
 * the element they break; the run always continues.
 */
import { performance } from "node:perf_hooks";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC4 } from "../diagnostics.js";
import { TEMPLATE_TIMEOUT_MS, wasmBackend, type RegoBackend } from "../gatekeeper/backend.js";
import { formatMs } from "../../engine/builtins/budget.js";
import { CompileError, prepareCelTemplate, prepareTemplate, reviewWith, usesCel, type PreparedTemplate } from "../gatekeeper/client.js";
import { ExternalDataUnmocked } from "../gatekeeper/external-data.js";
import { gatekeeperRegoProblems } from "../gatekeeper/rego-rules.js";
import { readConstraint, validateConstraint, type ConstraintInfo } from "../gatekeeper/constraint.js";
import { InventoryBuilder, InventoryError } from "../gatekeeper/inventory.js";
import { isObject, namespaceOf, type KubeObject } from "../gatekeeper/objects.js";
import { isAdmissionReview, reviewForAdmissionReview, reviewForObject, ReviewError, type Review } from "../gatekeeper/review.js";
import { isConstraintTemplate, readTemplate, TemplateError, type TemplateInfo } from "../gatekeeper/template.js";
import { aggregateViolations } from "../gatekeeper/expansion/aggregate.js";
import { expanderFromObjects, expandObject, type Expander } from "../gatekeeper/expansion/expander.js";
import { isExpansionTemplate } from "../gatekeeper/policy-set.js";
import { ExpansionError, type ExpandedObject } from "../gatekeeper/expansion/system.js";
import { MutationError } from "../gatekeeper/mutation/system.js";
import type { Violation } from "../gatekeeper/violations.js";
import { checkAssertion } from "../suite/assertions.js";
import { K8S_NATIVE_VALIDATION } from "../gatekeeper/k8s-native-validation.js";
import { allFilter, type Filter } from "../suite/filter.js";
import type { Suite, SuiteCase, SuiteTest } from "../suite/model.js";
import { isDiagnostic } from "../yaml-files.js";
import { RunFiles } from "./files.js";
import { canonicalViolations, violationLine } from "../golden/golden.js";
import { unifiedDiff } from "../golden/diff.js";
import type { CaseResult, SuiteResult, TestResult } from "./results.js";

export interface RunOptions {
  cwd: string;
  filter?: Filter;
  backend?: RegoBackend;
  /**
   * A second evaluator run on every case (`policyc test --differential`, issue 5): a case whose
   * violations differ between the two fails with a diff.
   */
  compareBackend?: RegoBackend;
  /**
   * gator's `--enable-k8s-native-validation`: templates with a `K8sNativeValidation` entry run on
   * policyc's CEL engine instead of their Rego.
   */
  k8sNativeValidation?: boolean;
  /**
   * `policyc test`: a template that carries both Rego and `K8sNativeValidation` code runs every case
   * on both engines (a CEL-only template on CEL). Rego's results are the case's violations (the
   * golden); the case's `assertions` must hold on CEL (the engine gator picks) and its
   * `regoAssertions`, or else the same `assertions`, on Rego. Failures name the engine.
   */
  bothEngines?: boolean;
  /** Called after each case (or unit) finishes, for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Wall-clock limit of each template evaluation in ms (default `TEMPLATE_TIMEOUT_MS`, Gatekeeper's
   * webhook timeout): a case whose evaluation is stopped there fails with PC4052; the others run.
   */
  timeoutMs?: number;
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 100) / 100;

/** How many units the run will report (for progress). */
export function plannedUnits(suites: readonly Suite[], filter: Filter = allFilter): number {
  let n = 0;
  for (const s of suites) {
    if (s.diagnostics.length > 0) n++;
    for (const t of s.tests) n += t.cases.length === 0 ? 1 : t.cases.filter((c) => filter.matchesCase(t.name, c.name)).length;
  }
  return n;
}

class VerifyRun {
  readonly files: RunFiles;
  readonly filter: Filter;
  readonly backend: RegoBackend;
  private readonly templates = new Map<string, TemplateInfo | Diagnostic>();
  private readonly expanders = new Map<string, Expander | Diagnostic>();
  done = 0;

  constructor(
    readonly opts: RunOptions,
    readonly total: number,
  ) {
    this.files = new RunFiles(opts.cwd);
    this.filter = opts.filter ?? allFilter;
    this.backend = opts.backend ?? wasmBackend;
  }

  tick(n = 1) {
    this.done += n;
    this.opts.onProgress?.(this.done, this.total);
  }

  template(t: SuiteTest): TemplateInfo | Diagnostic {
    const ref = t.template!;
    const cached = this.templates.get(ref.abs);
    if (cached) return cached;
    let result: TemplateInfo | Diagnostic;
    // gator reads the file's first document as the template; the others are never looked at.
    const first = this.files.first(ref, "template");
    if (isDiagnostic(first)) result = first;
    else {
      if (!isConstraintTemplate(first.object)) {
        result = diag(PC4.notATemplate, [ref.rel, String(first.object.kind ?? "no kind")], ref.span);
      } else {
        try {
          const info = readTemplate(first.object);
          const docIndex = 0;
          const at = (p: (string | number)[] | undefined) => (p ? this.files.blockStart(ref.abs, docIndex, p) : undefined);
          const main = at(info.regoPath);
          info.positions = { libs: info.libs.map((_, i) => at(info.libsPath ? [...info.libsPath, i] : undefined)) };
          if (main) info.positions.main = main;
          result = info;
        } catch (e) {
          if (!(e instanceof TemplateError)) throw e;
          result = diag(PC4.badTemplate, [ref.rel, e.message], ref.span);
        }
      }
    }
    this.templates.set(ref.abs, result);
    return result;
  }

  /** The test's `expansion:` file as gator reads it: its ExpansionTemplates and any mutators beside them. */
  expander(t: SuiteTest): Expander | Diagnostic {
    const ref = t.expansion!;
    const cached = this.expanders.get(ref.abs);
    if (cached) return cached;
    let result: Expander | Diagnostic;
    const objs = this.files.objects(ref, "expansion");
    if (isDiagnostic(objs)) result = objs;
    else if (!objs.some(isExpansionTemplate)) result = diag(PC4.badExpansion, [ref.rel, "it holds no ExpansionTemplate (expansion.gatekeeper.sh)"], ref.span);
    else {
      const e = expanderFromObjects(objs.map((object) => ({ object })));
      const errors = e.diagnostics.filter((d) => d.severity === "error");
      result = errors.length > 0 ? diag(PC4.badExpansion, [ref.rel, errors.map((d) => d.message).join("; ")], ref.span) : e;
    }
    this.expanders.set(ref.abs, result);
    return result;
  }

  failTest(t: SuiteTest, tr: TestResult, diagnostics: Diagnostic[], reason: string): TestResult {
    tr.status = "fail";
    tr.diagnostics.push(...diagnostics);
    tr.reasons.push(reason);
    // Cases that would have run fail with their test; skipped ones stay skipped.
    tr.cases = t.cases.map((c) => {
      const skipped = c.skip || !this.filter.matchesCase(t.name, c.name);
      return { name: c.name, status: skipped ? "skip" : "fail", reasons: skipped ? [] : [`test '${t.name}' failed: ${reason}`], diagnostics: [], durationMs: 0 };
    });
    this.tick(tr.cases.length === 0 ? 1 : tr.cases.filter((c) => c.status !== "skip").length);
    return tr;
  }

  async runTest(t: SuiteTest): Promise<TestResult> {
    const t0 = performance.now();
    const tr: TestResult = { name: t.name, status: "pass", invalid: t.invalid, reasons: [], diagnostics: [], cases: [], durationMs: 0 };
    const caseNames = t.cases.map((c) => c.name);
    if (t.skip || !this.filter.matchesTest(t.name, caseNames)) {
      tr.status = "skip";
      tr.cases = t.cases.map((c) => ({ name: c.name, status: "skip", reasons: [], diagnostics: [], durationMs: 0 }));
      return tr;
    }
    if (t.diagnostics.length > 0) return this.failTest(t, tr, t.diagnostics, t.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; "));

    const info = this.template(t);
    if (isDiagnostic(info)) return this.failTest(t, tr, [info], info.message);
    const file = this.files.display(t.template!.abs);
    let prepared: PreparedTemplate;
    let other: PreparedTemplate | undefined;
    let cel: PreparedTemplate | undefined;
    const both = this.opts.bothEngines === true && info.k8sNativeValidation !== undefined;
    try {
      if (usesCel(info, this.opts.k8sNativeValidation === true) || (both && info.rego === undefined)) prepared = prepareCelTemplate(info);
      else {
        if (info.rego === undefined) {
          const d = diag(PC4.noRego, [t.template!.rel, info.engines.join(", ") || "no code"], t.template!.span);
          return this.failTest(t, tr, [d], d.message);
        }
        const rejected = gatekeeperRegoProblems(info, file);
        if (rejected.length > 0) {
          const d = diag(PC4.regoRejected, [t.template!.rel, rejected[0]], t.template!.span, rejected.slice(1));
          return this.failTest(t, tr, [d], d.message);
        }
        prepared = await prepareTemplate(info, this.backend, file, this.opts.timeoutMs);
        if (this.opts.compareBackend) other = await prepareTemplate(info, this.opts.compareBackend, file, this.opts.timeoutMs);
        if (both) cel = prepareCelTemplate(info);
      }
    } catch (e) {
      if (!(e instanceof CompileError)) throw e;
      const d = diag(PC4.compileFailed, [t.template!.rel, e.message], t.template!.span, e.notes);
      return this.failTest(t, tr, [d], d.message);
    }

    // The constraint file's first document, as gator reads it.
    const cFirst = this.files.first(t.constraint!, "constraint");
    if (isDiagnostic(cFirst)) return this.failTest(t, tr, [cFirst], cFirst.message);
    const cObj = cFirst.object;
    const problem = validateConstraint(cObj, info);
    if (t.invalid) {
      if (problem?.kind === "schema") tr.status = "pass";
      else {
        tr.status = "fail";
        tr.reasons.push(
          problem
            ? `the constraint is rejected, but not by schema validation: ${problem.message}`
            : "the constraint is valid, but the test expects it to fail schema validation (invalid: true)",
        );
      }
      tr.durationMs = ms(t0);
      this.tick();
      return tr;
    }
    if (problem) {
      const d = diag(PC4.badConstraint, [t.constraint!.rel, problem.message], t.constraint!.span, problem.kind === "invalid" ? problem.notes : undefined);
      return this.failTest(t, tr, [d], d.message);
    }
    const constraint = readConstraint(cObj);
    let expander: Expander | undefined;
    if (t.expansion) {
      const e = this.expander(t);
      if (isDiagnostic(e)) return this.failTest(t, tr, [e], e.message);
      expander = e;
    }

    for (const c of t.cases) {
      if (c.skip || !this.filter.matchesCase(t.name, c.name)) {
        tr.cases.push({ name: c.name, status: "skip", reasons: [], diagnostics: [], durationMs: 0 });
        continue;
      }
      tr.cases.push(await this.runCase(c, prepared, constraint, other, expander, cel));
      this.tick();
    }
    if (tr.cases.some((c) => c.status === "fail")) tr.status = "fail";
    tr.durationMs = ms(t0);
    return tr;
  }

  async runCase(c: SuiteCase, prepared: PreparedTemplate, constraint: ConstraintInfo, other?: PreparedTemplate, expander?: Expander, cel?: PreparedTemplate): Promise<CaseResult> {
    const t0 = performance.now();
    const cr: CaseResult = { name: c.name, status: "pass", reasons: [], diagnostics: [], durationMs: 0 };
    const fail = (ds: Diagnostic[]) => {
      cr.status = "fail";
      cr.diagnostics.push(...ds);
      cr.reasons.push(...ds.map((d) => d.message));
      cr.durationMs = ms(t0);
      return cr;
    };
    if (c.diagnostics.length > 0) return fail(c.diagnostics);

    const obj = this.files.single(c.object!, "object");
    if (isDiagnostic(obj)) return fail([obj]);

    const inventory = new InventoryBuilder();
    for (const ref of c.inventory) {
      const objs = this.files.objects(ref, "inventory");
      if (isDiagnostic(objs)) return fail([objs]);
      for (const o of objs) {
        try {
          inventory.add(o);
        } catch (e) {
          if (!(e instanceof InventoryError)) throw e;
          return fail([diag(PC4.badInventory, [ref.rel, e.message], ref.span)]);
        }
      }
    }

    let review: Review;
    if (isAdmissionReview(obj)) {
      try {
        review = reviewForAdmissionReview(obj as KubeObject);
      } catch (e) {
        if (!(e instanceof ReviewError)) throw e;
        return fail([diag(PC4.badAdmissionReview, [c.object!.rel, e.message], c.object!.span)]);
      }
    } else review = reviewForObject(obj);

    // With an ExpansionTemplate, the objects the reviewed one would create are reviewed too and
    // their violations join the parent's, prefixed with the template (gator's aggregation).
    let expanded: ExpandedObject[] = [];
    if (expander && isObject(review.object)) {
      const obj = review.object as KubeObject;
      const ns = inventory.namespace(namespaceOf(obj));
      try {
        expanded = expandObject(expander, obj, ns ? { namespace: ns } : {});
      } catch (e) {
        if (!(e instanceof ExpansionError || e instanceof MutationError)) throw e;
        return fail([diag(PC4.expansionFailed, [c.name, e.message], c.span)]);
      }
    }
    // A case mocks the external data providers it expects to be called; none given means none.
    const mocks = c.externalData ?? {};
    let timedOut = false;
    const reviewAll = async (p: PreparedTemplate): Promise<Violation[]> => {
      const first = await reviewWith(p, constraint, review, inventory, "Original", mocks);
      timedOut ||= first.timedOut === true;
      const out = [...first.violations];
      for (const r of expanded) {
        const child = await reviewWith(p, constraint, reviewForObject(r.object), inventory, "Generated", mocks);
        timedOut ||= child.timedOut === true;
        out.push(...aggregateViolations(r.template, r.enforcementAction, child.violations));
      }
      return out;
    };
    let violations: Violation[];
    try {
      violations = await reviewAll(prepared);
    } catch (e) {
      if (!(e instanceof ExternalDataUnmocked)) throw e;
      const name = prepared.info.name;
      return fail(e.providers.map((p) => diag(PC4.externalDataUnmocked, [name, JSON.stringify(p), c.name, JSON.stringify(p)], c.span)));
    }
    if (timedOut) {
      const limit = formatMs(this.opts.timeoutMs ?? TEMPLATE_TIMEOUT_MS);
      return fail([diag(PC4.evalTimedOut, [prepared.info.name, limit, c.name], c.span)]);
    }
    cr.violations = violations;
    if (other) {
      const second = await reviewAll(other);
      const a = canonicalViolations(violations).map(violationLine);
      const b = canonicalViolations(second).map(violationLine);
      if (a.join("\n") !== b.join("\n")) {
        cr.status = "fail";
        cr.reasons.push(`the engines disagree (${this.backend.name} vs ${this.opts.compareBackend!.name})`);
        cr.diff = unifiedDiff(a, b, this.backend.name, this.opts.compareBackend!.name);
      }
    }
    const messages = violations.map((v) => v.msg);
    // `assertions` hold for the engine gator picks; a case may say what it expects of the Rego apart.
    const onRego = prepared.entrypoint !== K8S_NATIVE_VALIDATION;
    // With a second engine, failures say which engine they are about.
    const label = (rego: boolean) => (cel ? (rego ? "Rego: " : "CEL (K8sNativeValidation): ") : "");
    for (const a of onRego && c.regoAssertions ? c.regoAssertions : c.assertions) {
      const r = checkAssertion(a, messages);
      if (!r.ok) {
        cr.status = "fail";
        cr.reasons.push(`${label(onRego)}${a.span.file}:${a.span.line}: ${r.reason}; got messages ${JSON.stringify(messages)}`);
      }
    }
    if (cel) {
      const celMessages = (await reviewAll(cel)).map((v) => v.msg);
      cr.engines = { K8sNativeValidation: celMessages };
      for (const a of c.assertions) {
        const r = checkAssertion(a, celMessages);
        if (!r.ok) {
          cr.status = "fail";
          cr.reasons.push(`${label(false)}${a.span.file}:${a.span.line}: ${r.reason}; got messages ${JSON.stringify(celMessages)}`);
        }
      }
    }
    cr.durationMs = ms(t0);
    return cr;
  }

  async runSuite(s: Suite): Promise<SuiteResult> {
    const t0 = performance.now();
    const sr: SuiteResult = {
      path: s.path,
      display: s.display,
      status: "pass",
      diagnostics: [...s.diagnostics],
      warnings: [...s.warnings],
      tests: [],
      durationMs: 0,
    };
    if (s.name !== undefined) sr.name = s.name;
    if (s.diagnostics.length > 0) {
      sr.status = "fail";
      this.tick();
      if (s.tests.length === 0) return sr;
    }
    for (const t of s.tests) {
      if (s.skip) {
        sr.tests.push({
          name: t.name,
          status: "skip",
          invalid: t.invalid,
          reasons: [],
          diagnostics: [],
          cases: t.cases.map((c) => ({ name: c.name, status: "skip", reasons: [], diagnostics: [], durationMs: 0 })),
          durationMs: 0,
        });
        continue;
      }
      sr.tests.push(await this.runTest(t));
    }
    if (sr.tests.some((t) => t.status === "fail") || sr.diagnostics.length > 0) sr.status = "fail";
    else if (sr.tests.length > 0 && sr.tests.every((t) => t.status === "skip")) sr.status = "skip";
    sr.durationMs = ms(t0);
    return sr;
  }
}

export async function runSuites(suites: readonly Suite[], opts: RunOptions): Promise<SuiteResult[]> {
  const run = new VerifyRun(opts, plannedUnits(suites, opts.filter));
  const out: SuiteResult[] = [];
  for (const s of suites) out.push(await run.runSuite(s));
  return out;
}
