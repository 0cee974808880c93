/**
 * `opa test --var-values`: the expression a failed test failed at and the values of its variables,
 * printed as OPA's PrettyReporter prints the failure line (topdown.PrettyEvent with PrettyVars):
 *
 *     p_test.rego:7:
 *         x == y + 1
 *         |    |
 *         |    2
 *         1
 *
 * policyc's engine keeps no evaluation trace, so the failing expression is found by evaluating the
 * test body's prefixes: the first expression whose prefix has no solution is the one that failed,
 * and the variables the expressions before it bound give the values (the last solution's, as OPA
 * shows the bindings of the last failed attempt). A variable the prefix did not bind is
 * `undefined`, as OPA shows it (not under `not`). An `every` that failed is looked into as OPA's
 * failure line does: the expression of its body that failed for the first element it failed for.
 * Values of rules the expression refers to (OPA's snapshot of virtual documents under --var-values)
 * are not shown.
 */
import { compile, loadModule } from "../../engine/index.js";
import { RawJson } from "../../engine/runner/load.js";
import { exactJsonText } from "../../engine/eval/documents.js";
import { startEvaluation } from "../../engine/builtins/index.js";
import { isPlainObject } from "../../engine/builtins/value.js";
import type { Body, Expr, Module, Term } from "../../engine/rego/ast.js";
import type { TestRule } from "./discover.js";

/** The expression a test failed at: where it is, its text, and its variables with their values. */
export interface FailureLine {
  file: string;
  row: number;
  /** The expression's source text (its first line from its column on, then any further lines). */
  text: string;
  /** Tab positions (1-based columns) before the expression on its first line. */
  tabs: number[];
  col: number;
  vars: FailureVar[];
}

export interface FailureVar {
  name: string;
  row: number;
  col: number;
  tabs: number[];
  /** Rego text of the value; undefined when the variable had none. */
  value?: string;
}

export interface FailureLineSource {
  file: string;
  text: string;
  regoVersion: "v0" | "v1";
  parsed: Module;
}

const MAX_VALUE_WIDTH = 64;

/**
 * Finds where each of `tests` (failed, non-parameterised tests) failed. Sources are all the run's
 * modules; the probes of every test are appended to copies of their modules and compiled once (a
 * test whose probes do not compile is then probed alone, without values if need be).
 */
export function findFailureLines(
  sources: FailureLineSource[],
  tests: TestRule[],
  opts: { data: Record<string, unknown>; regoVersion: "v0" | "v1"; fuel?: number; timeoutMs?: number },
): Map<TestRule, FailureLine> {
  const out = new Map<TestRule, FailureLine>();
  const data = exactJsonText(opts.data);
  const probed = tests.filter((t) => t.rule.body.length > 0 && sources.some((s) => s.file === t.loc.file));
  const run = (batch: TestRule[], withValues: boolean): boolean => {
    try {
      for (const [t, line] of probeAll(sources, batch, data, opts, withValues)) if (line) out.set(t, line);
      return true;
    } catch {
      // Probes that do not compile or evaluate leave their tests without a failure line.
      return false;
    }
  };
  if (probed.length > 0 && !run(probed, true)) for (const t of probed) if (!run([t], true)) run([t], false);
  return out;
}

interface Probes {
  /** Rules appended to the test's module. */
  rules: string;
  queries: { name: string; text: string }[];
}

