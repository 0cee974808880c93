/**
 * Deckhouse's own gator suites, run against the pack. admission-policy-engine keeps one folder per
 * ConstraintTemplate under `charts/constraint-templates/tests/test_cases/constraints/<group>/<name>/`:
 * a hand-written `test-matrix.yaml` (ConstraintTestMatrix: base documents, per-case merge patches,
 * blocks of cases naming a constraint and the expected "yes"/"no") and the `constraints/` it names.
 * This module materialises each matrix as a gator Suite, the way Deckhouse's generator does (the
 * format's documented rules: maps merge deeply, lists and scalars in a patch replace, `null` removes
 * a key; `containerMerges` patch a container by name; `exception`/`exceptionRef` add the named
 * SecurityPolicyException to the inventory and label the Pod with it; `defaultInventory` comes first;
 * `$TEST_ROOT` is the `test_cases` folder; `externalData` mocks become an ExternalDataInventory
 * object), except that every block's template is the pack's template for its constraint's kind.
 * `policyc deckhouse suites --from DIR` runs them.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { toYaml } from "../emit/yaml.js";
import { isDiagnostic, readYamlFile } from "../testing/yaml-files.js";

type Obj = Record<string, any>;

const MATRIX = "test-matrix.yaml";
const SPE_LABEL = "security.deckhouse.io/security-policy-exception";

/** One matrix turned into a Suite on disk, or why it could not be. */
export interface MaterialisedSuite {
  /** `<group>/<name>`, the suite folder relative to the search root. */
  name: string;
  matrix: string;
  /** The written Suite file (absent when the matrix could not be materialised at all). */
  suite?: string;
  /** Blocks left out, and why (a kind the pack lacks, an unreadable constraint, a malformed block). */
  skipped: { block: string; reason: string }[];
  /** The matrix as a whole is unusable. */
  problem?: string;
}

/** Every `test-matrix.yaml` under `root` (a test_cases folder, a group, one suite, or the file). */
export function findMatrices(root: string): string[] {
  if (statSync(root).isFile()) return [root];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        // Generated copies and the shared samples hold no matrices.
        if (e.name !== "rendered" && e.name !== "node_modules" && !e.name.startsWith(".")) walk(p);
      } else if (e.name === MATRIX) out.push(p);
    }
  };
  walk(root);
  return out;
}

/** The matrix format's merge: maps recurse, lists and scalars replace, `null` deletes the key. */
export function mergePatch(base: unknown, patch: unknown): unknown {
  if (patch === undefined || patch === null) return clone(base);
  if (!isMap(patch)) return clone(patch);
  if (!isMap(base)) return clone(patch);
  const out: Obj = clone(base) as Obj;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? mergePatch(out[k], v) : clone(v);
  }
  return out;
}

/** `containerMerges`: each `{name, merge}` merged into the container of that name (init containers are created when absent). */
function patchContainers(doc: Obj, field: "containers" | "initContainers", patches: unknown): void {
  if (!Array.isArray(patches) || patches.length === 0) return;
  const spec = doc.spec;
  if (!isMap(spec)) throw new Error(`${field} patches need the document's spec`);
  const list: unknown[] = Array.isArray(spec[field]) ? spec[field] : field === "initContainers" ? [] : (() => {
    throw new Error(`${field} patches, but the base has no spec.${field}`);
  })();
  for (const p of patches) {
    if (!isMap(p) || typeof p.name !== "string" || p.name === "") throw new Error(`a ${field} patch needs a name`);
    if (p.merge === undefined || p.merge === null) continue;
    const i = list.findIndex((c) => isMap(c) && c.name === p.name);
    if (i >= 0) list[i] = mergePatch(list[i], p.merge);
    else if (field === "initContainers") list.push(mergePatch({ name: p.name }, p.merge));
    else throw new Error(`no container named ${p.name} to patch`);
  }
  spec[field] = list;
}

