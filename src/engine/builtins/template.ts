/**
 * `strings.render_template`: the part of Go's text/template that policies use — `{{.a.b}}` fields,
 * `$variables`, `{{if}}`/`{{else}}`, `{{range $i, $v := ...}}`, `{{- trim -}}` markers. Missing keys
 * print `<undefined>`, as OPA configures its template engine.
 */
import { type Value, isArray, isObject, isSet, objectEntries, objectGet, toFloat, isNumber } from "./value.js";
import { regoText, numberText } from "./format.js";
import type { Builtin } from "./tagged.js";

type Node =
  | { kind: "text"; text: string }
  | { kind: "out"; expr: string }
  | { kind: "if"; expr: string; then: Node[]; else: Node[] }
  | { kind: "range"; expr: string; keyVar?: string; valVar?: string; body: Node[]; else: Node[] };

const MISSING = Symbol("missing");
type Val = Value | typeof MISSING;

function tokenize(src: string): ({ text: string } | { action: string })[] {
  const out: ({ text: string } | { action: string })[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let a = open + 2;
    if (src[a] === "-" && src[a + 1] === " ") {
      text = text.replace(/\s+$/, "");
      a += 2;
    }
    if (text) out.push({ text });
    const close = src.indexOf("}}", a);
    if (close < 0) throw new Error("unclosed action");
    let action = src.slice(a, close);
    i = close + 2;
    if (action.endsWith(" -")) {
      action = action.slice(0, -2);
      while (i < src.length && /\s/.test(src[i]!)) i++;
    }
    out.push({ action: action.trim() });
  }
  return out;
}

function parse(tokens: ({ text: string } | { action: string })[]): Node[] {
  let pos = 0;
  const block = (stops: string[]): [Node[], string] => {
    const nodes: Node[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos++]!;
      if ("text" in t) {
        nodes.push({ kind: "text", text: t.text });
        continue;
      }
      const a = t.action;
      const word = a.split(/\s+/)[0]!;
      if (stops.includes(word)) return [nodes, a];
      if (word === "if") {
        const [then, end] = block(["else", "end"]);
        let els: Node[] = [];
        if (end.startsWith("else")) [els] = block(["end"]);
        nodes.push({ kind: "if", expr: a.slice(2).trim(), then, else: els });
      } else if (word === "range") {
        const spec = a.slice(5).trim();
        const m = /^(\$\w+)\s*(?:,\s*(\$\w+))?\s*:=\s*(.+)$/.exec(spec);
        const [body, end] = block(["else", "end"]);
        let els: Node[] = [];
        if (end.startsWith("else")) [els] = block(["end"]);
        if (m) nodes.push({ kind: "range", expr: m[3]!, keyVar: m[2] ? m[1] : undefined, valVar: m[2] ?? m[1], body, else: els });
        else nodes.push({ kind: "range", expr: spec, body, else: els });
      } else if (a.startsWith("/*")) {
        continue;
      } else nodes.push({ kind: "out", expr: a });
    }
    if (stops.length) throw new Error("unexpected end of template");
    return [nodes, ""];
  };
  return block([])[0];
}

function lookup(base: Val, path: string[]): Val {
  let cur = base;
  for (const p of path) {
    if (cur === MISSING || !isObject(cur)) return MISSING;
    const v = objectGet(cur, p);
    cur = v === undefined ? MISSING : v;
  }
  return cur;
}

function evalExpr(expr: string, dot: Val, vars: Map<string, Val>): Val {
  const e = expr.trim();
  if (e === ".") return dot;
  if (e.startsWith(".")) return lookup(dot, e.slice(1).split("."));
  if (e.startsWith("$")) {
    const [name, ...rest] = e.split(".");
    const v = vars.get(name!);
    return v === undefined ? MISSING : lookup(v, rest);
  }
  if (/^-?\d+(\.\d+)?$/.test(e)) return Number(e);
  if (/^".*"$/.test(e)) return JSON.parse(e) as string;
  if (e === "true" || e === "false") return e === "true";
  throw new Error(`unsupported template expression ${e}`);
}

function truthy(v: Val): boolean {
  if (v === MISSING || v === null || v === false) return false;
  if (isNumber(v)) return toFloat(v) !== 0;
  if (typeof v === "string") return v !== "";
  if (isArray(v)) return v.length > 0;
  if (isSet(v)) return v.size > 0;
  if (isObject(v)) return objectEntries(v).length > 0;
  return true;
}

function show(v: Val): string {
  if (v === MISSING) return "<undefined>";
  if (typeof v === "string") return v;
  if (isNumber(v)) return numberText(v);
  if (v === null) return "<nil>";
  return regoText(v);
}

function run(nodes: Node[], dot: Val, vars: Map<string, Val>): string {
  let out = "";
  for (const n of nodes) {
    switch (n.kind) {
      case "text":
        out += n.text;
        break;
      case "out":
        out += show(evalExpr(n.expr, dot, vars));
        break;
      case "if":
        out += run(truthy(evalExpr(n.expr, dot, vars)) ? n.then : n.else, dot, vars);
        break;
      case "range": {
        const coll = evalExpr(n.expr, dot, vars);
        const entries: [Value, Value][] =
          coll === MISSING ? [] : isArray(coll) ? coll.map((v, i) => [i, v]) : isSet(coll) ? coll.items.map((v, i) => [i, v]) : isObject(coll) ? objectEntries(coll) : [];
        if (entries.length === 0) {
          out += run(n.else, dot, vars);
          break;
        }
        for (const [k, v] of entries) {
          const scope = new Map(vars);
          if (n.keyVar) scope.set(n.keyVar, k);
          if (n.valVar) scope.set(n.valVar, v);
          out += run(n.body, v, scope);
        }
        break;
      }
    }
  }
  return out;
}

export const templateBuiltins: Record<string, Builtin> = {
  "strings.render_template": (tpl, vars) => {
    if (typeof tpl !== "string" || !isObject(vars)) return undefined;
    return run(parse(tokenize(tpl)), vars, new Map([["$", vars]]));
  },
};
