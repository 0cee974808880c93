/**
 * The tests emitter: for every check with test cases (its own or its constraints'), a gator Suite
 * `tests/<template>/suite.yaml` with the Constraints and sample files it uses, laid out the way
 * `gator verify` reads them. Cases that need different parameters get their own test (gator has one
 * constraint per test). Assertions: the case's `violations`, and one `violations: yes` per expected
 * message. `golden.json` beside the suite is owned by `policyc test --update` (see golden-carry.ts).
 */
import type { CheckIR, ConfigIR, ConstraintIR, ProjectIR, TestCaseIR } from "../../ir/ir.js";
import type { EmitResult, Emitter, GeneratedFile } from "../emitter.js";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { D } from "../../ir/diagnostics.js";
import { constraintObject } from "../gatekeeper/constraints.js";
import { parametersWithDefaults } from "../../testing/gatekeeper/parameters.js";
import { toYaml11 as toYaml } from "./yaml11.js";
import { slug, suiteDir, templateManifest } from "./layout.js";
import { inventoryFor, reviewedObject, type CaseIR } from "./samples.js";

interface TestGroup {
  name: string;
  constraintName: string;
  constraint: Record<string, unknown>;
  cases: TestCaseIR[];
  namespaceSelector?: ConstraintIR["match"]["namespaceSelector"];
}

const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x));

/** A DNS-1123 name of at most 63 characters. */
function constraintName(base: string, n: number): string {
  const suffix = n === 0 ? "" : `-p${n + 1}`;
  return `${base.slice(0, 63 - suffix.length).replace(/[-.]+$/, "")}${suffix}`;
}

function groupsFor(
  label: string,
  baseName: string,
  baseParams: Record<string, unknown> | undefined,
  cases: TestCaseIR[],
  makeConstraint: (name: string, params: Record<string, unknown> | undefined) => Record<string, unknown>,
  namespaceSelector?: ConstraintIR["match"]["namespaceSelector"],
): TestGroup[] {
  const byParams = new Map<string, TestGroup>();
  for (const tc of cases) {
    const params = tc.parameters === undefined ? baseParams : { ...(baseParams ?? {}), ...tc.parameters };
    const key = stable(params ?? null);
    let g = byParams.get(key);
    if (!g) {
      const n = byParams.size;
      const name = constraintName(baseName, n);
      g = {
        name: n === 0 ? label : `${label} [${tc.name}]`,
        constraintName: name,
        constraint: makeConstraint(name, params),
        cases: [],
        ...(namespaceSelector ? { namespaceSelector } : {}),
      };
      byParams.set(key, g);
    }
    g.cases.push(tc);
  }
  return [...byParams.values()];
}

function checkConstraint(check: CheckIR, name: string, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  if (params !== undefined) spec.parameters = params;
  return { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: check.kind, metadata: { name }, spec };
}

function ownConstraint(c: ConstraintIR, config: ConfigIR, name: string, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const ir: ConstraintIR = { ...c, name, annotations: {}, labels: {} };
  if (params === undefined) delete ir.parameters;
  else ir.parameters = params;
  // Argo CD annotations are deployment concerns; the test constraint only needs what Gatekeeper reads.
  return constraintObject(ir, { ...config, argocd: { ...config.argocd, enabled: false } });
}

function assertionsFor(violations: TestCaseIR["violations"], messages: string[] | undefined): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{ violations }];
  for (const m of messages ?? []) out.push({ violations: "yes", message: m });
  return out;
}

/**
 * A case's assertions. gator (and Gatekeeper) run a template's CEL when it has some, so `assertions`
 * hold for CEL there; where the case expects something else of the Rego, that goes in policyc's
 * `regoAssertions` (gator ignores it), which policyc's runner reads when it evaluates the Rego.
 */
function caseAssertions(check: CheckIR, tc: TestCaseIR): Record<string, unknown> {
  const rego = assertionsFor(tc.violations, tc.messages);
  if (!check.cel || !tc.cel) return { assertions: rego };
  const cel = assertionsFor(tc.cel.violations ?? tc.violations, tc.cel.messages ?? tc.messages);
  return JSON.stringify(cel) === JSON.stringify(rego) ? { assertions: rego } : { assertions: cel, regoAssertions: rego };
}

/**
 * Parameters as the API server stores them: with the schema's defaults filled in. Written into the
 * test constraints so that gator (which does not default) and policyc see the same `input.parameters`.
 */
function withDefaults(check: CheckIR, params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const filled = parametersWithDefaults(params, check.parameters) as Record<string, unknown>;
  return params === undefined && Object.keys(filled).length === 0 ? undefined : filled;
}

/** The tests of a check's suite: its own cases, then each constraint's, split by parameters. */
function suiteGroups(check: CheckIR, constraints: ConstraintIR[], config: ConfigIR): TestGroup[] {
  const groups: TestGroup[] = [];
  if (check.tests.length > 0)
    groups.push(...groupsFor(check.kind, check.name, undefined, check.tests, (n, p) => checkConstraint(check, n, withDefaults(check, p))));
  for (const c of constraints) {
    if (c.tests.length === 0) continue;
    groups.push(
      ...groupsFor(c.name, c.name, c.parameters, c.tests, (n, p) => ownConstraint(c, config, n, withDefaults(check, p)), c.match.namespaceSelector),
    );
  }
  return groups;
}

