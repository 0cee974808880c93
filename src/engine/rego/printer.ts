/**
 * The Rego printer: formats an AST in the style of `opa fmt` (tabs, one expression per line,
 * rules separated by blank lines, `if`/`contains` in v1, `p[x] { }` heads in v0) using prettier's
 * doc builders, so long calls and collections wrap at the print width.
 *
 * It prints hand-built ASTs (no comments, arbitrary locations) as well as parsed ones. Hand-built
 * ones wrap long calls and collections at the print width. Parsed ones given with their source
 * (`formatSource`, `policyc fmt`) follow `opa fmt`'s layout rules instead, which keep the author's
 * line structure: a collection, call or comprehension is one line when its items were on one line,
 * otherwise one line per source row of items with a trailing comma; a single-expression body that
 * sat on the head's line stays there (`p if x`) and adjacent one-liners stay together; imports
 * are sorted within groups of adjacent lines; string literals keep their escapes; v1 heads use
 * `:=`. Comments are emitted before the statement, item or expression that follows them (blank
 * lines around comment blocks kept) and same-line trailing comments stay at the end of their line.
 * Printing never changes meaning: `parse(format(ast))` equals `ast` up to locations and the head
 * operator (tested over the corpora).
 */
import * as doc from "prettier/doc";
import type { Body, Comment, Expr, Import, Module, RefTerm, RegoVersion, Rule, RuleHead, Term, With } from "./ast.js";

type Doc = doc.builders.Doc;
const { group, indent, join, line, softline, hardline, ifBreak, lineSuffix } = doc.builders;

export interface FormatOptions {
  regoVersion: RegoVersion;
  /** Wrap width for long calls and collections (default 120). */
  printWidth?: number;
}

