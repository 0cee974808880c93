/**
 * Finds OPA unit tests in parsed modules as `opa test` does: a rule is a test when a name in the
 * ground prefix of its head ref starts with `test_` (run) or `todo_test_` (reported as skipped).
 * Tests of one package with the same name are renamed `test_x#01`, `test_x#02`, ... in module order
 * (the AST is changed in place, before compiling), so each definition runs on its own.
 */
import type { Location, Module, Rule, Term } from "../../engine/rego/ast.js";
import { isGround } from "../../engine/compiler/ast-util.js";

export const TEST_PREFIX = "test_";
export const SKIP_PREFIX = "todo_test_";

export interface TestRule {
  /** `data.pkg`, OPA's `package` field. */
  pkg: string;
  /** The rule ref up to the test name, e.g. `test_x`, `test_x#01`, `a.test_b`. */
  name: string;
  /** Path from data to the test's document, e.g. ["pkg", "test_x#01"]. */
  path: string[];
  /** Path from data to the test's package, e.g. ["pkg"]. */
  pkgPath: string[];
  /** The test's rule (renamed when it was a duplicate). */
  rule: Rule;
  loc: Location;
  skip: boolean;
  /** `test_x[name] if ...`: a partial object of named sub-results (OPA's parameterised tests). */
  partialObject: boolean;
  /** A test written as a function cannot be queried (it is reported as an error). */
  isFunction: boolean;
}

/** Finds the tests, renaming duplicates in `modules` (already in OPA's module order). */
export function discoverTests(modules: Module[]): TestRule[] {
  const tests: TestRule[] = [];
  const seen = new Map<string, number>();
  for (const mod of modules) {
    const pkgPath = mod.package.path.terms.slice(1).map(segment);
    for (const rule of mod.rules) {
      const found = testName(rule);
      if (!found) continue;
      let { name } = found;
      const refPath = found.ref.map(segment);
      if (name.startsWith(TEST_PREFIX)) {
        const key = JSON.stringify([...pkgPath, ...refPath]);
        const k = seen.get(key);
        if (k !== undefined) {
          name = `${name}#${String(k).padStart(2, "0")}`;
          renameHead(rule, found.index, name);
          refPath[refPath.length - 1] = name;
        }
        seen.set(key, (k ?? 0) + 1);
      }
      tests.push({
        pkg: ["data", ...pkgPath].join("."),
        name: refString(refPath),
        path: [...pkgPath, ...refPath],
        pkgPath,
        rule,
        loc: rule.loc,
        skip: name.startsWith(SKIP_PREFIX),
        partialObject: isPartialObject(rule, mod.regoVersion),
        isFunction: rule.head.args !== undefined,
      });
    }
  }
  return tests;
}

/**
 * OPA's PartialObjectDoc test (sub-results), `Head.DocKind`: a head with a key and a value (v0's
 * `test_x[k] = v { }`, whatever its key), or a single-value head whose ref has a dynamic part after
 * its first term (`test_x[tc.note] if`, `test_x[a][b] if`, `a.test_x[k] if`, `test_x.y[k] if`). A
 * ground ref (`test_x["k"] if`) is a complete document, an object that is not `true`; a multi-value
 * head (`test_x contains k`, v0's `test_x[k] { }`) is a set.
 */
function isPartialObject(rule: Rule, regoVersion: string): boolean {
  const terms = rule.head.ref.terms;
  if (rule.head.kind !== "single" || rule.head.args !== undefined) return false;
  if (regoVersion === "v0" && terms.length === 2 && rule.head.value !== undefined) return true;
  return terms.slice(1).some((t) => t.type === "ref" || !isGround(t));
}

/** The first test-named term in the head ref's ground prefix. */
function testName(rule: Rule): { name: string; index: number; ref: Term[] } | undefined {
  const terms = rule.head.ref.terms;
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i]!;
    const n = i === 0 && t.type === "var" ? t.name : t.type === "string" ? t.value : undefined;
    if (n === undefined) return undefined;
    if (n.startsWith(TEST_PREFIX) || n.startsWith(SKIP_PREFIX)) return { name: n, index: i, ref: terms.slice(0, i + 1) };
  }
  return undefined;
}

function renameHead(rule: Rule, index: number, name: string): void {
  for (let r: Rule | undefined = rule; r; r = r.else) {
    const terms = r.head.ref.terms;
    const old = terms[index]!;
    terms[index] = index === 0 ? { type: "var", name, loc: old.loc } : { type: "string", value: name, loc: old.loc };
  }
}

function segment(t: Term): string {
  if (t.type === "var") return t.name;
  if (t.type === "string") return t.value;
  return JSON.stringify(t);
}

/** A ref as OPA prints it: identifiers dotted, anything else quoted in brackets. */
function refString(path: string[]): string {
  return path.map((p, i) => (i === 0 ? p : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}
