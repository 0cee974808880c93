/**
 * `strings.render_template`: Go's text/template over the variables as OPA hands them to it (JSON
 * values: objects are maps, numbers are `json.Number` text). Actions: `{{pipeline}}` output,
 * `{{- trim -}}` markers, comment actions, `if`/`else if`/`else`, `range` (with `$i, $v :=`,
 * `else`, `break`, `continue`), `with`/`else`, variables (`$x := ...`, `$x = ...`), pipelines with
 * `|`, parenthesised pipelines, and the functions Go predefines (`and`, `or`, `not`, `len`, `index`,
 * `slice`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `print`, `printf`, `println`, `html`, `js`, `urlquery`).
 * Values print as Go's `%v` prints them (`map[a:1]`, `[x y]`, `<nil>`); a missing key prints
 * `<undefined>`, as OPA's template output shows it. Named templates: `{{define "n"}}` (top level
 * only), `{{template "n" pipeline}}` (the named template with dot and `$` set to the pipeline's
 * value, nil without one) and `{{block "n" pipeline}}...{{end}}` (a definition executed in place);
 * two non-empty definitions of one name are an error, as in Go, and calls nest at most
 * MAX_TEMPLATE_DEPTH deep. An error makes the call undefined.
 */
import { type Value, isArray, isObject, isSet, objectEntries, objectGet, isNumber, equal, compare } from "./value.js";
import { numberText } from "./format.js";
import { sprintf } from "./sprintf.js";
import type { Builtin } from "./tagged.js";
import { charge } from "./budget.js";

/** Go allows 100,000 nested template calls; policyc stops earlier, before the JavaScript stack does. */
const MAX_TEMPLATE_DEPTH = 1000;

const MISSING = Symbol("missing");

/** A Go int made by the template itself (range index, `len`, literals): unlike data numbers, 0 is false. */
class GoInt {
  constructor(readonly n: number) {}
}
type Val = Value | GoInt | typeof MISSING;

type Operand =
  | { kind: "dot"; fields: string[] }
  | { kind: "var"; name: string; fields: string[] }
  | { kind: "lit"; value: Value | GoInt }
  | { kind: "ident"; name: string }
  | { kind: "group"; pipe: Pipeline; fields: string[] };
type Command = Operand[];
interface Pipeline {
  decl?: { vars: string[]; assign: boolean };
  cmds: Command[];
}
type Node =
  | { kind: "text"; text: string }
  | { kind: "out"; pipe: Pipeline }
  | { kind: "if" | "with"; pipe: Pipeline; then: Node[]; else: Node[] }
  | { kind: "range"; pipe: Pipeline; body: Node[]; else: Node[] }
  | { kind: "template"; name: string; pipe?: Pipeline }
  | { kind: "break" | "continue" };

/** A parsed template: the main body and the named definitions. */
interface Parsed {
  main: Node[];
  defs: Map<string, Node[]>;
}

// ---------------------------------------------------------------------------------------------
// Lexing: text and actions, then the words of an action

type Tok = { text: string } | { action: string };

function splitActions(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf("{{", i);
    if (open < 0) {
      out.push({ text: src.slice(i) });
      break;
    }
    let text = src.slice(i, open);
    let a = open + 2;
    if (src[a] === "-" && /\s/.test(src[a + 1] ?? "")) {
      text = text.replace(/\s+$/, "");
      a += 2;
    }
    if (text) out.push({ text });
    let j = a;
    let quote = "";
    for (; j < src.length; j++) {
      const c = src[j]!;
      if (quote) {
        if (c === "\\" && quote !== "`") j++;
        else if (c === quote) quote = "";
      } else if (c === '"' || c === "`" || c === "'") quote = c;
      else if (src.startsWith("}}", j)) break;
    }
    if (j >= src.length) throw new Error("template: unclosed action");
    let action = src.slice(a, j);
    i = j + 2;
    if (/\s-$/.test(action)) {
      action = action.slice(0, -2);
      while (i < src.length && /\s/.test(src[i]!)) i++;
    }
    out.push({ action: action.trim() });
  }
  return out;
}