function fromBase(bases: Obj, item: Obj, defaultBase: string): Obj {
  const name = typeof item.base === "string" && item.base.trim() !== "" ? item.base.trim() : defaultBase;
  if (!name) throw new Error("an object needs `ref` or `base` (or a defaultObjectBase)");
  const base = bases[name];
  if (!isMap(base) || !isMap(base.document)) throw new Error(`no base document named ${name}`);
  const doc = mergePatch(base.document, item.merge) as Obj;
  patchContainers(doc, "containers", item.containerMerges);
  patchContainers(doc, "initContainers", item.initContainerMerges);
  return doc;
}

interface Ctx {
  matrixDir: string;
  testRoot: string;
  outDir: string;
  bases: Obj;
  written: Map<string, string>;
  seq: number;
}

/** A `ref`: `$TEST_ROOT/...` is the test_cases folder; other paths are relative to the suite's rendered/ folder. */
function resolveRef(ctx: Ctx, ref: string): string {
  const r = ref.trim();
  if (r.startsWith("$TEST_ROOT/")) return path.join(ctx.testRoot, r.slice("$TEST_ROOT/".length));
  if (path.isAbsolute(r)) return r;
  const fromRendered = path.join(ctx.matrixDir, "rendered", r);
  if (existsSync(fromRendered)) return fromRendered;
  return path.join(ctx.matrixDir, r);
}

/** Writes a generated document once (identical documents share a file, as Deckhouse's generator does) and returns its path relative to the suite. */
function writeDoc(ctx: Ctx, dir: string, slug: string, doc: Obj): string {
  const text = toYaml(doc);
  const known = ctx.written.get(text);
  if (known) return known;
  const rel = `samples/${dir}/${String(++ctx.seq).padStart(3, "0")}-${slug.replace(/[^a-z0-9.-]+/gi, "-").toLowerCase()}.yaml`;
  mkdirSync(path.join(ctx.outDir, "samples", dir), { recursive: true });
  writeFileSync(path.join(ctx.outDir, rel), text);
  ctx.written.set(text, rel);
  return rel;
}

/** A referenced file: its absolute path, which the Suite names relative to itself. */
function refPath(ctx: Ctx, ref: string): string {
  const abs = resolveRef(ctx, ref);
  if (!existsSync(abs)) throw new Error(`referenced file ${ref} not found`);
  return path.relative(ctx.outDir, abs).split(path.sep).join("/");
}

function inventoryItem(ctx: Ctx, item: unknown, slug: string): string {
  if (typeof item === "string") return refPath(ctx, item);
  if (!isMap(item)) throw new Error("an inventory item is a ref or a base with a merge");
  if (typeof item.ref === "string" && item.ref !== "") return refPath(ctx, item.ref);
  const doc = fromBase(ctx.bases, item, "");
  if (!doc.metadata?.name) (doc.metadata ??= {}).name = slug;
  return writeDoc(ctx, "inventory", slug, doc);
}

/** Mocked providers (`[{name, ...answer}]`) as the ExternalDataInventory Deckhouse's test templates read. */
function externalDataInventory(providers: unknown[]): Obj {
  const byName: Obj = {};
  for (const p of providers) {
    if (!isMap(p) || typeof p.name !== "string" || p.name.trim() === "") throw new Error("an externalData provider needs a name");
    const { name, ...answer } = p;
    byName[name.trim()] = answer;
  }
  return { apiVersion: "deckhouse.io/v1alpha1", kind: "ExternalDataInventory", metadata: { name: "default", namespace: "testns" }, spec: { providers: byName } };
}

/**
 * Materialises one matrix into `outDir` (Suite `suite.yaml`, the pack's templates, the constraints,
 * generated samples). `templates` maps a Constraint kind to the template that judges it.
 */
