/**
 * `opa fmt` for policyc: formats a Rego module in OPA's canonical layout (src/engine/rego/printer.ts
 * with the source at hand), and with `toV1` rewrites a v0 module to v1 as `opa fmt --v0-v1` does:
 * `if` before every body, `contains` for multi-value rules, `:=` heads, `future.keywords` and
 * `rego.v1` imports dropped (implied in v1). Like OPA, the rewrite refuses what v1 would reject and
 * formatting cannot fix: calls of built-ins removed in v1 (`any`, `all`, `re_match`, `set_diff`,
 * `cast_*`, `net.cidr_overlap`), an import declared twice and rules named `input` or `data`. Used by `policyc fmt` and `policyc import --rego-v1`.
 */
import { DiagnosticError, diag, type Diagnostic } from "../diagnostics/index.js";
import type { Module, RefTerm } from "./rego/ast.js";
import { parseModule } from "./rego/parser.js";
import { formatModule } from "./rego/printer.js";
import { refName } from "./compiler/ast-util.js";
import { BUILTINS } from "./compiler/builtins-table.js";
import { walkRule } from "./compiler/checks.js";
import { CompilerMessages as M, spanOf } from "./compiler/diagnostics.js";

export interface FormatRegoOptions {
  /** Shown in diagnostics. */
  file: string;
  /** The version the text is written in. */
  regoVersion: "v0" | "v1";
  /** Rewrite a v0 module to v1 (`opa fmt --v0-v1`); a v1 module is only formatted. */
  toV1?: boolean;
}

/** The formatted text. Throws `DiagnosticError` when the text does not parse or cannot become v1. */
export function formatRego(text: string, opts: FormatRegoOptions): string {
  const module = parseModule(text, { file: opts.file, regoVersion: opts.regoVersion });
  const target = opts.toV1 ? "v1" : opts.regoVersion;
  if (target === "v1" && opts.regoVersion === "v0") {
    const problems = v1Problems(module);
    if (problems.length > 0) throw new DiagnosticError(problems);
  }
  return formatModule(module, { regoVersion: target }, text);
}

/** What Rego v1 rejects in a v0 module and a rewrite cannot fix (OPA's rego-v1 check). */
export function v1Problems(m: Module): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const imp of m.imports) {
    const key = `${refText(imp.path)} as ${imp.alias ?? ""}`;
    if (seen.has(key)) out.push(diag(M.duplicateImport, [refText(imp.path)], spanOf(imp.loc)));
    seen.add(key);
  }
  for (const rule of m.rules) {
    const root = rule.head.ref.terms[0];
    if (root?.type === "var" && (root.name === "input" || root.name === "data")) out.push(diag(M.reservedRuleName, [root.name], spanOf(rule.loc)));
    walkRule(
      rule,
      (op, _n, loc) => {
        const name = refName(op);
        if (name !== undefined && BUILTINS.get(name)?.deprecated) out.push(diag(M.deprecatedBuiltin, [name], spanOf(loc)));
      },
      () => {},
    );
  }
  return out.sort((a, b) => (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.col ?? 0) - (b.span?.col ?? 0));
}

function refText(r: RefTerm): string {
  return r.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "?")).join(".");
}