function words(action: string): string[] {
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)'|:=|=|\||\(|\)|,|[^\s|(),=:]+(?::[^\s|(),=]+)?)/gy;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  while (re.lastIndex < action.length && (m = re.exec(action))) out.push(m[1]!);
  if (action.slice(re.lastIndex).trim()) throw new Error(`template: bad action ${action}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

function fieldsOf(w: string): string[] {
  return w.split(".").slice(1).filter((f) => f !== "");
}

function parsePipeline(ws: string[]): Pipeline {
  let k = 0;
  const pipe: Pipeline = { cmds: [] };
  const declEnd = ws.findIndex((w) => w === ":=" || w === "=");
  if (declEnd > 0 && ws.slice(0, declEnd).every((w) => w === "," || /^\$\w*$/.test(w))) {
    pipe.decl = { vars: ws.slice(0, declEnd).filter((w) => w !== ","), assign: ws[declEnd] === "=" };
    k = declEnd + 1;
  }
  const operand = (): Operand => {
    const w = ws[k++];
    if (w === undefined) throw new Error("template: missing value");
    if (w === "(") {
      let depth = 1;
      const start = k;
      while (k < ws.length && depth > 0) {
        if (ws[k] === "(") depth++;
        else if (ws[k] === ")") depth--;
        k++;
      }
      if (depth !== 0) throw new Error("template: unclosed (");
      const inner = parsePipeline(ws.slice(start, k - 1));
      const fields = ws[k]?.startsWith(".") ? fieldsOf(ws[k++]!) : [];
      return { kind: "group", pipe: inner, fields };
    }
    if (w === "." || w.startsWith(".")) return { kind: "dot", fields: fieldsOf(w) };
    if (w.startsWith("$")) {
      const [name, ...rest] = w.split(".");
      return { kind: "var", name: name!, fields: rest };
    }
    if (w.startsWith('"')) return { kind: "lit", value: JSON.parse(w) as string };
    if (w.startsWith("`")) return { kind: "lit", value: w.slice(1, -1) };
    if (w.startsWith("'")) return { kind: "lit", value: (JSON.parse(`"${w.slice(1, -1)}"`) as string).codePointAt(0)! };
    if (w === "true" || w === "false") return { kind: "lit", value: w === "true" };
    if (w === "nil") return { kind: "lit", value: null };
    if (/^[-+]?(\d|\.\d)/.test(w)) {
      const n = Number(w.replace(/_/g, ""));
      if (Number.isNaN(n)) throw new Error(`template: bad number ${w}`);
      return { kind: "lit", value: Number.isInteger(n) ? new GoInt(n) : n };
    }
    if (/^[A-Za-z_]\w*$/.test(w)) return { kind: "ident", name: w };
    throw new Error(`template: unexpected ${w}`);
  };
  let cmd: Command = [];
  while (k < ws.length) {
    if (ws[k] === "|") {
      if (cmd.length === 0) throw new Error("template: missing command");
      pipe.cmds.push(cmd);
      cmd = [];
      k++;
      continue;
    }
    cmd.push(operand());
  }
  if (cmd.length === 0) throw new Error("template: missing value");
  pipe.cmds.push(cmd);
  return pipe;
}