export function materialiseMatrix(matrixFile: string, outDir: string, templates: ReadonlyMap<string, Obj>, name: string): MaterialisedSuite {
  const result: MaterialisedSuite = { name, matrix: matrixFile, skipped: [] };
  const read = readYamlFile(matrixFile, "test matrix", "suite");
  if (isDiagnostic(read)) return { ...result, problem: read.message };
  const m = read.docs[0]?.value as Obj | undefined;
  if (!isMap(m) || m.kind !== "ConstraintTestMatrix" || !isMap(m.spec)) return { ...result, problem: "not a ConstraintTestMatrix" };
  const spec = m.spec;
  const matrixDir = path.dirname(matrixFile);
  const ctx: Ctx = { matrixDir, testRoot: testCasesRoot(matrixDir), outDir, bases: isMap(spec.bases) ? spec.bases : {}, written: new Map(), seq: 0 };
  mkdirSync(outDir, { recursive: true });
  const tests: Obj[] = [];
  const templateFiles = new Map<string, string>();
  for (const [bi, block] of (Array.isArray(spec.blocks) ? spec.blocks : []).entries()) {
    const blockName = String(block?.gatorBlock || block?.name || `block-${bi + 1}`);
    try {
      const blockCases = casesOf(block?.cases);
      const constraintFile = [path.join(matrixDir, String(block.constraint ?? "")), path.join(matrixDir, "rendered", String(block.constraint ?? ""))].find((f) => block.constraint && existsSync(f));
      if (!constraintFile) throw new Error(`constraint ${block.constraint} not found`);
      const cread = readYamlFile(constraintFile, "constraint", "object");
      if (isDiagnostic(cread)) throw new Error(cread.message);
      const kind = String((cread.docs[0]?.value as Obj | undefined)?.kind ?? "");
      const template = templates.get(kind);
      if (!template) throw new Error(`the pack has no template for ${kind || "a constraint without kind"}`);
      let templateRel = templateFiles.get(kind);
      if (!templateRel) {
        templateRel = `templates/${kind.toLowerCase()}.yaml`;
        mkdirSync(path.join(outDir, "templates"), { recursive: true });
        writeFileSync(path.join(outDir, templateRel), toYaml(template));
        templateFiles.set(kind, templateRel);
      }
      const defaultBase = String(block.defaultObjectBase || spec.defaultObjectBase || "");
      const cases: Obj[] = [];
      for (const c of blockCases) {
        const caseName = String(c?.name ?? "");
        if (!caseName || (c.violations !== "yes" && c.violations !== "no")) throw new Error(`case ${caseName || "?"}: needs a name and violations yes|no`);
        const inventorySrc: unknown[] = [...(Array.isArray(spec.defaultInventory) ? spec.defaultInventory : [])];
        let object: Obj = isMap(c.object) ? { ...c.object } : {};
        const exName = String(c.exceptionRef || c.exception || "").trim();
        if (exName) {
          const def = spec.namedExceptions?.[exName];
          if (!isMap(def)) throw new Error(`case ${caseName}: unknown named exception ${exName}`);
          inventorySrc.push({ base: def.base || "securityPolicyException", merge: mergePatch(def.merge ?? {}, { metadata: { name: exName } }) });
          object = { ...object, merge: mergePatch({ metadata: { labels: { [SPE_LABEL]: exName } } }, object.merge) };
        }
        inventorySrc.push(...(Array.isArray(c.inventory) ? c.inventory : []));
        const inventory = inventorySrc.map((item, i) => inventoryItem(ctx, item, `${caseName}-inv-${i}`));
        const providers = (isMap(c.externalData) ? c.externalData : spec.externalData)?.providers;
        if (Array.isArray(providers) && providers.length > 0) inventory.push(writeDoc(ctx, "external-data", `${caseName}-external-data`, externalDataInventory(providers)));
        let objectRel: string;
        if (typeof object.ref === "string" && object.ref !== "") objectRel = refPath(ctx, object.ref);
        else {
          const doc = fromBase(ctx.bases, object, defaultBase);
          if (doc.kind === "Pod" && !doc.metadata?.name && typeof object.podName === "string" && object.podName.trim()) (doc.metadata ??= {}).name = object.podName.trim();
          if (!doc.metadata?.name) (doc.metadata ??= {}).name = caseName;
          objectRel = writeDoc(ctx, "objects", caseName, doc);
        }
        const assertion: Obj = { violations: c.violations };
        if (typeof c.assertionMessage === "string" && c.assertionMessage !== "") assertion.message = c.assertionMessage;
        cases.push({ name: caseName, ...(inventory.length ? { inventory } : {}), object: objectRel, assertions: [assertion] });
      }
      tests.push({ name: blockName, template: templateRel, constraint: path.relative(outDir, constraintFile).split(path.sep).join("/"), cases });
    } catch (e) {
      result.skipped.push({ block: blockName, reason: (e as Error).message });
    }
  }
  if (tests.length === 0) return { ...result, problem: result.skipped.length ? "no block could be run" : "the matrix has no blocks" };
  const suite = path.join(outDir, "suite.yaml");
  writeFileSync(suite, toYaml({ kind: "Suite", apiVersion: "test.gatekeeper.sh/v1alpha1", metadata: { name: String(spec.suiteName || m.metadata?.name || name) }, tests }));
  return { ...result, suite };
}