/** The hidden rules that evaluate test `n`'s body prefixes (`d`) and their bindings (`v`). */
function probeRules(src: FailureLineSource, t: TestRule, n: number, withValues: boolean): Probes {
  const body = t.rule.body;
  const nonLocals = nonLocalNames(src.parsed);
  const exprText = (e: Expr) => src.text.slice(e.loc.offset, e.loc.end);
  const v1 = src.regoVersion === "v1" || src.parsed.imports.some((i) => i.path.terms.length === 2 && i.path.terms[0]?.type === "var" && i.path.terms[0].name === "rego");
  // A bare `some x` declaration only scopes its vars (they are locals in the probe all the same); kept
  // in a prefix that does not bind them yet, it would be reported as unused.
  const declOnly = (e: Expr) => e.expr.kind === "some" && e.expr.symbols.every((x) => x.type === "var");
  const rule = (name: string, value: string, exprs0: Expr[]) => {
    const exprs = exprs0.filter((e) => !declOnly(e));
    const lines = exprs.length > 0 ? exprs.map(exprText).join("\n") : "true";
    return v1 ? `\n${name} contains ${value} if {\n${lines}\n}\n` : `\n${name}[${value}] {\n${lines}\n}\n`;
  };
  const pkgRef = "data" + t.pkgPath.map((p) => `[${JSON.stringify(p)}]`).join("");
  const out: Probes = { rules: "", queries: [] };
  body.forEach((_e, i) => {
    const k = i + 1;
    out.rules += rule(`__policyc_fl${n}_d${k}__`, "true", body.slice(0, k));
    out.queries.push({ name: `t${n}d${k}`, text: `__r = ${pkgRef}.__policyc_fl${n}_d${k}__` });
    if (withValues) {
      const bound = new Set(varsOf(body.slice(0, i).filter((e) => !declOnly(e)), nonLocals).map((v) => v.name));
      const keys = [...new Set(varsOf([body[i]!], nonLocals).map((v) => v.name))].filter((x) => bound.has(x));
      // Each value as its Rego text (sprintf of a one-element array keeps sets and quotes strings).
      out.rules += rule(`__policyc_fl${n}_v${k}__`, `{${keys.map((x) => `${JSON.stringify(x)}: sprintf("%v", [[${x}]])`).join(", ")}}`, body.slice(0, i));
      out.queries.push({ name: `t${n}v${k}`, text: `__r = ${pkgRef}.__policyc_fl${n}_v${k}__` });
    }
    const e = body[i]!;
    if (e.expr.kind === "every" && !e.negated) {
      // OPA reports the expression inside the `every` that failed, for the first element (in the
      // domain's order) its body fails for: the domain, then each body prefix's elements.
      const x = e.expr;
      const prefix = body.slice(0, i).filter((p) => !declOnly(p));
      const lines = (exprs: Expr[]) => [...prefix, ...exprs].map(exprText);
      const domain = src.text.slice(x.domain.loc.offset, x.domain.loc.end);
      const keyVar = x.key?.type === "var" ? x.key.name : "__policyc_ek";
      const valueVar = x.value.type === "var" ? x.value.name : "__policyc_ev";
      const text = (name: string, value: string, body: string[]) => (v1 ? `\n${name} contains ${value} if {\n${body.join("\n")}\n}\n` : `\n${name}[${value}] {\n${body.join("\n")}\n}\n`);
      out.rules += text(`__policyc_fl${n}_e${k}_dom__`, "__policyc_dom", [...lines([]), `__policyc_dom := ${domain}`]);
      out.queries.push({ name: `t${n}e${k}dom`, text: `__r = ${pkgRef}.__policyc_fl${n}_e${k}_dom__` });
      const inner = x.body;
      const outer = new Set(varsOf(prefix, nonLocals).map((v) => v.name));
      for (let j = 0; j <= inner.length; j++) {
        const bound = new Set([...outer, keyVar, valueVar, ...varsOf(inner.slice(0, j), nonLocals).map((v) => v.name)]);
        const keys = withValues && j < inner.length ? [...new Set(varsOf([inner[j]!], nonLocals).map((v) => v.name))].filter((y) => bound.has(y)) : [];
        const value = `{"__key": ${keyVar}${keys.map((y) => `, ${JSON.stringify(y)}: sprintf("%v", [[${y}]])`).join("")}}`;
        out.rules += text(`__policyc_fl${n}_e${k}_${j}__`, value, [...lines([]), `some ${keyVar}, ${valueVar} in ${domain}`, ...inner.slice(0, j).map(exprText)]);
        out.queries.push({ name: `t${n}e${k}_${j}`, text: `__r = ${pkgRef}.__policyc_fl${n}_e${k}_${j}__` });
      }
    }
  });
  return out;
}

/** The keys of a domain as `every` visits them: array indices, object keys in order, set elements. */
function domainKeys(d: unknown, isSet: boolean): unknown[] {
  if (Array.isArray(d)) return isSet ? d : d.map((_x, i) => i);
  if (isPlainObject(d)) return Object.keys(d).sort();
  return [];
}