function parse(toks: Tok[]): Parsed {
  let pos = 0;
  const defs = new Map<string, Node[]>();
  // Go's Tree.add: a definition replaces an empty one; two non-empty ones are an error.
  const define = (name: string, body: Node[]) => {
    const old = defs.get(name);
    if (old && !isEmpty(old) && !isEmpty(body)) throw new Error(`template: multiple definition of template "${name}"`);
    if (!old || isEmpty(old)) defs.set(name, body);
  };
  const templateName = (w: string | undefined, head: string): string => {
    if (w === undefined || !(w.startsWith('"') || w.startsWith("`"))) throw new Error(`template: unexpected ${w ?? "end of action"} in ${head} clause`);
    return w.startsWith('"') ? (JSON.parse(w) as string) : w.slice(1, -1);
  };
  // Parses nodes until one of `stops` (returns the stop's words); `top`: where {{define}} may stand.
  const block = (stops: string[], top = false): [Node[], string[]] => {
    const nodes: Node[] = [];
    while (pos < toks.length) {
      const t = toks[pos++]!;
      if ("text" in t) {
        nodes.push({ kind: "text", text: t.text });
        continue;
      }
      if (t.action.startsWith("/*")) continue;
      const ws = words(t.action);
      const head = ws[0];
      if (head === undefined) throw new Error("template: empty action");
      if (stops.includes(head)) return [nodes, ws];
      if (head === "if" || head === "with" || head === "range") {
        nodes.push(control(head, ws.slice(1)));
      } else if (head === "break" || head === "continue") {
        nodes.push({ kind: head });
      } else if (head === "define" && top) {
        const name = templateName(ws[1], "define");
        if (ws.length > 2) throw new Error(`template: unexpected ${ws[2]} in define clause`);
        define(name, block(["end"])[0]);
      } else if (head === "template") {
        const name = templateName(ws[1], "template");
        nodes.push(ws.length > 2 ? { kind: "template", name, pipe: parsePipeline(ws.slice(2)) } : { kind: "template", name });
      } else if (head === "block") {
        const name = templateName(ws[1], "block");
        if (ws.length <= 2) throw new Error("template: missing value for block clause");
        const pipe = parsePipeline(ws.slice(2));
        define(name, block(["end"])[0]);
        nodes.push({ kind: "template", name, pipe });
      } else if (head === "define" || head === "end" || head === "else") {
        throw new Error(`template: unexpected {{${head}}}`);
      } else nodes.push({ kind: "out", pipe: parsePipeline(ws) });
    }
    if (stops.length) throw new Error("template: unexpected EOF");
    return [nodes, []];
  };
  const control = (kind: "if" | "with" | "range", ws: string[]): Node => {
    const pipe = parsePipeline(ws);
    const [then, stop] = block(["else", "end"]);
    let els: Node[] = [];
    if (stop[0] === "else") {
      // `{{else if ...}}` / `{{else with ...}}` chain into a nested control that ends at our {{end}}.
      if (stop[1] === "if" || stop[1] === "with") els = [control(stop[1], stop.slice(2))];
      else [els] = block(["end"]);
    }
    if (kind === "range") return { kind, pipe, body: then, else: els };
    return { kind, pipe, then, else: els };
  };
  const main = block([], true)[0];
  return { main, defs };
}

/** Go's IsEmptyTree: nothing but whitespace text. */
function isEmpty(nodes: Node[]): boolean {
  return nodes.every((n) => n.kind === "text" && n.text.trim() === "");
}

// ---------------------------------------------------------------------------------------------
// Evaluation

class Scope {
  constructor(
    private readonly vars: Map<string, Val>,
    private readonly parent?: Scope,
  ) {}
  get(name: string): Val {
    if (this.vars.has(name)) return this.vars.get(name)!;
    if (this.parent) return this.parent.get(name);
    throw new Error(`template: undefined variable: ${name}`);
  }
  declare(name: string, v: Val): void {
    this.vars.set(name, v);
  }
  assign(name: string, v: Val): void {
    if (this.vars.has(name)) this.vars.set(name, v);
    else if (this.parent) this.parent.assign(name, v);
    else throw new Error(`template: undefined variable: ${name}`);
  }
  child(): Scope {
    return new Scope(new Map(), this);
  }
}

class Break {}
class Continue {}

function field(base: Val, fields: string[]): Val {
  let cur = base;
  for (const f of fields) {
    if (cur === MISSING || !isObject(cur)) return MISSING;
    const v = objectGet(cur, f);
    cur = v === undefined ? MISSING : v;
  }
  return cur;
}

/** Go's truth for the values OPA passes: numbers are `json.Number` text, so never empty. */
function truthy(v: Val): boolean {
  if (v === MISSING || v === null || v === false) return false;
  if (v instanceof GoInt) return v.n !== 0;
  if (typeof v === "string") return v !== "";
  if (isArray(v)) return v.length > 0;
  if (isSet(v)) return v.size > 0;
  if (isObject(v)) return objectEntries(v).length > 0;
  return true;
}

/** Go's `%v` of the decoded JSON value. */
function show(v: Val): string {
  if (v === MISSING) return "<undefined>";
  if (v instanceof GoInt) return String(v.n);
  if (typeof v === "string") return v;
  if (isNumber(v)) return numberText(v);
  if (v === null) return "<nil>";
  if (typeof v === "boolean") return String(v);
  if (isArray(v)) return `[${v.map(show).join(" ")}]`;
  if (isSet(v)) return `[${v.items.map(show).join(" ")}]`;
  const entries = objectEntries(v).map(([k, x]) => [show(k), show(x)] as const);
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `map[${entries.map(([k, x]) => `${k}:${x}`).join(" ")}]`;
}