/**
 * A block's cases. The matrix schema asks for a list; matrices also hold a single case written as a
 * map (`cases: {name, violations, object}`) and cases keyed by name (`cases: {<name>: {violations,
 * object}}`), which are read as the list they stand for.
 */
export function casesOf(cases: unknown): Obj[] {
  if (Array.isArray(cases)) return cases as Obj[];
  if (!isMap(cases) || Object.keys(cases).length === 0) throw new Error("`cases` is neither a list of cases nor a map of them");
  if ("violations" in cases || "object" in cases || typeof cases.name === "string") return [cases];
  return Object.entries(cases).map(([name, body]) => {
    if (!isMap(body)) throw new Error(`case ${name}: a case keyed by name must be a map`);
    return { name, ...body };
  });
}

/** The `test_cases` folder above a suite (`$TEST_ROOT`), else the folder three levels up (constraints/<group>/<name>). */
function testCasesRoot(matrixDir: string): string {
  for (let d = matrixDir; path.dirname(d) !== d; d = path.dirname(d)) if (path.basename(d) === "test_cases") return d;
  return path.resolve(matrixDir, "..", "..", "..");
}

function isMap(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

/** One suite's outcome: cases passed and failed, and the failing cases with why. */
export interface SuiteOutcome extends MaterialisedSuite {
  passed: number;
  failed: number;
  failures: { test: string; case: string; reasons: string[] }[];
}

/**
 * Materialises every matrix under `from` into `work` (one folder per suite, named after its path
 * below `from`) and runs them with policyc's gator emulation.
 */
export async function runDeckhouseSuites(from: string, work: string, templates: ReadonlyMap<string, Obj>): Promise<SuiteOutcome[]> {
  const { verify } = await import("../testing/verify.js");
  const root = statSync(from).isFile() ? path.dirname(from) : from;
  const out: SuiteOutcome[] = [];
  for (const matrix of findMatrices(from)) {
    const rel = path.relative(root, path.dirname(matrix)).split(path.sep).join("/") || path.basename(path.dirname(matrix));
    const m = materialiseMatrix(matrix, path.join(work, rel), templates, rel);
    const outcome: SuiteOutcome = { ...m, passed: 0, failed: 0, failures: [] };
    out.push(outcome);
    if (!m.suite) continue;
    const run = await verify([m.suite], { cwd: work });
    for (const d of [...run.diagnostics, ...run.suites.flatMap((s) => s.diagnostics)]) {
      if (d.severity !== "error") continue;
      outcome.failed++;
      outcome.failures.push({ test: "(suite)", case: "", reasons: [`${d.code}: ${d.message}`] });
    }
    for (const t of run.suites.flatMap((s) => s.tests)) {
      if (t.cases.length === 0 && t.status === "fail") {
        outcome.failed++;
        outcome.failures.push({ test: t.name, case: "", reasons: [...t.reasons, ...t.diagnostics.map((d) => `${d.code}: ${d.message}`)] });
      }
      for (const c of t.cases) {
        if (c.status === "pass") outcome.passed++;
        else if (c.status === "fail") {
          outcome.failed++;
          outcome.failures.push({ test: t.name, case: c.name, reasons: [...c.reasons, ...c.diagnostics.map((d) => `${d.code}: ${d.message}`)] });
        }
      }
    }
  }
  return out;
}
