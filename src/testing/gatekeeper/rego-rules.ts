/**
 * The rules Gatekeeper's constraint framework applies to template Rego before compiling it, so a
 * template gator would reject is rejected here too (by `policyc verify`, and by `policyc build`
 * through src/build/rego.ts): the main module defines `violation`; lib packages sit strictly below
 * `lib`; imports are `data.lib.…` or `future.…` only; the only `data` the code may read is
 * `data.lib.…` and `data.inventory.…`; `http.send` is disabled. Parse errors are left to the
 * compiler.
 */
import { parseModule, type Module } from "../../engine/rego/index.js";
import type { Location } from "../../engine/rego/ast.js";
import type { TemplateInfo } from "./template.js";

interface RefLike {
  type: "ref";
  terms: { type: string; name?: string; value?: unknown }[];
  loc?: Location;
}

/** One rule broken: which module (0 = main, i + 1 = libs[i]) and where in it, when known. */
export interface RegoRuleProblem {
  message: string;
  module: number;
  loc?: Location;
}

function isRef(x: unknown): x is RefLike {
  return typeof x === "object" && x !== null && (x as { type?: unknown }).type === "ref" && Array.isArray((x as RefLike).terms);
}

/** A call of `name`, as a term (`x := f(y)`) or as an expression (`f(y)`). */
function isCallOf(x: unknown, name: string): x is { operator: RefLike } {
  if (typeof x !== "object" || x === null) return false;
  const c = x as { type?: unknown; kind?: unknown; operator?: unknown };
  return (c.type === "call" || c.kind === "call") && isRef(c.operator) && c.operator.terms.map((t) => t.name ?? (typeof t.value === "string" ? t.value : "?")).join(".") === name;
}

function headIs(ref: RefLike, name: string): boolean {
  const h = ref.terms[0];
  return h?.type === "var" && h.name === name;
}

function seg(ref: RefLike, i: number): string | undefined {
  const t = ref.terms[i];
  return t?.type === "string" && typeof t.value === "string" ? t.value : undefined;
}

function pathText(ref: RefLike): string {
  return ref.terms.map((t, i) => (i === 0 ? (t.name ?? "?") : t.type === "string" ? `.${String(t.value)}` : "[…]")).join("");
}

/** Every node under `node` that `pick` selects (locations are not walked). */
function nodesIn<T>(node: unknown, pick: (x: unknown) => x is T, out: T[]): T[] {
  if (Array.isArray(node)) for (const x of node) nodesIn(x, pick, out);
  else if (node && typeof node === "object") {
    if (pick(node)) out.push(node);
    for (const [k, v] of Object.entries(node)) if (k !== "loc") nodesIn(v, pick, out);
  }
  return out;
}

/**
 * `text` (the module's source, when the caller has it) lets a module that never mentions `data` or
 * `http` skip the walk over its rules: most templates read only `input`.
 */
function checkModule(m: Module, index: number, problems: RegoRuleProblem[], text?: string): void {
  const pkg = m.package.path as unknown as RefLike;
  const pkgPath = pkg.terms.slice(1).map((_, i) => seg(pkg, i + 1) ?? "?");
  if (index > 0 && (pkgPath[0] !== "lib" || pkgPath.length < 2)) {
    problems.push({ message: `lib package "${pkgPath.join(".")}" is not below "lib" (use package lib.<name>)`, module: index, loc: m.package.loc });
  }
  for (const imp of m.imports) {
    const p = imp.path as unknown as RefLike;
    const ok = (headIs(p, "data") && seg(p, 1) === "lib" && p.terms.length > 2) || headIs(p, "future");
    if (!ok) problems.push({ message: `import ${pathText(p)} is not allowed (only data.lib.… and future.…)`, module: index, loc: imp.loc });
  }
  const mayRead = text === undefined || text.includes("data");
  const mayCall = text === undefined || text.includes("http");
  if (!mayRead && !mayCall) return;
  for (const ref of mayRead ? nodesIn(m.rules, isRef, []) : []) {
    if (!headIs(ref, "data")) continue;
    const first = seg(ref, 1);
    if (first !== "lib" && first !== "inventory") {
      problems.push({ message: `reference ${pathText(ref)} is not allowed (only data.lib.… and data.inventory.…)`, module: index, ...(ref.loc ? { loc: ref.loc } : {}) });
    }
  }
  for (const call of mayCall ? nodesIn(m.rules, (x): x is { operator: RefLike } => isCallOf(x, "http.send"), []) : []) {
    const loc = call.operator.loc;
    problems.push({ message: "http.send is disabled in Gatekeeper (--disable-opa-builtin); read cluster state from data.inventory or use external_data", module: index, ...(loc ? { loc } : {}) });
  }
}

/** Problems Gatekeeper would report for parsed template modules (main first, then libs; `texts` alike). */
export function gatekeeperModuleProblems(main: Module, libs: readonly Module[], texts: readonly string[] = []): RegoRuleProblem[] {
  const problems: RegoRuleProblem[] = [];
  if (
    !main.rules.some((r) => {
      const h = r.head.ref as unknown as RefLike;
      return h.terms.length === 1 && h.terms[0]?.name === "violation";
    })
  ) {
    problems.push({ message: "the main module defines no `violation` rule (Gatekeeper: missing required rules: [violation])", module: 0, loc: main.package.loc });
  }
  checkModule(main, 0, problems, texts[0]);
  libs.forEach((lib, i) => checkModule(lib, i + 1, problems, texts[i + 1]));
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.module}|${p.loc?.row}:${p.loc?.col}|${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Problems Gatekeeper would report for the template's Rego (empty when it would accept it). */
export function gatekeeperRegoProblems(t: TemplateInfo, file: string): string[] {
  if (t.rego === undefined) return [];
  let main: Module;
  try {
    main = parseModule(t.rego, { file: `${file}#rego`, regoVersion: t.regoVersion });
  } catch {
    return [];
  }
  const libs: Module[] = [];
  for (const [i, text] of t.libs.entries()) {
    try {
      libs.push(parseModule(text, { file: `${file}#libs[${i}]`, regoVersion: t.regoVersion }));
    } catch {
      // The compiler reports syntax errors with positions.
    }
  }
  const where = (p: RegoRuleProblem) => (p.loc ? ` at ${p.loc.file}:${p.loc.row}:${p.loc.col}` : "");
  // verify's notes name the place inside the template file after the reference itself.
  return [...new Set(gatekeeperModuleProblems(main, libs).map((p) => (p.message.startsWith("reference ") ? p.message.replace(/^(reference \S+)/, (ref) => `${ref}${where(p)}`) : p.message)))];
}