function lengthOf(v: Val): GoInt {
  return new GoInt(lengthOfValue(v));
}

function lengthOfValue(v: Val): number {
  if (typeof v === "string") return new TextEncoder().encode(v).length;
  if (isArray(v)) return v.length;
  if (isSet(v)) return v.size;
  if (v !== MISSING && !(v instanceof GoInt) && isObject(v)) return objectEntries(v).length;
  throw new Error(`template: len of ${show(v)}`);
}

function indexOf(v: Val, keys: Val[]): Val {
  let cur = v;
  for (const key of keys) {
    const k = plain(key);
    if (isArray(cur) && typeof k === "number") {
      if (!Number.isInteger(k) || k < 0 || k >= cur.length) throw new Error(`template: index out of range: ${k}`);
      cur = cur[k]!;
    } else if (cur !== MISSING && !(cur instanceof GoInt) && isObject(cur)) {
      cur = objectGet(cur, k) ?? null;
    } else throw new Error(`template: can't index item of type ${typeof cur}`);
  }
  return cur;
}

function num(v: Val): number {
  if (v instanceof GoInt) return v.n;
  if (typeof v === "number") return v;
  if (isNumber(v)) return Number(numberText(v));
  throw new Error("template: incompatible types for comparison");
}

function cmp(a: Val, b: Val): number {
  if (typeof a === "string" && typeof b === "string") return compare(a, b);
  return num(a) - num(b);
}

const plain = (v: Val): Value => (v === MISSING ? null : v instanceof GoInt ? v.n : v);