function probeAll(
  sources: FailureLineSource[],
  tests: TestRule[],
  data: string,
  opts: { regoVersion: "v0" | "v1"; fuel?: number; timeoutMs?: number },
  withValues: boolean,
): Map<TestRule, FailureLine | undefined> {
  const extra = new Map<string, string>();
  const queries: Probes["queries"] = [];
  tests.forEach((t, n) => {
    const src = sources.find((s) => s.file === t.loc.file)!;
    const p = probeRules(src, t, n, withValues);
    extra.set(src.file, (extra.get(src.file) ?? "") + p.rules);
    queries.push(...p.queries);
  });
  const wasm = compile({
    modules: sources.map((s) => ({ file: s.file, text: s.text + (extra.get(s.file) ?? ""), regoVersion: s.regoVersion })),
    queries,
    regoVersion: opts.regoVersion,
  });
  const module = loadModule(wasm, { fuel: opts.fuel, timeoutMs: opts.timeoutMs });
  module.setData(new RawJson(data));
  const solutions = (q: string): unknown[] => {
    startEvaluation();
    const rows = module.evaluate(undefined, q) as Record<string, unknown>[];
    const v = rows[0]?.["__r"];
    return Array.isArray(v) ? v : [];
  };
  /** The expression inside an `every` that failed first, with the bindings before it. */
  const everyFailure = (inner: Body, setDomain: boolean, q: string): { expr: Expr; bindings: Record<string, unknown> } | undefined => {
    const dom = solutions(`${q}dom`)[0];
    const rows = inner.map((_x, j) => solutions(`${q}_${j}`)).concat([solutions(`${q}_${inner.length}`)]);
    const has = (j: number, key: unknown) => rows[j]!.some((r) => isPlainObject(r) && JSON.stringify(r["__key"]) === JSON.stringify(key));
    // A set's elements come back as an array, in the set's order; every visits them as they are.
    for (const key of domainKeys(dom, setDomain || (Array.isArray(dom) && rows[0]!.some((r) => isPlainObject(r) && typeof r["__key"] !== "number")))) {
      if (has(inner.length, key)) continue;
      for (let j = 1; j <= inner.length; j++) {
        if (has(j, key)) continue;
        const row = rows[j - 1]!.find((r) => isPlainObject(r) && JSON.stringify(r["__key"]) === JSON.stringify(key)) as Record<string, unknown> | undefined;
        return { expr: inner[j - 1]!, bindings: row ?? {} };
      }
    }
    return undefined;
  };
  const out = new Map<TestRule, FailureLine | undefined>();
  tests.forEach((t, n) => {
    const src = sources.find((s) => s.file === t.loc.file)!;
    const body = t.rule.body;
    for (let i = 0; i < body.length; i++) {
      if (solutions(`t${n}d${i + 1}`).length > 0) continue;
      const e = body[i]!;
      if (e.expr.kind === "every" && !e.negated) {
        const inner = everyFailure(e.expr.body, e.expr.domain.type === "set" || e.expr.domain.type === "setcomprehension", `t${n}e${i + 1}`);
        if (inner) {
          out.set(t, lineOf(src.text, inner.expr, varsOf([inner.expr], nonLocalNames(src.parsed)), inner.bindings, withValues));
          return;
        }
      }
      const bindings = withValues ? solutions(`t${n}v${i + 1}`).at(-1) : undefined;
      const vars = varsOf([body[i]!], nonLocalNames(src.parsed));
      out.set(t, lineOf(src.text, body[i]!, vars, isPlainObject(bindings) ? (bindings as Record<string, unknown>) : {}, withValues));
      return;
    }
    out.set(t, undefined);
  });
  return out;
}

/** Rule names of the module's package and import aliases: names that are not local variables. */
function nonLocalNames(m: Module): Set<string> {
  const out = new Set<string>(["input", "data"]);
  for (const r of m.rules) {
    const first = r.head.ref.terms[0];
    if (first?.type === "var") out.add(first.name);
  }
  for (const imp of m.imports) {
    if (imp.alias) out.add(imp.alias);
    const last = imp.path.terms.at(-1);
    if (last?.type === "string") out.add(last.value);
    else if (last?.type === "var") out.add(last.name);
  }
  return out;
}