/** Infix operators: built-in name → [symbol, precedence]. Higher binds tighter. */
const INFIX: Record<string, [string, number]> = {
  eq: ["=", 0],
  assign: [":=", 0],
  "internal.member_2": ["in", 1],
  "internal.member_3": ["in", 1],
  equal: ["==", 2],
  neq: ["!=", 2],
  lt: ["<", 2],
  lte: ["<=", 2],
  gt: [">", 2],
  gte: [">=", 2],
  or: ["|", 3],
  and: ["&", 4],
  plus: ["+", 5],
  minus: ["-", 5],
  mul: ["*", 6],
  div: ["/", 6],
  rem: ["%", 6],
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORDS = new Set(["as", "contains", "default", "else", "every", "false", "if", "import", "in", "not", "null", "package", "some", "true", "with"]);

function operatorName(op: RefTerm): string | undefined {
  const parts: string[] = [];
  for (const [i, t] of op.terms.entries()) {
    if (i === 0 && t.type === "var") parts.push(t.name);
    else if (i > 0 && t.type === "string") parts.push(t.value);
    else return undefined;
  }
  return parts.join(".");
}

/** The infix symbol and precedence of a call, when it is printed as an operator. */
function infixOf(op: RefTerm, arity: number): [string, number] | undefined {
  const name = operatorName(op);
  if (name === undefined) return undefined;
  const info = INFIX[name];
  if (!info) return undefined;
  const want = name === "internal.member_3" ? 3 : 2;
  return arity === want ? info : undefined;
}

/** Where a term is printed; decides when parentheses are needed to read back the same tree. */
const Ctx = {
  /** Top of an expression, a `[...]` index, parentheses: anything goes. */
  Top: 0,
  /** An item of a call, array, set or object: `k, v in xs` and `a | b` need parentheses. */
  Item: 1,
} as const;
type Ctx = (typeof Ctx)[keyof typeof Ctx];

class Printer {
  private readonly comments: Comment[];
  private ci = 0;
  /** Argument lists of infix calls that must be printed in parentheses (see guardFirstExpr). */
  private readonly forceParens = new WeakSet<Term[]>();
  /** Print rules with `if`/`contains` (v1, or v0 with `import rego.v1`). */
  private readonly v1Rules: boolean;

  constructor(
    private readonly version: RegoVersion,
    comments: readonly Comment[] = [],
    v1Rules = version === "v1",
  ) {
    this.comments = [...comments].sort((a, b) => a.loc.offset - b.loc.offset);
    this.v1Rules = v1Rules;
  }

  // -------------------------------------------------------------------------------------------
  // Comments
  // -------------------------------------------------------------------------------------------

  /**
   * Comments that start before `offset`, each on its own line. With the source at hand, a blank
   * line between two comments, or between the last comment and the node (`nodeRow`), is kept.
   */
  private leading(offset: number, nodeRow?: number): Doc[] {
    const out: Doc[] = [];
    let prev: Comment | undefined;
    while (this.ci < this.comments.length && this.comments[this.ci]!.loc.offset < offset) {
      const c = this.comments[this.ci]!;
      if (this.source && prev && c.loc.row - prev.loc.row > 1) out.push(hardline);
      out.push(`#${c.text.trimEnd()}`, hardline);
      prev = c;
      this.ci++;
    }
    if (this.source && prev && nodeRow !== undefined && nodeRow - prev.loc.row > 1) out.push(hardline);
    return out;
  }

  /** A comment on the same row right after a node that ends at `end` on row `row`. */
  private trailing(row: number, end: number, src?: { nextOffset: number }): Doc {
    const c = this.comments[this.ci];
    if (c && c.loc.row === row && c.loc.offset >= end && (src === undefined || c.loc.offset < src.nextOffset)) {
      this.ci++;
      return lineSuffix(` #${c.text.trimEnd()}`);
    }
    return "";
  }

  private rest(): Doc[] {
    const out: Doc[] = [];
    if (this.source && this.ci < this.comments.length) out.push(hardline);
    let prev: Comment | undefined;
    while (this.ci < this.comments.length) {
      const c = this.comments[this.ci]!;
      if (prev && c.loc.row - prev.loc.row > 1) out.push(hardline);
      out.push(hardline, `#${c.text.trimEnd()}`);
      prev = c;
      this.ci++;
    }
    return out;
  }

  /** Whether a location is real source text (hand-built ASTs carry dummy locations). */
  private located(loc: { offset: number; end: number }): boolean {
    return this.source !== undefined && loc.offset >= 0 && loc.end > loc.offset;
  }

  /** The last row a node's text covers (locations store only the start row). */
  private endRow(loc: { row: number; offset: number; end: number }, src: string | undefined): number {
    if (!src) return loc.row;
    let row = loc.row;
    for (let i = loc.offset; i < loc.end && i < src.length; i++) if (src.charCodeAt(i) === 10) row++;
    return row;
  }

  // -------------------------------------------------------------------------------------------
  // Modules and rules
  // -------------------------------------------------------------------------------------------

  /** The text the module was parsed from, when known: used to keep blank lines inside bodies. */
  private source: string | undefined;

  module(m: Module, source?: string): Doc {
    this.source = source;
    const parts: Doc[] = [];
    parts.push(...this.leading(m.package.loc.offset));
    parts.push(["package ", this.packagePath(m.package.path)]);
    parts.push(this.trailing(m.package.loc.row, m.package.loc.end));
    const imports = this.importsFor(m);
    for (const group of this.importGroups(imports)) {
      // A blank line before each group (after the package or the previous group).
      for (const [j, imp] of group.entries()) {
        parts.push(hardline, j === 0 ? hardline : "", ...this.leading(imp.loc.offset, imp.loc.row));
        parts.push(this.import(imp), this.trailing(imp.loc.row, imp.loc.end));
      }
    }
    for (const [i, r] of m.rules.entries()) {
      const prev = m.rules[i - 1];
      const together = prev !== undefined && this.oneLiner(prev) && this.oneLiner(r) && r.loc.row === this.endRow(prev.loc, source) + 1;
      parts.push(hardline, together ? "" : hardline, ...this.leading(r.loc.offset, r.loc.row), this.rule(r));
      parts.push(this.trailing(this.endRow(r.loc, source), r.loc.end));
    }
    parts.push(...this.rest());
    parts.push(hardline);
    return parts;
  }

  /** v1 output drops `future.keywords` and `rego.v1` imports (they are implied), as `opa fmt --v1` does. */
  private importsFor(m: Module): Import[] {
    const imports = m.imports.filter((i) => {
      const root = i.path.terms[0];
      const isKeywordImport = root?.type === "var" && (root.name === "future" || root.name === "rego");
      return !(this.version === "v1" && isKeywordImport);
    });
    if (this.version === "v0" && !this.v1Rules) {
      const has = (name: string) =>
        imports.some((i) => {
          const p = i.path.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "?")).join(".");
          return p === "future.keywords" || p === `future.keywords.${name}`;
        });
      const needed = neededFutureKeywords(m);
      for (const k of ["contains", "every", "in"]) {
        if (needed.has(k) && !has(k) && !(k === "in" && has("every"))) {
          const loc = m.package.loc;
          imports.push({
            type: "import",
            path: { type: "ref", terms: [{ type: "var", name: "future", loc }, { type: "string", value: "keywords", loc }, { type: "string", value: k, loc }], loc },
            loc: { ...loc, offset: -1, end: -1 },
          });
        }
      }
    }
    return imports;
  }

  /**
   * `opa fmt` keeps imports in the groups their blank lines make, each group sorted by path and
   * alias. Hand-built and generated imports form one group, in their order.
   */
  private importGroups(imports: Import[]): Import[][] {
    if (!this.source) return imports.length > 0 ? [imports] : [];
    const groups: Import[][] = [];
    for (const imp of imports) {
      const group = groups[groups.length - 1];
      const last = group?.[group.length - 1];
      if (group && last && (!this.located(imp.loc) || !this.located(last.loc) || imp.loc.row - last.loc.row <= 1)) group.push(imp);
      else groups.push([imp]);
    }
    const key = (i: Import) => `${this.importPath(i)}\u0000${i.alias ?? ""}`;
    return groups.map((g) => [...g].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)));
  }

  private importPath(i: Import): string {
    return i.path.terms.map((t) => (t.type === "var" ? t.name : t.type === "string" ? t.value : "?")).join(".");
  }

  /**
   * A rule printed on one line, `p if x` (v1 output, one body expression on the head's own line in
   * the source): `opa fmt` keeps such rules on one line and adjacent ones without a blank line.
   */
  private oneLiner(r: Rule): boolean {
    if (!this.source || !this.v1Rules || r.default || r.else || r.body.length !== 1) return false;
    const e = r.body[0]!;
    if (!this.located(e.loc) || !this.located(r.head.loc)) return false;
    const setTerm = !e.negated && e.expr.kind === "term" && e.expr.term.type === "set";
    return !setTerm && e.loc.row === this.endRow(r.head.loc, this.source);
  }

  private packagePath(path: RefTerm): Doc {
    // `data.a.b` is written `a.b`; the first element is a name even when it is a keyword.
    const terms = path.terms.slice(1);
    const first = terms[0];
    if (!first || first.type !== "string") return this.ref(path);
    return [first.value, ...terms.slice(1).map((t) => this.refElement(t))];
  }

  private import(imp: Import): Doc {
    // `future.keywords.in` names a keyword on purpose: never bracketed.
    const path = this.importPath(imp).startsWith("future.") ? this.importPath(imp) : this.ref(imp.path);
    return ["import ", path, imp.alias ? ` as ${imp.alias}` : ""];
  }

  rule(r: Rule): Doc {
    const h = r.head;
    if (r.default) {
      return ["default ", this.headRef(h), this.headArgs(h), h.value ? [this.assignOp(h.assign), this.term(h.value, Ctx.Top)] : ""];
    }
    if (this.oneLiner(r)) {
      this.guardFirstExpr(r.body[0]!);
      return [this.head(h), " if ", this.expr(r.body[0]!)];
    }
    // Only the last body of an else chain may flush trailing comments up to the rule's end.
    const endOf = (x: Rule) => (x.else ? x.else.loc.offset : r.loc.end);
    const out: Doc[] = [this.head(h), this.ruleBody(r.body, endOf(r))];
    let e = r.else;
    while (e) {
      out.push(" else");
      if (e.head.value) out.push(this.assignOp(e.head.assign), this.term(e.head.value, Ctx.Top));
      if (e.body.length > 0) out.push(this.ruleBody(e.body, endOf(e)));
      else if (!e.head.value) out.push(this.v1Rules ? " if { true }" : " { true }");
      e = e.else;
    }
    return out;
  }

  /** The head's operator: as written in v0, `:=` in v1 (as `opa fmt` enforces for v1 output). */
  private assignOp(assign: boolean): string {
    return assign || this.version === "v1" ? " := " : " = ";
  }

  private headRef(h: RuleHead): Doc {
    return this.ref(h.ref);
  }

  private headArgs(h: RuleHead): Doc {
    return h.args ? this.list("(", ")", h.args) : "";
  }

  private head(h: RuleHead): Doc {
    if (h.kind === "multi") {
      const key = h.key ?? { type: "boolean", value: true, loc: h.loc };
      if (this.v1Rules || h.ref.terms.length > 1) return [this.headRef(h), " contains ", this.term(key, Ctx.Top)];
      return [this.headRef(h), "[", this.term(key, Ctx.Top), "]"];
    }
    const out: Doc[] = [this.headRef(h), this.headArgs(h)];
    if (h.value) out.push(this.assignOp(h.assign), this.term(h.value, Ctx.Top));
    else if (!this.v1Rules && !h.args && h.ref.terms.length === 2) {
      // v0 reads `p[x] { }` as a partial set; a single-value `p[x]` must spell its value.
      out.push(" = true");
    }
    return out;
  }

  private ruleBody(body: Body, endOffset: number | undefined): Doc {
    if (body.length === 0) return "";
    if (this.v1Rules) this.guardFirstExpr(body[0]!);
    return [this.v1Rules ? " if " : " ", this.block(body, endOffset)];
  }

  /**
   * OPA reads `if { ... }` first as one literal: `p if {\n x | y \n}` would come back as a set
   * comprehension. When the first expression starts with `term |`, parenthesize that `|`.
   */
  private guardFirstExpr(e: Expr): void {
    const b = e.expr;
    let cur: { op: RefTerm; args: Term[] } | undefined =
      b.kind === "call" ? { op: b.operator, args: b.args } : b.kind === "term" && b.term.type === "call" ? { op: b.term.operator, args: b.term.args } : undefined;
    while (cur && infixOf(cur.op, cur.args.length)) {
      if (operatorName(cur.op) === "or") {
        this.forceParens.add(cur.args);
        return;
      }
      const left: Term | undefined = cur.args[0];
      cur = left?.type === "call" ? { op: left.operator, args: left.args } : undefined;
    }
  }

  /** `{`, one expression per line, `}`. */
  block(body: Body, endOffset?: number): Doc {
    return ["{", this.blockLines(body, endOffset), hardline, "}"];
  }

  /** The indented lines of a block: one expression per line, comments and blank lines kept. */
  private blockLines(body: Body, endOffset?: number): Doc {
    const lines: Doc[] = [];
    for (const [i, e] of body.entries()) {
      const next = body[i + 1];
      const prev = body[i - 1];
      // One blank line where the source had at least one between two expressions (as opa fmt).
      if (prev && this.source && prev.loc.end <= e.loc.offset && /\n[ \t\r]*\n/.test(this.source.slice(prev.loc.end, e.loc.offset))) {
        lines.push(hardline);
      }
      lines.push(hardline, ...this.leading(e.loc.offset, e.loc.row), this.expr(e), this.trailing(e.loc.row, e.loc.end, next ? { nextOffset: next.loc.offset } : undefined));
    }
    // Comments after the last expression, before the closing brace.
    if (endOffset !== undefined) {
      while (this.ci < this.comments.length && this.comments[this.ci]!.loc.offset < endOffset) {
        lines.push(hardline, `#${this.comments[this.ci]!.text}`);
        this.ci++;
      }
    }
    return indent(lines);
  }

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  expr(e: Expr): Doc {
    const b = e.expr;
    let d: Doc;
    switch (b.kind) {
      case "term":
        d = this.term(b.term, Ctx.Top);
        break;
      case "call":
        d = this.call(b.operator, b.args, Ctx.Top, true);
        break;
      case "some":
        if (b.symbols.length === 1 && b.symbols[0]!.type === "call") d = ["some ", this.term(b.symbols[0]!, Ctx.Top)];
        else d = ["some ", join(", ", b.symbols.map((s) => this.term(s, Ctx.Top)))];
        break;
      case "every":
        d = [
          "every ",
          b.key ? [this.term(b.key, Ctx.Item), ", "] : "",
          this.term(b.value, Ctx.Item),
          " in ",
          this.operand(b.domain, 1, false),
          " ",
          this.block(b.body),
        ];
        break;
    }
    if (e.negated) d = ["not ", d];
    if (e.with.length > 0) d = [d, ...e.with.map((w) => this.with(w))];
    return d;
  }

  private with(w: With): Doc {
    return [" with ", this.ref(w.target), " as ", this.term(w.value, Ctx.Top)];
  }

  // -------------------------------------------------------------------------------------------
  // Terms
  // -------------------------------------------------------------------------------------------

  term(t: Term | Expr, ctx: Ctx): Doc {
    switch (t.type) {
      case "expr":
        return this.expr(t);
      case "null":
        return "null";
      case "boolean":
        return t.value ? "true" : "false";
      case "number":
        return t.value;
      case "string": {
        if (t.raw && !t.value.includes("`")) return `\`${t.value}\``;
        // As written (`opa fmt` keeps escapes such as "\u0000" or "\/").
        if (this.located(t.loc)) {
          const text = this.source!.slice(t.loc.offset, t.loc.end);
          if (/^"(?:[^"\\\n]|\\.)*"$/.test(text)) return text;
        }
        return JSON.stringify(t.value);
      }
      case "var":
        return t.name;
      case "ref":
        return this.ref(t);
      case "array":
        return this.list("[", "]", t.items, t.loc);
      case "set":
        return t.items.length === 0 ? "set()" : this.list("{", "}", t.items, t.loc);
      case "object":
        if (t.items.length === 0) return "{}";
        return this.items(
          "{",
          "}",
          t.items.map(([k, v]) => ({ loc: k.loc, print: () => [this.term(k, Ctx.Item), ": ", this.term(v, Ctx.Item)] })),
          t.loc,
        );
      case "arraycomprehension":
        return this.comprehension("[", "]", () => this.term(t.term, Ctx.Item), t.term.loc, t.body, t.loc);
      case "setcomprehension":
        return this.comprehension("{", "}", () => this.term(t.term, Ctx.Item), t.term.loc, t.body, t.loc);
      case "objectcomprehension":
        return this.comprehension("{", "}", () => [this.term(t.key, Ctx.Item), ": ", this.term(t.value, Ctx.Item)], t.key.loc, t.body, t.loc);
      case "call":
        return this.call(t.operator, t.args, ctx, false);
      case "templatestring":
        return this.template(t);
    }
  }

  private ref(r: RefTerm): Doc {
    const [head, ...rest] = r.terms;
    if (!head) return "";
    let h: Doc;
    if (head.type === "var") h = head.name;
    else if (head.type === "call") h = this.call(head.operator, head.args, Ctx.Item, false, true);
    else h = this.term(head, Ctx.Item);
    return [h, ...rest.map((t) => this.refElement(t))];
  }

  private refElement(t: Term): Doc {
    if (t.type === "string" && IDENT.test(t.value) && !this.bracketKeyword(t)) return `.${t.value}`;
    return ["[", this.term(t, Ctx.Top), "]"];
  }

  /**
   * A keyword as a ref element: v0 cannot read `x.in`; v1 can, but `opa fmt` keeps `x["in"]` as
   * written.
   */
  private bracketKeyword(t: Term & { type: "string" }): boolean {
    if (!KEYWORDS.has(t.value)) return false;
    if (this.version === "v0") return true;
    return this.located(t.loc) && this.source!.charCodeAt(t.loc.offset) === 34;
  }

  private call(op: RefTerm, args: Term[], ctx: Ctx, topLevel: boolean, asRefHead = false): Doc {
    const infix = infixOf(op, args.length);
    if (!infix) return [this.ref(op), this.list("(", ")", args, op.loc)];
    const [sym, prec] = infix;
    let d: Doc;
    if (args.length === 3) {
      d = [this.operand(args[0]!, 2, false), ", ", this.operand(args[1]!, 2, false), " in ", this.operand(args[2]!, 2, false)];
    } else {
      // Left-associative: the right operand needs parentheses at equal precedence.
      const lhs = this.operand(args[0]!, prec, false);
      const rhs = this.operand(args[1]!, prec, true);
      d = [lhs, ` ${sym} `, rhs];
    }
    const needParens =
      asRefHead ||
      this.forceParens.has(args) ||
      (!topLevel && prec === 0) ||
      (ctx === Ctx.Item && (prec === 1 || prec === 3));
    return needParens ? ["(", d, ")"] : d;
  }

  /** An operand of an infix operator of precedence `prec`. */
  private operand(t: Term, prec: number, right: boolean): Doc {
    if (t.type === "call") {
      const inner = infixOf(t.operator, t.args.length);
      if (inner) {
        const p = inner[1];
        const member3 = t.args.length === 3;
        if (p < prec || (right && p === prec) || member3 || p === 0) return ["(", this.call(t.operator, t.args, Ctx.Top, true), ")"];
        return this.call(t.operator, t.args, Ctx.Top, true);
      }
    }
    return this.term(t, Ctx.Top);
  }

  private list(open: string, close: string, items: Term[], at?: Term["loc"]): Doc {
    if (items.length === 0) return open + close;
    return this.items(open, close, items.map((x) => ({ loc: x.loc, print: () => this.term(x, Ctx.Item) })), at);
  }

  /**
   * Items of a collection or call. Hand-built: wrapped at the print width. Parsed with the source
   * (`at` is where the collection or call starts), as `opa fmt` lays them out: items that share a
   * source row share a line; one line in all unless the items spanned rows (or the first one sat
   * on a line of its own), then one line per row, each ending in a comma. Items are printed in
   * order so comments between rows stay between them.
   */
  private items(open: string, close: string, items: { loc: Term["loc"]; print: () => Doc }[], at?: Term["loc"]): Doc {
    if (!at || !this.located(at) || !items.every((x) => this.located(x.loc))) {
      return group([open, indent([softline, join([",", line], items.map((x) => x.print()))]), ifBreak(","), softline, close]);
    }
    const rows: (typeof items)[] = [];
    let lastRow = at.row;
    for (const [i, x] of items.entries()) {
      if (i === 0 || x.loc.row > lastRow) rows.push([]);
      rows[rows.length - 1]!.push(x);
      lastRow = x.loc.row;
    }
    const firstOnOwnLine = this.source!.slice(at.offset, items[0]!.loc.offset).includes("\n");
    if (rows.length === 1 && !firstOnOwnLine) return [open, join(", ", items.map((x) => x.print())), close];
    const lines: Doc[] = [];
    for (const row of rows) {
      lines.push(hardline, ...this.leading(row[0]!.loc.offset, row[0]!.loc.row), join(", ", row.map((x) => x.print())), ",");
    }
    const tail: Doc[] = [];
    while (this.ci < this.comments.length && this.comments[this.ci]!.loc.offset < at.end) {
      tail.push(hardline, `#${this.comments[this.ci]!.text.trimEnd()}`);
      this.ci++;
    }
    return [open, indent([...lines, ...tail]), hardline, close];
  }

  private comprehension(open: string, close: string, head: () => Doc, headLoc: Term["loc"], body: Body, at: Term["loc"]): Doc {
    if (this.located(at) && this.located(headLoc) && body.every((e) => this.located(e.loc))) {
      // `opa fmt`: the body stays on the head's line when it started there and its expressions
      // share one row; otherwise one expression per line, as in a rule body.
      const h = head();
      const first = body[0]!;
      const oneRow = body.every((e) => e.loc.row === first.loc.row);
      if (first.loc.row === headLoc.row && oneRow) return [open, h, " | ", join("; ", body.map((e) => this.expr(e))), close];
      return [open, h, " |", this.blockLines(body, at.end), hardline, close];
    }
    const exprs = body.map((e) => this.expr(e));
    return group([open, head(), " |", indent([line, join([ifBreak("", ";"), line], exprs)]), softline, close]);
  }

  private template(t: Term & { type: "templatestring" }): Doc {
    const raw =
      t.multiline &&
      t.parts.every((p, i) => i % 2 === 1 || (p.type === "string" && !p.value.includes("`") && !p.value.endsWith("\\")));
    const out: Doc[] = [raw ? "$`" : '$"'];
    for (const [i, p] of t.parts.entries()) {
      if (i % 2 === 0 && p.type === "string") {
        out.push(raw ? p.value.replace(/\{/g, "\\{") : JSON.stringify(p.value).slice(1, -1).replace(/\{/g, "\\{"));
      } else {
        out.push("{", this.term(p, Ctx.Top), "}");
      }
    }
    out.push(raw ? "`" : '"');
    return out;
  }
}

/** Future keywords a v0 module's printed form needs (added as imports when missing). */
function neededFutureKeywords(m: Module): Set<string> {
  const need = new Set<string>();
  const visitTerm = (t: Term | Expr): void => {
    switch (t.type) {
      case "expr": visitExpr(t); return;
      case "ref": t.terms.forEach(visitTerm); return;
      case "array": case "set": t.items.forEach(visitTerm); return;
      case "object": t.items.forEach(([k, v]) => { visitTerm(k); visitTerm(v); }); return;
      case "arraycomprehension": case "setcomprehension": visitTerm(t.term); visitBody(t.body); return;
      case "objectcomprehension": visitTerm(t.key); visitTerm(t.value); visitBody(t.body); return;
      case "call": visitCall(t.operator, t.args); return;
      case "templatestring": t.parts.forEach(visitTerm); return;
      default: return;
    }
  };
  const visitCall = (op: RefTerm, args: Term[]) => {
    const name = operatorName(op);
    if (name === "internal.member_2" || name === "internal.member_3") need.add("in");
    args.forEach(visitTerm);
  };
  const visitExpr = (e: Expr): void => {
    const b = e.expr;
    switch (b.kind) {
      case "term": visitTerm(b.term); break;
      case "call": visitCall(b.operator, b.args); break;
      case "some": b.symbols.forEach(visitTerm); break;
      case "every": need.add("every"); need.add("in"); visitTerm(b.domain); visitBody(b.body); break;
    }
    e.with.forEach((w) => visitTerm(w.value));
  };
  const visitBody = (b: Body) => b.forEach(visitExpr);
  const visitRule = (r: Rule): void => {
    if (r.head.kind === "multi" && r.head.ref.terms.length > 1) need.add("contains");
    if (r.head.value) visitTerm(r.head.value);
    if (r.head.key) visitTerm(r.head.key);
    r.head.args?.forEach(visitTerm);
    visitBody(r.body);
    if (r.else) visitRule(r.else);
  };
  m.rules.forEach(visitRule);
  return need;
}

function render(d: Doc, width: number): string {
  return doc.printer.printDocToString(d, { printWidth: width, tabWidth: 4, useTabs: true }).formatted;
}

function importsRegoV1(m: Module): boolean {
  return m.imports.some((i) => {
    const [a, b] = i.path.terms;
    return i.path.terms.length === 2 && a?.type === "var" && a.name === "rego" && b?.type === "string" && b.value === "v1";
  });
}

/**
 * Formats a module. `source` (the text the module was parsed from, if any) keeps blank lines
 * between expressions and places trailing comments after multi-line rules.
 */
export function formatModule(m: Module, opts: FormatOptions, source?: string): string {
  const p = new Printer(opts.regoVersion, m.comments, opts.regoVersion === "v1" || importsRegoV1(m));
  return render(p.module(m, source), opts.printWidth ?? 120);
}

/** Formats a single term (no comments). */
export function formatTerm(t: Term, opts: FormatOptions = { regoVersion: "v1" }): string {
  return render(new Printer(opts.regoVersion).term(t, Ctx.Top), opts.printWidth ?? 120);
}

/** Formats one expression. */
export function formatExpr(e: Expr, opts: FormatOptions = { regoVersion: "v1" }): string {
  return render(new Printer(opts.regoVersion).expr(e), opts.printWidth ?? 120);
}

/** Formats a query body, one expression per line. */
export function formatQuery(body: Body, opts: FormatOptions = { regoVersion: "v1" }): string {
  const p = new Printer(opts.regoVersion);
  return render(join(hardline, body.map((e) => p.expr(e))), opts.printWidth ?? 120);
}

/** Formats one rule (with its else chain), without comments. */
export function formatRule(r: Rule, opts: FormatOptions = { regoVersion: "v1" }): string {
  return render(new Printer(opts.regoVersion).rule(r), opts.printWidth ?? 120);
}