function emitCheck(check: CheckIR, constraints: ConstraintIR[], config: ConfigIR): GeneratedFile[] {
  const groups = suiteGroups(check, constraints, config);
  if (groups.length === 0) return [];
  const dir = suiteDir(check.name);
  const files: GeneratedFile[] = [];
  const tests: Record<string, unknown>[] = [];
  const usedDirs = new Set<string>();
  for (const g of groups) {
    let gdir = slug(g.constraintName);
    while (usedDirs.has(gdir)) gdir = `${gdir}-x`;
    usedDirs.add(gdir);
    const constraintPath = `constraints/${gdir}.yaml`;
    files.push({ path: `${dir}/${constraintPath}`, content: toYaml(g.constraint), object: g.constraint, schema: "gatekeeper/constraint.json", origin: check.origin });
    const cases: Record<string, unknown>[] = [];
    const usedCases = new Set<string>();
    for (const tc of g.cases as CaseIR[]) {
      let cslug = slug(tc.name);
      while (usedCases.has(cslug)) cslug = `${cslug}-x`;
      usedCases.add(cslug);
      const objectPath = `samples/${gdir}/${cslug}.yaml`;
      const object = reviewedObject(tc);
      files.push({ path: `${dir}/${objectPath}`, content: toYaml(object), object, origin: tc.origin });
      const entry: Record<string, unknown> = { name: tc.name, object: objectPath };
      const inventory = inventoryFor(tc, g.namespaceSelector);
      if (inventory.length > 0) {
        const invPath = `samples/${gdir}/${cslug}.inventory.yaml`;
        const content = inventory.map((o) => toYaml(o as Record<string, unknown>)).join("---\n");
        files.push({ path: `${dir}/${invPath}`, content, origin: tc.origin });
        entry.inventory = [invPath];
      }
      // policyc's extension of the gator case (gator ignores it): the providers' mocked answers.
      if (tc.externalData && Object.keys(tc.externalData).length > 0) entry.externalData = tc.externalData;
      Object.assign(entry, caseAssertions(check, tc));
      cases.push(entry);
    }
    tests.push({ name: g.name, template: `../../${templateManifest(check.name)}`, constraint: constraintPath, cases });
  }
  const suite = {
    apiVersion: "test.gatekeeper.sh/v1alpha1",
    kind: "Suite",
    metadata: { name: check.name },
    tests,
  };
  // The 1.1 schema quotes "yes"/"no", so YAML 1.1 readers (PyYAML, go-yaml v2) keep them strings.
  const content = toYaml(suite);
  files.push({ path: `${dir}/suite.yaml`, content, object: suite, schema: "testing/suite.json", origin: check.origin });
  return files;
}

function constraintsByKind(project: ProjectIR): Map<string, ConstraintIR[]> {
  const byKind = new Map<string, ConstraintIR[]>();
  for (const c of project.constraints) {
    const list = byKind.get(c.kind);
    if (list) list.push(c);
    else byKind.set(c.kind, [c]);
  }
  return byKind;
}

export const testsEmitter: Emitter = {
  id: "tests",
  emit(project: ProjectIR, config: ConfigIR): EmitResult {
    const files: GeneratedFile[] = [];
    const byKind = constraintsByKind(project);
    for (const check of project.checks) files.push(...emitCheck(check, byKind.get(check.kind) ?? [], config));
    return { files, diagnostics: [] };
  },
};

/** Where each emitted case was written: suite path (relative to the output directory) → test → case → origin. */
export type CaseOrigins = Map<string, Map<string, Map<string, TestCaseIR["origin"]>>>;

/** The user's source of every case the tests emitter writes, so `policyc test` reports failures there. */
export function caseOrigins(project: ProjectIR): CaseOrigins {
  const out: CaseOrigins = new Map();
  const byKind = constraintsByKind(project);
  for (const check of project.checks) {
    const groups = suiteGroups(check, byKind.get(check.kind) ?? [], project.config);
    if (groups.length === 0) continue;
    const tests = new Map<string, Map<string, TestCaseIR["origin"]>>();
    for (const g of groups) {
      const cases = tests.get(g.name) ?? new Map<string, TestCaseIR["origin"]>();
      for (const tc of g.cases) if (!cases.has(tc.name)) cases.set(tc.name, tc.origin);
      tests.set(g.name, cases);
    }
    out.set(`${suiteDir(check.name)}/suite.yaml`, tests);
  }
  return out;
}

/** PC2041 for every untested check: a warning, an error with `strict: true` in the config. */
export function checkUntested(project: ProjectIR): Diagnostic[] {
  return untestedChecks(project).map((c) => {
    const d = diag(D.untestedCheck, [c.kind], c.origin);
    return project.config.strict ? { ...d, severity: "error" as const } : d;
  });
}

/** Checks without a single test case (their own or any of their constraints'). */
export function untestedChecks(project: ProjectIR): CheckIR[] {
  const byKind = constraintsByKind(project);
  return project.checks.filter((c) => c.tests.length === 0 && !(byKind.get(c.kind) ?? []).some((k) => k.tests.length > 0));
}
