/**
 * The rules Gatekeeper's constraint framework applies to template Rego before compiling it, so a
 * template gator would reject is rejected here too: the main module defines `violation`; lib
 * packages sit strictly below `lib`; imports are `data.lib.…` or `future.…` only; the only `data`
 * the code may read is `data.lib.…` and `data.inventory.…`. Parse errors are left to the compiler.
 */
import { parseModule, type Module } from "../../engine/rego/index.js";
import type { TemplateInfo } from "./template.js";

interface RefLike {
  type: "ref";
  terms: { type: string; name?: string; value?: unknown }[];
  loc?: { row: number; col: number };
}

function isRef(x: unknown): x is RefLike {
  return typeof x === "object" && x !== null && (x as { type?: unknown }).type === "ref" && Array.isArray((x as RefLike).terms);
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

/** Every ref node under `node` (imports and the package line excluded by the caller). */
function refsIn(node: unknown, out: RefLike[]): RefLike[] {
  if (Array.isArray(node)) for (const x of node) refsIn(x, out);
  else if (node && typeof node === "object") {
    if (isRef(node)) out.push(node);
    for (const [k, v] of Object.entries(node)) if (k !== "loc") refsIn(v, out);
  }
  return out;
}

function checkModule(m: Module, isLib: boolean, problems: string[]): void {
  const pkg = m.package.path as unknown as RefLike;
  const pkgPath = pkg.terms.slice(1).map((_, i) => seg(pkg, i + 1) ?? "?");
  if (isLib && (pkgPath[0] !== "lib" || pkgPath.length < 2)) {
    problems.push(`lib package "${pkgPath.join(".")}" is not below "lib" (use package lib.<name>)`);
  }
  for (const imp of m.imports) {
    const p = imp.path as unknown as RefLike;
    const ok = (headIs(p, "data") && seg(p, 1) === "lib" && p.terms.length > 2) || headIs(p, "future");
    if (!ok) problems.push(`import ${pathText(p)} is not allowed (only data.lib.… and future.…)`);
  }
  for (const ref of refsIn(m.rules, [])) {
    if (!headIs(ref, "data")) continue;
    const first = seg(ref, 1);
    if (first !== "lib" && first !== "inventory") {
      const where = ref.loc ? ` at ${m.file}:${ref.loc.row}:${ref.loc.col}` : "";
      problems.push(`reference ${pathText(ref)}${where} is not allowed (only data.lib.… and data.inventory.…)`);
    }
  }
}

/** Problems Gatekeeper would report for the template's Rego (empty when it would accept it). */
export function gatekeeperRegoProblems(t: TemplateInfo, file: string): string[] {
  if (t.rego === undefined) return [];
  const problems: string[] = [];
  let main: Module;
  try {
    main = parseModule(t.rego, { file: `${file}#rego`, regoVersion: t.regoVersion });
  } catch {
    return [];
  }
  if (
    !main.rules.some((r) => {
      const h = r.head.ref as unknown as RefLike;
      return h.terms.length === 1 && h.terms[0]?.name === "violation";
    })
  ) {
    problems.push("the main module defines no `violation` rule");
  }
  checkModule(main, false, problems);
  t.libs.forEach((text, i) => {
    try {
      checkModule(parseModule(text, { file: `${file}#libs[${i}]`, regoVersion: t.regoVersion }), true, problems);
    } catch {
      // The compiler reports syntax errors with positions.
    }
  });
  return [...new Set(problems)];
}
