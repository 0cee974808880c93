/**
 * A `--dump` friendly text form of compiled modules: one line per rule (else links indented),
 * heads as full `data` refs, bodies in their reordered form with generated names visible. For
 * debugging the compiler, not for users' eyes or round-tripping.
 */
import type { Rule } from "../rego/ast.js";
import type { CompiledPolicy } from "./index.js";
import { bodyString, termString } from "./ast-util.js";

function ruleLine(r: Rule, indent: string): string {
  const h = r.head;
  let head = termString(h.ref);
  if (h.args) head += `(${h.args.map(termString).join(", ")})`;
  if (h.kind === "multi" && h.key) head += ` contains ${termString(h.key)}`;
  if (h.value) head += ` := ${termString(h.value)}`;
  const prefix = r.default ? "default " : "";
  const body = r.body.length ? ` if { ${bodyString(r.body)} }` : "";
  return `${indent}${prefix}${head}${body}`;
}

export function dumpCompiled(policy: CompiledPolicy): string {
  const out: string[] = [];
  for (const m of policy.modules) {
    out.push(`# ${m.file} (${m.regoVersion})`);
    for (const r of m.rules) {
      out.push(ruleLine(r, ""));
      for (let e = r.else; e; e = e.else) out.push(ruleLine(e, "  else "));
    }
  }
  return out.join("\n") + "\n";
}