/** The variables of expressions in the order OPA's walkTestTerms meets them (comprehensions skipped). */
function varsOf(exprs: Body, nonLocals: Set<string>): { name: string; term: Term }[] {
  const out: { name: string; term: Term }[] = [];
  const walk = (t: Term): void => {
    switch (t.type) {
      case "var":
        if (t.name !== "_" && !nonLocals.has(t.name)) out.push({ name: t.name, term: t });
        return;
      case "ref":
        t.terms.forEach((x, i) => (i === 0 || x.type !== "string" ? walk(x) : undefined));
        return;
      case "array":
      case "set":
        t.items.forEach(walk);
        return;
      case "object":
        for (const [k, v] of t.items) {
          walk(k);
          walk(v);
        }
        return;
      case "call":
        t.args.forEach(walk);
        return;
      case "templatestring":
        for (const p of t.parts) if (p.type !== "expr") walk(p);
        return;
      default:
        return;
    }
  };
  for (const e of exprs) {
    const x = e.expr;
    if (x.kind === "term") walk(x.term);
    else if (x.kind === "call") x.args.forEach(walk);
    else if (x.kind === "some") x.symbols.forEach(walk);
    else walk(x.domain);
    for (const w of e.with) walk(w.value);
  }
  return out;
}

function tabsBefore(text: string, offset: number, col: number): number[] {
  const lineStart = offset - (col - 1);
  const tabs: number[] = [];
  for (let c = 1; c < col; c++) if (text[lineStart + c - 1] === "\t") tabs.push(c);
  return tabs;
}

function lineOf(text: string, e: Expr, vars: { name: string; term: Term }[], bindings: Record<string, unknown>, withValues: boolean): FailureLine {
  const seen = new Map<string, FailureVar>();
  for (const { name, term } of withValues ? vars : []) {
    const b = bindings[name];
    const value = typeof b === "string" ? b.slice(1, -1) : undefined;
    if (value === undefined && e.negated) continue;
    const prev = seen.get(name);
    if (prev && prev.value !== undefined) continue;
    seen.set(name, { name, row: term.loc.row, col: term.loc.col, tabs: tabsBefore(text, term.loc.offset, term.loc.col), ...(value !== undefined ? { value } : {}) });
  }
  return { file: e.loc.file, row: e.loc.row, col: e.loc.col, text: text.slice(e.loc.offset, e.loc.end), tabs: tabsBefore(text, e.loc.offset, e.loc.col), vars: [...seen.values()] };
}

/** The failure line's text block as OPA prints it (without the indentation the report adds). */
export function renderFailureLine(f: FailureLine): string[] {
  let expr = "";
  for (let c = 1; c < f.col; c++) expr += f.tabs.includes(c) ? "\t" : " ";
  const out = (expr + f.text).split("\n");
  if (f.vars.length === 0) return out;
  const rows = new Set(f.vars.map((v) => v.row));
  if (f.vars.some((v) => v.tabs.length > 0) && rows.size > 1) {
    // OPA cannot point at columns on several rows with tabs: it lists the values by name instead.
    const byName = [...f.vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    out.push("", "Where:");
    for (const v of byName) out.push("", `${v.name}: ${truncate(v.value ?? "undefined")}`);
    return out;
  }
  const byCol = [...f.vars].sort((a, b) => (a.col !== b.col ? a.col - b.col : a.row === b.row ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : b.row - a.row));
  out.push(arrows(byCol, -1));
  for (let i = byCol.length - 1; i >= 0; i--) out.push(arrows(byCol, i));
  return out;
}

/** One row of OPA's printArrows: a `|` under each variable, the value of the `at`-th in its place. */
function arrows(l: FailureVar[], at: number): string {
  let s = "";
  let prevCol = 0;
  let isFirst = true;
  const slice = at >= 0 ? l.slice(0, at + 1) : l;
  slice.forEach((info, i) => {
    const isLast = i >= slice.length - 1;
    const col = info.col;
    if (!isLast && col === l[i + 1]!.col) return;
    const spaces = i > 0 && !isFirst ? col - prevCol - 1 : col - 1;
    for (let j = 0; j < spaces; j++) s += info.tabs.includes(j + prevCol + 1) ? "\t" : " ";
    if (isLast && at >= 0) {
      const value = truncate(info.value ?? "undefined");
      const shared = (i > 0 && col === l[i - 1]!.col) || (i < l.length - 1 && col === l[i + 1]!.col);
      s += shared ? `${info.name}: ${value}` : value;
    } else s += "|";
    prevCol = col;
    isFirst = false;
  });
  return s;
}

function truncate(s: string): string {
  return s.length <= MAX_VALUE_WIDTH ? s : s.slice(0, MAX_VALUE_WIDTH - 3) + "...";
}