const FUNCS: Record<string, (args: Val[]) => Val> = {
  not: ([a]) => !truthy(a!),
  len: ([a]) => lengthOf(a!),
  index: ([a, ...ks]) => indexOf(a!, ks),
  slice: ([a, i = 0, j]) => {
    if (typeof a === "string") return a.slice(num(i), j === undefined ? undefined : num(j));
    if (isArray(a)) return a.slice(num(i), j === undefined ? undefined : num(j));
    throw new Error("template: can't slice");
  },
  eq: ([a, ...bs]) => bs.some((b) => equal(plain(a!), plain(b))),
  ne: ([a, b]) => !equal(plain(a!), plain(b!)),
  lt: ([a, b]) => cmp(a!, b!) < 0,
  le: ([a, b]) => cmp(a!, b!) <= 0,
  gt: ([a, b]) => cmp(a!, b!) > 0,
  ge: ([a, b]) => cmp(a!, b!) >= 0,
  // Go's fmt.Sprint adds spaces only between operands when neither is a string.
  print: (args) => args.map((a, i) => (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string" ? " " : "") + show(a)).join(""),
  println: (args) => args.map(show).join(" ") + "\n",
  printf: ([f, ...args]) => {
    const r = sprintf(String(plain(f!)), args.map(plain));
    if (r === undefined) throw new Error("template: printf");
    return r;
  },
  html: (args) => String(FUNCS.print!(args)).replace(/[&'<>"\0]/g, (c) => ({ "&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\uFFFD" })[c]!),
  js: (args) =>
    String(FUNCS.print!(args)).replace(/[\\'"<>&=]/g, (c) => ({ "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D" })[c]!),
  urlquery: (args) => encodeURIComponent(String(FUNCS.print!(args))).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
};

function evalOperand(o: Operand, dot: Val, scope: Scope): Val {
  switch (o.kind) {
    case "dot":
      return field(dot, o.fields);
    case "var":
      return field(scope.get(o.name), o.fields);
    case "lit":
      return o.value;
    case "group":
      return field(evalPipeline(o.pipe, dot, scope), o.fields);
    case "ident":
      return callFunc(o.name, [], dot, scope);
  }
}

function callFunc(name: string, args: Operand[], dot: Val, scope: Scope, final?: Val): Val {
  // and/or evaluate their operands lazily and return the deciding one.
  if (name === "and" || name === "or") {
    const vals = args.map((a) => () => evalOperand(a, dot, scope));
    if (final !== undefined) vals.push(() => final);
    if (vals.length === 0) throw new Error(`template: wrong number of args for ${name}`);
    let v: Val = MISSING;
    for (const f of vals) {
      v = f();
      if (truthy(v) !== (name === "and")) return v;
    }
    return v;
  }
  const fn = FUNCS[name];
  if (!fn) throw new Error(`template: function "${name}" not defined`);
  const vals = args.map((a) => evalOperand(a, dot, scope));
  if (final !== undefined) vals.push(final);
  return fn(vals);
}

function evalPipeline(p: Pipeline, dot: Val, scope: Scope): Val {
  let v: Val | undefined;
  for (const cmd of p.cmds) {
    const head = cmd[0]!;
    if (head.kind === "ident") v = callFunc(head.name, cmd.slice(1), dot, scope, v);
    else if (cmd.length > 1 || v !== undefined) throw new Error("template: can't give argument to non-function");
    else v = evalOperand(head, dot, scope);
  }
  if (p.decl) {
    for (const name of p.decl.vars) {
      if (p.decl.assign) scope.assign(name, v!);
      else scope.declare(name, v!);
    }
  }
  return v!;
}

interface Exec {
  defs: Map<string, Node[]>;
  depth: number;
}

function run(nodes: Node[], dot: Val, scope: Scope, out: string[], ex: Exec): void {
  for (const n of nodes) {
    charge(1, "strings.render_template");
    switch (n.kind) {
      case "text":
        out.push(n.text);
        break;
      case "out": {
        const v = evalPipeline(n.pipe, dot, scope);
        if (!n.pipe.decl) out.push(show(v));
        break;
      }
      case "if":
      case "with": {
        const inner = scope.child();
        const v = evalPipeline(n.pipe, dot, inner);
        if (truthy(v)) run(n.then, n.kind === "with" ? v : dot, inner, out, ex);
        else run(n.else, dot, inner, out, ex);
        break;
      }
      case "range": {
        const inner = scope.child();
        const decl = n.pipe.decl;
        const coll = evalPipeline({ cmds: n.pipe.cmds }, dot, inner);
        let entries: [Value | GoInt, Value][];
        if (coll === MISSING || coll === null) entries = [];
        else if (coll instanceof GoInt) throw new Error(`template: range can't iterate over ${coll.n}`);
        else if (isArray(coll)) entries = coll.map((v, i) => [new GoInt(i), v]);
        else if (isSet(coll)) entries = coll.items.map((v, i) => [new GoInt(i), v]);
        else if (isObject(coll)) entries = objectEntries(coll).sort((a, b) => compare(a[0], b[0]));
        else throw new Error(`template: range can't iterate over ${show(coll)}`);
        if (entries.length === 0) {
          run(n.else, dot, inner, out, ex);
          break;
        }
        for (const [k, v] of entries) {
          const body = inner.child();
          if (decl?.vars.length === 1) body.declare(decl.vars[0]!, v);
          else if (decl && decl.vars.length >= 2) {
            body.declare(decl.vars[0]!, k);
            body.declare(decl.vars[1]!, v);
          }
          try {
            run(n.body, v, body, out, ex);
          } catch (e) {
            if (e instanceof Break) break;
            if (!(e instanceof Continue)) throw e;
          }
        }
        break;
      }
      case "template": {
        const body = ex.defs.get(n.name);
        if (!body) throw new Error(`template: no template "${n.name}" associated with template "strings.render_template"`);
        if (ex.depth >= MAX_TEMPLATE_DEPTH) throw new Error(`template: exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
        // The named template sees only its argument: as dot and as $.
        const arg: Val = n.pipe ? evalPipeline(n.pipe, dot, scope) : null;
        ex.depth++;
        try {
          run(body, arg, new Scope(new Map<string, Val>([["$", arg]])), out, ex);
        } finally {
          ex.depth--;
        }
        break;
      }
      case "break":
        throw new Break();
      case "continue":
        throw new Continue();
    }
  }
}

export const templateBuiltins: Record<string, Builtin> = {
  "strings.render_template": (tpl, vars) => {
    if (typeof tpl !== "string" || !isObject(vars)) return undefined;
    const out: string[] = [];
    const parsed = parse(splitActions(tpl));
    run(parsed.main, vars, new Scope(new Map<string, Val>([["$", vars]])), out, { defs: parsed.defs, depth: 0 });
    return out.join("");
  },
};
