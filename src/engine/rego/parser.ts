/**
 * The Rego parser: a hand-written recursive-descent parser over the lexer's token array that
 * produces the AST in ast.ts for Rego v0 and v1 modules, queries and single terms.
 *
 * It follows OPA's parser in what it accepts (operator precedence, comprehension-vs-`|`
 * ambiguity, keywords usable as reference heads, `p[x] { }` vs `p[x] if { }`, else chains,
 * v0 multi-body rules, `future.keywords` and `rego.v1` imports) so that modules OPA accepts parse
 * the same way. Errors are thrown internally and caught per statement: a module reports one
 * diagnostic per broken statement and resumes at the next line that starts in column 1.
 */
import type { Diagnostic, MessageDef } from "../../diagnostics/index.js";
import { diag, DiagnosticError } from "../../diagnostics/index.js";
import type {
  Body,
  CallTerm,
  Comment,
  Expr,
  ExprBody,
  Import,
  Location,
  Module,
  Package,
  RefTerm,
  RegoVersion,
  Rule,
  RuleHead,
  StringTerm,
  TemplateStringTerm,
  Term,
  VarTerm,
  With,
} from "./ast.js";
import { RegoParseMessages as M } from "./diagnostics.js";
import { collectAnnotations, type StatementStart } from "./annotations.js";
import { lex, type Token, type TokenKind } from "./lexer.js";

export interface ParseOptions {
  /** The file name recorded in locations and diagnostics. */
  file: string;
  regoVersion: RegoVersion;
}

/** Thrown by the parse functions; carries every diagnostic found (at least one). */
export class RegoParseError extends DiagnosticError {
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics);
    this.name = "RegoParseError";
  }
}

/** Keywords of Rego v0 without imports. */
const BASE_KEYWORDS = ["not", "package", "import", "as", "default", "else", "with", "null", "true", "false", "some"];
/** Keywords that v0 gets from `import future.keywords...` and v1 always has. */
export const FUTURE_KEYWORDS = ["contains", "every", "if", "in"];
const ROOTS = new Set(["data", "input", "future", "rego"]);
/** Deep enough for any real policy, shallow enough that the JS stack never overflows. */
const MAX_DEPTH = 200;
const MAX_DIAGNOSTICS = 20;

/** Internal control flow for a parse error; caught at statement boundaries. */
class Fail {
  constructor(readonly diagnostic: Diagnostic) {}
}

function isCallTo(t: Term, name: string): boolean {
  if (t.type !== "call") return false;
  const op = t.operator.terms;
  if (name === "internal.member_2" || name === "internal.member_3") {
    return (
      op.length === 2 &&
      op[0]!.type === "var" &&
      op[0]!.name === "internal" &&
      op[1]!.type === "string" &&
      op[1]!.value === name.slice(9)
    );
  }
  return op.length === 1 && op[0]!.type === "var" && op[0]!.name === name;
}

const RELATION_OPS: Partial<Record<TokenKind, string>> = {
  "==": "equal",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};
const ARITH_OPS: Partial<Record<TokenKind, string>> = { "+": "plus", "-": "minus" };
const FACTOR_OPS: Partial<Record<TokenKind, string>> = { "*": "mul", "/": "div", "%": "rem" };

class Parser {
  private readonly toks: Token[];
  private pos = 0;
  private depth = 0;
  /** Comprehension bodies known not to parse, by the token index of their `|`. */
  private readonly failedBodies = new Map<number, Fail>();
  private readonly keywords: Set<string>;
  readonly diagnostics: Diagnostic[] = [];
  /** v0 module that imported `rego.v1`: v1 rule syntax rules apply. */
  private v1Rules: boolean;

  constructor(
    private readonly src: string,
    private readonly file: string,
    private readonly version: RegoVersion,
    readonly lexed = lex(src),
  ) {
    this.toks = lexed.tokens;
    this.keywords = new Set(version === "v1" ? [...BASE_KEYWORDS, ...FUTURE_KEYWORDS] : BASE_KEYWORDS);
    this.v1Rules = version === "v1";
  }

  // -------------------------------------------------------------------------------------------
  // Token helpers
  // -------------------------------------------------------------------------------------------

  private get tok(): Token {
    return this.toks[this.pos]!;
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.toks[this.pos]!;
    if (t.error) this.fail(M.lexical, [t.error], t);
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  /** End offset of the last consumed token. */
  private get lastEnd(): number {
    return this.pos > 0 ? this.toks[this.pos - 1]!.end : 0;
  }
  private isKw(t: Token, name: string): boolean {
    return t.kind === "ident" && t.value === name && this.keywords.has(name);
  }
  private isKeyword(t: Token): boolean {
    return t.kind === "ident" && this.keywords.has(t.value);
  }
  /** A keyword directly followed by `.` or `[` is the head of a reference (`not.foo`, `if[0]`). */
  private keywordStartsRef(t: Token): boolean {
    if (!this.isKeyword(t)) return false;
    const i = t === this.toks[this.pos] ? this.pos : this.toks.indexOf(t);
    const n = this.toks[i + 1];
    return !!n && !n.spaceBefore && (n.kind === "." || n.kind === "[");
  }
  /** An identifier usable as a variable here (not an active keyword, or a keyword starting a ref). */
  private isVarToken(t: Token): boolean {
    return t.kind === "ident" && !t.error && (!this.keywords.has(t.value) || this.keywordStartsRef(t));
  }

  private loc(start: Token, end = this.lastEnd): Location {
    return { file: this.file, row: start.row, col: start.col, offset: start.offset, end };
  }
  private locFrom(start: Location, end = this.lastEnd): Location {
    return { file: this.file, row: start.row, col: start.col, offset: start.offset, end };
  }

  private describe(t: Token): string {
    if (t.kind === "eof") return "`EOF`";
    const text = t.text.length > 24 ? `${t.text.slice(0, 21)}...` : t.text;
    if (t.kind === "string" || t.kind === "template") return `string ${text.replace(/\n/g, "\\n")}`;
    if (this.isKeyword(t)) return `keyword \`${text}\``;
    return `\`${text}\``;
  }

  fail(def: MessageDef, args: readonly unknown[], at: Token | Location, notes?: string[]): never {
    const span =
      "kind" in at
        ? { file: this.file, line: at.row, col: at.col, ...(at.text.includes("\n") ? {} : { endLine: at.row, endCol: at.col + Math.max(1, at.end - at.offset) }) }
        : { file: this.file, line: at.row, col: at.col };
    throw new Fail(diag(def, args, span, notes));
  }
  private unexpected(expected: string, t = this.tok): never {
    if (t.error) this.fail(M.lexical, [t.error], t);
    this.fail(M.unexpected, [expected, this.describe(t)], t);
  }
  private expectClose(kind: TokenKind, open: Token, what: string): Token {
    const t = this.tok;
    if (t.kind === kind) return this.next();
    if (t.error) this.fail(M.lexical, [t.error], t);
    this.fail(M.unclosed, [`\`${kind}\``, what, `${open.row}:${open.col}`, this.describe(t)], t);
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(M.tooDeep, [MAX_DEPTH], this.tok);
  }

  // -------------------------------------------------------------------------------------------
  // Modules
  // -------------------------------------------------------------------------------------------

  parseModule(): Module {
    let pkg: Package | undefined;
    const imports: Import[] = [];
    const rules: Rule[] = [];
    let sawStatement = false;
    const statements: StatementStart[] = [];
    while (this.tok.kind !== "eof" && this.diagnostics.length < MAX_DIAGNOSTICS) {
      const start = this.pos;
      try {
        const t = this.tok;
        if (this.isKw(t, "package") && !this.keywordStartsRef(t)) {
          const p = this.parsePackage();
          if (pkg) this.fail(M.badPackage, ["unexpected second `package` declaration (a module has exactly one)"], t);
          if (sawStatement) this.fail(M.badPackage, ["`package` must be the first statement of a module"], t);
          pkg = p;
          statements.push({ row: t.row, kind: "package" });
        } else if (this.isKw(t, "import") && !this.keywordStartsRef(t)) {
          if (!pkg && !sawStatement) this.expectPackageFirst(t);
          imports.push(this.parseImport());
          statements.push({ row: t.row, kind: "import" });
        } else {
          if (!pkg && !sawStatement) this.expectPackageFirst(t);
          statements.push({ row: t.row, kind: "rule", ruleIndex: rules.length });
          rules.push(...this.parseRules());
        }
        sawStatement = true;
        this.expectStatementEnd();
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        sawStatement = true;
        this.diagnostics.push(e.diagnostic);
        this.recover(start);
      }
    }
    if (!pkg && this.diagnostics.length === 0) {
      this.diagnostics.push(diag(M.badPackage, ["expected `package` declaration, found `EOF`"], { file: this.file, line: 1, col: 1 }));
    }
    const comments: Comment[] = this.lexed.comments.map((c) => ({
      text: c.text,
      loc: { file: this.file, row: c.row, col: c.col, offset: c.offset, end: c.end },
    }));
    const annotations = comments.some((c) => c.text.includes("METADATA"))
      ? collectAnnotations(comments, statements, this.file, this.diagnostics)
      : [];
    if (this.diagnostics.length > 0) throw new RegoParseError(this.diagnostics);
    const m: Module = { type: "module", package: pkg!, imports, rules, comments, regoVersion: this.version, file: this.file };
    if (annotations.length > 0) m.annotations = annotations;
    return m;
  }

  private expectPackageFirst(t: Token): never {
    this.fail(M.badPackage, [`expected \`package\` declaration, found ${this.describe(t)}`], t);
  }

  /** Statements end at a newline, `;` is not allowed between statements (as in OPA). */
  private expectStatementEnd(): void {
    const t = this.tok;
    if (t.kind === "eof" || t.nlBefore) return;
    if (t.kind === "ident" && FUTURE_KEYWORDS.includes(t.value) && !this.keywords.has(t.value)) {
      this.fail(M.unexpected, ["a newline before the next statement", this.describe(t)], t, [
        `\`import future.keywords.${t.value}\` (or \`import rego.v1\`) to use \`${t.value}\` in Rego v0`,
      ]);
    }
    this.unexpected("a newline before the next statement", t);
  }

  /** Skips to the next token that starts a line in column 1 (the start of the next statement). */
  private recover(start: number): void {
    if (this.pos <= start) this.pos = Math.min(start + 1, this.toks.length - 1);
    while (this.tok.kind !== "eof" && !(this.tok.nlBefore && this.tok.col === 1)) this.pos++;
    this.depth = 0;
  }

  private parsePackage(): Package {
    const kw = this.next();
    const t = this.tok;
    if (t.kind !== "ident" || t.error) this.unexpected("a package path after `package`");
    const path = this.parseDottedPath("package path");
    const terms: Term[] = [{ type: "var", name: "data", loc: path.terms[0]!.loc }];
    const first = path.terms[0] as VarTerm;
    terms.push({ type: "string", value: first.name, loc: first.loc });
    terms.push(...path.terms.slice(1));
    return { type: "package", path: { type: "ref", terms, loc: path.loc }, loc: this.loc(kw) };
  }

  /** `a.b["c"].d` where every element after the first is a string (package and import paths). */
  private parseDottedPath(what: string): RefTerm {
    const head = this.next();
    let term: Term = { type: "var", name: head.value, loc: this.loc(head) };
    term = this.parsePostfix(term, head);
    if (term.type === "var") return { type: "ref", terms: [term], loc: term.loc };
    if (term.type !== "ref") this.fail(M.unexpected, [what, "a call"], term.loc);
    for (const el of term.terms.slice(1)) {
      if (el.type !== "string") this.fail(M.unexpected, [`a string in the ${what}`, el.type], el.loc);
    }
    return term;
  }

  private parseImport(): Import {
    const kw = this.next();
    const t = this.tok;
    if (t.kind !== "ident" || t.error) this.unexpected("an import path after `import`");
    const path = this.parseDottedPath("import path");
    const root = (path.terms[0] as VarTerm).name;
    if (!ROOTS.has(root)) {
      this.fail(M.badImport, [`unexpected import path, must begin with one of data, future, input, rego, got: ${root}`], path.loc);
    }
    let alias: string | undefined;
    if (this.isKw(this.tok, "as")) {
      this.next();
      const a = this.tok;
      if (!this.isVarToken(a) || this.keywords.has(a.value)) this.unexpected("an alias name after `as`");
      alias = this.next().value;
    }
    const names = path.terms.slice(1).map((x) => (x as StringTerm).value);
    if (root === "future") {
      if (alias) this.fail(M.badImport, ["`future` imports cannot be aliased"], path.loc);
      if (names[0] !== "keywords" || names.length > 2) {
        this.fail(M.badImport, ["invalid import, must be `future.keywords` or `future.keywords.<name>`"], path.loc);
      }
      if (names.length === 1) {
        for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
      } else {
        const k = names[1]!;
        if (!FUTURE_KEYWORDS.includes(k)) {
          this.fail(M.badImport, [`unexpected keyword in import, must be one of: ${FUTURE_KEYWORDS.join(", ")}, got: ${k}`], path.terms[2]!.loc);
        }
        this.keywords.add(k);
        if (k === "every") this.keywords.add("in");
      }
    } else if (root === "rego") {
      if (names.length !== 1 || names[0] !== "v1") this.fail(M.badImport, ["invalid import, `rego` imports must be `rego.v1`"], path.loc);
      if (alias) this.fail(M.badImport, ["`rego` imports cannot be aliased"], path.loc);
      for (const k of FUTURE_KEYWORDS) this.keywords.add(k);
      this.v1Rules = true;
    } else if (!alias) {
      const last = path.terms[path.terms.length - 1]!;
      const name = last.type === "var" ? last.name : (last as StringTerm).value;
      if (this.keywords.has(name)) {
        this.fail(M.badImport, [`unexpected import path, must not end with a keyword, got: ${name}`], last.loc, [
          "import a different path or use an alias",
        ]);
      }
    }
    const imp: Import = { type: "import", path, loc: this.loc(kw) };
    if (alias !== undefined) imp.alias = alias;
    return imp;
  }

  // -------------------------------------------------------------------------------------------
  // Rules
  // -------------------------------------------------------------------------------------------

  private parseRules(): Rule[] {
    const start = this.tok;
    let isDefault = false;
    if (this.isKw(start, "default") && !this.keywordStartsRef(start)) {
      this.next();
      isDefault = true;
    }
    if (!this.isVarToken(this.tok)) this.unexpected(isDefault ? "a rule name after `default`" : "a rule, `import` or `package`");
    const { head, usesContains } = this.parseHead(isDefault);

    if (isDefault) {
      if (head.value === undefined) {
        this.fail(M.badRule, [`default rule \`${this.headName(head)}\` must have a value (e.g. \`default ${this.headName(head)} := false\`)`], head.loc);
      }
      this.checkDefaultValue(head.value, head);
      return [{ type: "rule", default: true, head, body: [], loc: this.loc(start) }];
    }

    const hasIf = this.isKw(this.tok, "if") && !this.keywordStartsRef(this.tok);
    const refLen = head.ref.terms.length;
    if (usesContains) {
      head.kind = "multi";
    } else if (!hasIf && !head.args && refLen === 2 && head.value === undefined) {
      // v0 partial set rule `p[x] { ... }`: the last ref term is the member.
      head.kind = "multi";
      head.key = head.ref.terms[1]!;
      head.ref = { type: "ref", terms: [head.ref.terms[0]!], loc: head.ref.terms[0]!.loc };
      if (this.v1Rules) {
        this.fail(M.v1Keyword, ["`contains` keyword is required for partial set rules"], head.loc);
      }
    }

    const body = this.parseRuleBody(hasIf);
    const rule: Rule = { type: "rule", default: false, head, body, loc: this.loc(start) };

    const t = this.tok;
    if (this.isKw(t, "else") && !this.keywordStartsRef(t)) {
      if (head.kind === "multi") this.fail(M.badRule, ["else keyword cannot be used on multi-value rules"], t);
      if (head.ref.terms.length > 1 && head.ref.terms.slice(1).some((x) => !isGround(x))) {
        this.fail(M.badRule, ["else keyword cannot be used on rules with variables in head"], t);
      }
      rule.else = this.parseElse(head);
      rule.loc = this.loc(start);
    }

    const rules = [rule];
    // v0: `p { a } { b }` defines two rules with the same head.
    while (this.tok.kind === "{" && !this.tok.nlBefore) {
      const open = this.tok;
      if (rule.else) this.unexpected("`else` keyword", open);
      const extra = this.parseBraceBody(open, "rule body");
      rules.push({ type: "rule", default: false, head: cloneHead(head, this.loc(open)), body: extra, loc: this.loc(open) });
    }
    return rules;
  }

  private headName(head: RuleHead): string {
    return head.ref.terms.map((t, i) => (i === 0 ? (t as VarTerm).name : t.type === "string" ? t.value : "[...]")).join(".");
  }

  /** OPA rejects default values that contain variables, references or calls (outside comprehensions). */
  private checkDefaultValue(v: Term, head: RuleHead): void {
    const bad = (t: Term): string | undefined => {
      switch (t.type) {
        case "var": return "var";
        case "ref": return "ref";
        case "call": return "call";
        case "array": case "set": for (const x of t.items) { const b = bad(x); if (b) return b; } return undefined;
        case "object": for (const [k, x] of t.items) { const b = bad(k) ?? bad(x); if (b) return b; } return undefined;
        case "templatestring": return "template string";
        default: return undefined;
      }
    };
    const b = bad(v);
    if (b) this.fail(M.badRule, [`illegal default rule (value cannot contain ${b})`], head.loc);
    const seen = new Set<string>();
    for (const a of head.args ?? []) {
      if (a.type !== "var") this.fail(M.badRule, [`illegal default rule (arguments cannot contain ${a.type})`], a.loc);
      if (a.name !== "_" && seen.has(a.name)) this.fail(M.badRule, [`illegal default rule (arguments cannot be repeated ${a.name})`], a.loc);
      seen.add(a.name);
    }
  }

  private parseHead(isDefault: boolean): { head: RuleHead; usesContains: boolean } {
    const nameTok = this.next();
    let term: Term = { type: "var", name: nameTok.value, loc: this.loc(nameTok) };
    // As OPA's parser, a rule head may have whitespace between its name and the first `[`, `.`
    // or `(` (`violation [{"msg": msg}] { ... }`); later parts of the head ref may not.
    term = this.parsePostfix(term, nameTok, true);
    let ref: RefTerm;
    let args: Term[] | undefined;
    if (term.type === "var") ref = { type: "ref", terms: [term], loc: term.loc };
    else if (term.type === "ref") {
      if (term.terms[0]!.type !== "var") this.fail(M.badRule, ["rule head must start with a name"], term.loc);
      ref = term;
    } else if (term.type === "call") {
      ref = term.operator;
      args = term.args;
    } else this.fail(M.badRule, ["expected a rule head"], term.loc);

    const root = ref.terms[0] as VarTerm;
    if (this.v1Rules && (root.name === "input" || root.name === "data")) {
      this.fail(M.badRule, [`rules must not shadow ${root.name} (use a different rule name)`], nameTok);
    }
    const head: RuleHead = { ref, assign: false, kind: "single", loc: this.loc(nameTok) };
    if (args) head.args = args;
    let usesContains = false;
    const t = this.tok;
    if (this.isKw(t, "contains")) {
      if (args) this.fail(M.badRule, ["the `contains` keyword can only be used with multi-value rule definitions"], t);
      this.next();
      head.key = this.parseInfix(true);
      usesContains = true;
    } else if (t.kind === "=" || t.kind === ":=") {
      this.next();
      head.assign = t.kind === ":=";
      if (this.tok.kind === "eof" || (this.tok.nlBefore && !this.startsTerm(this.tok))) {
        const name = this.headName(head);
        this.unexpected(isDefault ? `a default value (e.g. \`default ${name} := <VALUE>\`)` : `a rule value after \`${t.kind}\``);
      }
      head.value = this.parseInfix(true);
    }
    head.loc = this.loc(nameTok);
    return { head, usesContains };
  }

  private startsTerm(t: Token): boolean {
    switch (t.kind) {
      case "ident": case "number": case "string": case "template": case "[": case "{": case "(": case "-": case ".":
        return true;
      default:
        return false;
    }
  }

  /** Parses what follows a rule head: `if <literal>`, `if { ... }`, `{ ... }` or nothing. */
  private parseRuleBody(hasIf: boolean): Body {
    if (hasIf) {
      this.next();
      const t = this.tok;
      if (t.kind === "{") {
        // As in OPA, `if {...}` is first read as a single literal (`p if {x: 1 | ...}` is an object
        // comprehension); only a set literal, or no literal at all, means a braced body.
        const save = this.pos;
        const saveDepth = this.depth;
        try {
          const e = this.parseLiteral();
          if (!(e.expr.kind === "term" && e.expr.term.type === "set" && !e.negated && e.with.length === 0)) {
            const n = this.tok;
            if (n.kind === "eof" || n.nlBefore || n.kind === "}" || this.isKw(n, "else")) return [e];
          }
        } catch (e) {
          if (!(e instanceof Fail)) throw e;
        }
        this.pos = save;
        this.depth = saveDepth;
        return this.parseBraceBody(t, "rule body");
      }
      if (t.kind === "eof") this.unexpected("a rule body after `if`");
      return [this.parseLiteral()];
    }
    const t = this.tok;
    if (t.kind === "{") {
      if (this.v1Rules) this.fail(M.v1Keyword, ["`if` keyword is required before rule body"], t);
      return this.parseBraceBody(t, "rule body");
    }
    return [];
  }

  private parseElse(head: RuleHead): Rule {
    const kw = this.next();
    const h: RuleHead = cloneHead(head, this.loc(kw));
    delete h.value;
    h.assign = false;
    const t = this.tok;
    if (t.kind === "=" || t.kind === ":=") {
      this.next();
      h.assign = t.kind === ":=";
      h.value = this.parseInfix(true);
    } else if (!(t.kind === "{" || this.isKw(t, "if"))) {
      this.unexpected("an else value (`else := <VALUE>`) or a rule body");
    }
    h.loc = this.loc(kw);
    const body = this.parseRuleBody(this.isKw(this.tok, "if") && !this.keywordStartsRef(this.tok));
    const rule: Rule = { type: "rule", default: false, head: h, body, loc: this.loc(kw) };
    const n = this.tok;
    if (this.isKw(n, "else") && !this.keywordStartsRef(n)) {
      rule.else = this.parseElse(head);
      rule.loc = this.loc(kw);
    }
    return rule;
  }

  // -------------------------------------------------------------------------------------------
  // Bodies and expressions
  // -------------------------------------------------------------------------------------------

  private parseBraceBody(open: Token, what: string): Body {
    this.next();
    if (this.tok.kind === "}") this.unexpected(`an expression in the ${what} (bodies cannot be empty)`);
    const body = this.parseBody("}", open, what);
    this.expectClose("}", open, what);
    return body;
  }

  /** Expressions separated by newlines or `;` up to (not including) `end`. */
  parseBody(end: TokenKind, open: Token | undefined, what: string): Body {
    this.enter();
    try {
      const body: Body = [];
      for (;;) {
        body.push(this.parseLiteral());
        const t = this.tok;
        if (t.kind === ";") {
          this.next();
          continue;
        }
        if (t.kind === end) return body;
        if (t.kind === "eof" && open) {
          this.fail(M.unclosed, [`\`${end}\``, what, `${open.row}:${open.col}`, "`EOF`"], t);
        }
        if (!t.nlBefore) {
          const expected = end === "eof" ? "a newline or `;`" : `a newline, \`;\` or \`${end}\``;
          const notes =
            t.kind === "ident" && t.value === "in" && !this.keywords.has("in")
              ? ["`import future.keywords.in` for `some x in xs` expressions"]
              : undefined;
          if (t.error) this.fail(M.lexical, [t.error], t);
          this.fail(M.unexpected, [expected, this.describe(t)], t, notes);
        }
      }
    } finally {
      this.depth--;
    }
  }

  parseLiteral(): Expr {
    const start = this.tok;
    if (this.keywordStartsRef(start)) return this.parseExprLiteral(false, start);
    let negated = false;
    if (this.isKw(start, "not")) {
      this.next();
      negated = true;
    }
    const t = this.tok;
    if (this.isKw(t, "some") && !this.keywordStartsRef(t)) {
      if (negated) this.fail(M.badQuantifier, ["illegal negation of `some`"], t);
      return this.parseSome();
    }
    if (this.isKw(t, "every") && !this.keywordStartsRef(t)) {
      if (negated) this.fail(M.badQuantifier, ["illegal negation of `every`"], t);
      return this.parseEvery();
    }
    return this.parseExprLiteral(negated, start);
  }

  private parseExprLiteral(negated: boolean, start: Token): Expr {
    const lhs = this.parseInfix(true);
    let body: ExprBody;
    const t = this.tok;
    if (t.kind === ":=" || t.kind === "=") {
      this.next();
      const rhs = this.parseInfix(true);
      body = { kind: "call", operator: this.opRef(t.kind === ":=" ? "assign" : "eq", t), args: [lhs, rhs] };
    } else if (lhs.type === "call") {
      body = { kind: "call", operator: lhs.operator, args: lhs.args };
    } else {
      body = { kind: "term", term: lhs };
    }
    const expr: Expr = { type: "expr", negated, expr: body, with: [], loc: this.loc(start) };
    this.parseWiths(expr);
    return expr;
  }

  private parseWiths(expr: Expr): void {
    while (this.isKw(this.tok, "with") && !this.keywordStartsRef(this.tok)) {
      const kw = this.next();
      const t = this.tok;
      if (!this.isVarToken(t)) this.unexpected("a reference after `with` (e.g. `with input.x as 1`)");
      const target = this.parsePrimary();
      let ref: RefTerm;
      if (target.type === "var") ref = { type: "ref", terms: [target], loc: target.loc };
      else if (target.type === "ref") ref = target;
      else this.fail(M.unexpected, ["a reference after `with`", target.type], target.loc);
      if (!this.isKw(this.tok, "as")) this.unexpected("`as` after the `with` target");
      this.next();
      const value = this.parseInfix(true);
      const w: With = { target: ref, value, loc: this.loc(kw) };
      expr.with.push(w);
    }
    expr.loc = this.locFrom(expr.loc);
  }

  private parseSome(): Expr {
    const kw = this.next();
    const save = this.pos;
    const saveDepth = this.depth;
    try {
      const t = this.parseInfix(true);
      if (isCallTo(t, "internal.member_2") || isCallTo(t, "internal.member_3")) {
        const expr: Expr = { type: "expr", negated: false, expr: { kind: "some", symbols: [t] }, with: [], loc: this.loc(kw) };
        this.parseWiths(expr);
        return expr;
      }
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
    }
    this.pos = save;
    this.depth = saveDepth;
    const symbols: Term[] = [];
    for (;;) {
      const t = this.tok;
      if (!this.isVarToken(t) || this.keywords.has(t.value)) this.unexpected(symbols.length ? "a variable after `,`" : "a variable after `some`");
      this.next();
      symbols.push({ type: "var", name: t.value, loc: this.loc(t) });
      if (this.tok.kind !== ",") break;
      this.next();
    }
    return { type: "expr", negated: false, expr: { kind: "some", symbols }, with: [], loc: this.loc(kw) };
  }

  private parseEvery(): Expr {
    const kw = this.next();
    const t = this.parseInfix(true);
    let key: Term | undefined;
    let value: Term;
    let domain: Term;
    if (isCallTo(t, "internal.member_2")) {
      value = (t as CallTerm).args[0]!;
      domain = (t as CallTerm).args[1]!;
    } else if (isCallTo(t, "internal.member_3")) {
      const k = (t as CallTerm).args[0]!;
      key = k;
      value = (t as CallTerm).args[1]!;
      domain = (t as CallTerm).args[2]!;
      if (k.type !== "var") this.fail(M.badQuantifier, ["expected key to be a variable"], key.loc);
    } else {
      this.fail(M.badQuantifier, ["expected `x in xs` or `k, v in xs` after `every`"], t.loc);
    }
    if (value.type !== "var") this.fail(M.badQuantifier, ["expected value to be a variable"], value.loc);
    const open = this.tok;
    if (open.kind !== "{") this.unexpected("`{` to start the body of `every`");
    const body = this.parseBraceBody(open, "`every` body");
    const e: ExprBody = key ? { kind: "every", key, value, domain, body } : { kind: "every", value, domain, body };
    const expr: Expr = { type: "expr", negated: false, expr: e, with: [], loc: this.loc(kw) };
    this.parseWiths(expr);
    return expr;
  }

  // -------------------------------------------------------------------------------------------
  // Terms with operators
  // -------------------------------------------------------------------------------------------

  private opRef(name: string, at: Token): RefTerm {
    const l = this.loc(at, at.end);
    if (name.startsWith("internal.")) {
      return {
        type: "ref",
        terms: [
          { type: "var", name: "internal", loc: l },
          { type: "string", value: name.slice(9), loc: l },
        ],
        loc: l,
      };
    }
    return { type: "ref", terms: [{ type: "var", name, loc: l }], loc: l };
  }

  private call(op: RefTerm, args: Term[], start: Location): CallTerm {
    return { type: "call", operator: op, args, loc: this.locFrom(start) };
  }

  /**
   * A term with infix operators. `keyVal` allows `k, v in xs` (not inside lists, where the comma
   * separates items). `first` is an already-parsed leftmost operand (sets and arrays parse one
   * plain term first to give comprehensions priority over `|`).
   */
  parseInfix(keyVal: boolean, first?: Term): Term {
    let lhs = this.parseRelation(first);
    if (keyVal && this.tok.kind === ",") {
      const save = this.pos;
      const saveDepth = this.depth;
      let ok = false;
      try {
        this.next();
        const mhs = this.parseRelation();
        const inTok = this.tok;
        if (this.isKw(inTok, "in")) {
          this.next();
          const rhs = this.parseRelation();
          lhs = this.call(this.opRef("internal.member_3", inTok), [lhs, mhs, rhs], lhs.loc);
          ok = true;
        }
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
      }
      if (!ok) {
        this.pos = save;
        this.depth = saveDepth;
      }
    }
    while (this.isKw(this.tok, "in") && !this.keywordStartsRef(this.tok)) {
      const op = this.next();
      const rhs = this.parseRelation();
      lhs = this.call(this.opRef("internal.member_2", op), [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  private parseRelation(first?: Term): Term {
    let lhs = this.parseOr(first);
    for (;;) {
      const name = RELATION_OPS[this.tok.kind];
      if (!name) return lhs;
      const op = this.next();
      const rhs = this.parseOr();
      lhs = this.call(this.opRef(name, op), [lhs, rhs], lhs.loc);
    }
  }

  private parseOr(first?: Term): Term {
    let lhs = this.parseAnd(first);
    while (this.tok.kind === "|") {
      const op = this.next();
      const rhs = this.parseAnd();
      lhs = this.call(this.opRef("or", op), [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  private parseAnd(first?: Term): Term {
    let lhs = this.parseArith(first);
    while (this.tok.kind === "&") {
      const op = this.next();
      const rhs = this.parseArith();
      lhs = this.call(this.opRef("and", op), [lhs, rhs], lhs.loc);
    }
    return lhs;
  }

  private parseArith(first?: Term): Term {
    let lhs = this.parseFactor(first);
    for (;;) {
      const name = ARITH_OPS[this.tok.kind];
      if (!name) return lhs;
      const op = this.next();
      const rhs = this.parseFactor();
      lhs = this.call(this.opRef(name, op), [lhs, rhs], lhs.loc);
    }
  }

  private parseFactor(first?: Term): Term {
    let lhs = first ?? this.parsePrimary();
    for (;;) {
      const name = FACTOR_OPS[this.tok.kind];
      if (!name) return lhs;
      const op = this.next();
      const rhs = this.parsePrimary();
      lhs = this.call(this.opRef(name, op), [lhs, rhs], lhs.loc);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Primary terms
  // -------------------------------------------------------------------------------------------

  parsePrimary(): Term {
    this.enter();
    try {
      const t = this.tok;
      let term: Term;
      switch (t.kind) {
        case "ident": {
          if (t.error) this.fail(M.lexical, [t.error], t);
          if (this.keywords.has(t.value) && !this.keywordStartsRef(t)) {
            this.next();
            if (t.value === "null") return this.scalar({ type: "null", loc: this.loc(t) });
            if (t.value === "true" || t.value === "false") return this.scalar({ type: "boolean", value: t.value === "true", loc: this.loc(t) });
            // `contains` is also a built-in function; only rule heads treat it as a keyword.
            if (t.value === "contains") {
              term = { type: "var", name: t.value, loc: this.loc(t) };
              break;
            }
            this.fail(M.unexpected, ["a term", this.describe(t)], t);
          }
          this.next();
          term = { type: "var", name: t.value, loc: this.loc(t) };
          break;
        }
        case "number":
          this.next();
          return this.scalar({ type: "number", value: this.checkNumber(t, t.value), loc: this.loc(t) });
        case "-":
        case ".": {
          this.next();
          let text = t.kind === "-" ? "-" : ".";
          let n = this.tok;
          if (t.kind === "-" && n.kind === "." && !n.spaceBefore) {
            this.next();
            text += ".";
            n = this.tok;
          }
          if (n.kind !== "number" || (text.endsWith(".") && n.spaceBefore)) this.unexpected("a number", n);
          this.next();
          let value = text + n.value;
          // `.5` and `-.5` are kept as JSON-shaped numbers so later stages can use JSON parsing.
          if (text.endsWith(".")) value = text.replace(".", "0.") + n.value;
          else this.checkNumber(n, n.value);
          return this.scalar({ type: "number", value, loc: this.loc(t) });
        }
        case "string": {
          this.next();
          const s: StringTerm = { type: "string", value: t.value, loc: this.loc(t) };
          if (t.raw) s.raw = true;
          return this.scalar(s);
        }
        case "template":
          return this.scalar(this.parseTemplate());
        case "[":
          term = this.parseArray();
          break;
        case "{":
          term = this.parseSetOrObject();
          break;
        case "(": {
          this.next();
          const inner = this.parseInfix(true);
          this.expectClose(")", t, "parenthesized expression");
          term = inner;
          break;
        }
        default:
          this.unexpected("a term");
      }
      return this.parsePostfix(term, t);
    } finally {
      this.depth--;
    }
  }

  /** Scalars cannot be dereferenced: `"a".b` and `1[0]` are errors, as in OPA. */
  private scalar<T extends Term>(t: T): T {
    const n = this.tok;
    if (!n.spaceBefore && (n.kind === "." || n.kind === "[" || n.kind === "(")) {
      this.fail(M.badRef, [`illegal reference: a ${t.type} cannot be dereferenced or called`], n);
    }
    return t;
  }

  private checkNumber(t: Token, text: string): string {
    if (text.length > 1 && text[0] === "0" && text[1] !== "." && text[1] !== "e" && text[1] !== "E") {
      this.fail(M.lexical, ["expected number without leading zero"], t);
    }
    // OPA rejects huge exponents (their decimal expansion would be unbounded work later on).
    const e = text.search(/[eE]/);
    if (e >= 0 && Math.abs(Number(text.slice(e + 1))) > 30000) this.fail(M.lexical, ["number too big"], t);
    return text;
  }

  /**
   * `.name`, `[term]` and `(args)` directly after a term (no whitespace in between; with
   * `spacedFirst`, the first of them may follow whitespace, as in a rule head).
   */
  private parsePostfix(head: Term, start: Token, spacedFirst = false): Term {
    let t = this.tok;
    if ((t.spaceBefore && !spacedFirst) || (t.kind !== "." && t.kind !== "[" && t.kind !== "(")) {
      if (head.type === "var" && (head.name === "data" || head.name === "input")) {
        return { type: "ref", terms: [head], loc: head.loc };
      }
      return head;
    }
    switch (head.type) {
      case "var": case "ref": case "array": case "object": case "set": case "call":
      case "arraycomprehension": case "setcomprehension": case "objectcomprehension":
        break;
      default:
        this.fail(M.badRef, [`illegal reference: a ${head.type} cannot be dereferenced`], head.loc);
    }
    let terms: Term[] = head.type === "ref" ? [...head.terms] : [head];
    let current: Term = head;
    for (let first = spacedFirst; ; first = false) {
      t = this.tok;
      if (t.spaceBefore && !first) break;
      if (t.kind === ".") {
        this.next();
        const n = this.tok;
        if (n.kind !== "ident" || n.spaceBefore || n.error) this.unexpected("a name after `.`", n);
        this.next();
        terms.push({ type: "string", value: n.value, loc: this.loc(n) });
      } else if (t.kind === "[") {
        this.next();
        if (this.tok.kind === "]") this.unexpected("a term inside `[]`");
        const idx = this.parseInfix(true);
        this.expectClose("]", t, "reference");
        terms.push(idx);
      } else if (t.kind === "(") {
        if (current.type === "call" || (terms[0]!.type !== "var" && terms[0]!.type !== "ref")) {
          this.fail(M.badRef, ["only a function name can be called"], t);
        }
        const op: RefTerm = { type: "ref", terms, loc: this.locFrom(head.loc, this.lastEnd) };
        current = this.parseCall(op, t, start);
        terms = [current];
        continue;
      } else break;
      current = { type: "ref", terms, loc: this.loc(start) };
    }
    if (current.type === "var" && (current.name === "data" || current.name === "input")) {
      return { type: "ref", terms: [current], loc: current.loc };
    }
    return current;
  }

  private parseCall(op: RefTerm, open: Token, start: Token): Term {
    this.next();
    const args = this.parseTermList(")", open, "call");
    this.expectClose(")", open, "call");
    if (args.length === 0 && op.terms.length === 1 && op.terms[0]!.type === "var" && op.terms[0]!.name === "set") {
      return { type: "set", items: [], loc: this.loc(start) };
    }
    return { type: "call", operator: op, args, loc: this.loc(start) };
  }

  /** Comma-separated terms up to `end` (not consumed); a trailing comma is allowed. */
  private parseTermList(end: TokenKind, open: Token, what: string, items: Term[] = []): Term[] {
    if (this.tok.kind === end) return items;
    for (;;) {
      items.push(this.parseInfix(false));
      const t = this.tok;
      if (t.kind === ",") {
        this.next();
        if (this.tok.kind === end) return items;
        continue;
      }
      if (t.kind === end) return items;
      this.unclosedList(end, open, what, t);
    }
  }

  /** A list item followed by neither `,` nor the closing bracket. */
  private unclosedList(end: TokenKind, open: Token, what: string, t: Token): never {
    if (t.error) this.fail(M.lexical, [t.error], t);
    const expected = t.kind === "eof" ? `\`${end}\`` : `\`,\` or \`${end}\``;
    this.fail(M.unclosed, [expected, what, `${open.row}:${open.col}`, this.describe(t)], t);
  }

  /** Tries `[head | body]`; returns undefined (position restored) when the body does not parse. */
  private tryComprehensionBody(end: TokenKind, open: Token, what: string): { body: Body } | { error: Fail } {
    const save = this.pos;
    const saveDepth = this.depth;
    // A body that failed to parse from this token fails again: without remembering it, nested
    // `[x | [x | …` that end badly are retried as `|` unions at every level, 2^depth attempts.
    const failed = this.failedBodies.get(save);
    if (failed) return { error: failed };
    try {
      this.next(); // `|`
      const body = this.parseBody(end, open, what);
      this.expectClose(end, open, what);
      return { body };
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      this.pos = save;
      this.depth = saveDepth;
      this.failedBodies.set(save, e);
      return { error: e };
    }
  }

  private parseArray(): Term {
    const open = this.next();
    if (this.tok.kind === "]") {
      this.next();
      return { type: "array", items: [], loc: this.loc(open) };
    }
    let potentialComprehension = true;
    if (this.tok.kind === ",") {
      potentialComprehension = false;
      this.next();
    }
    const head = this.parsePrimary();
    let compError: Fail | undefined;
    if (this.tok.kind === "|" && potentialComprehension) {
      const r = this.tryComprehensionBody("]", open, "array comprehension");
      if ("body" in r) return { type: "arraycomprehension", term: head, body: r.body, loc: this.loc(open) };
      compError = r.error;
    }
    try {
      const first = this.parseInfix(false, head);
      const items = this.parseListRest("]", open, "array", first);
      this.expectClose("]", open, "array");
      return { type: "array", items, loc: this.loc(open) };
    } catch (e) {
      if (compError && e instanceof Fail) throw compError;
      throw e;
    }
  }

  /** After the first item of a list: `, item`... up to `end` (not consumed). */
  private parseListRest(end: TokenKind, open: Token, what: string, first: Term): Term[] {
    const t = this.tok;
    if (t.kind === end) return [first];
    if (t.kind === ",") {
      this.next();
      return this.parseTermList(end, open, what, [first]);
    }
    this.unclosedList(end, open, what, t);
  }

  private parseSetOrObject(): Term {
    const open = this.next();
    if (this.tok.kind === "}") {
      this.next();
      return { type: "object", items: [], loc: this.loc(open) };
    }
    let potentialComprehension = true;
    if (this.tok.kind === ",") {
      potentialComprehension = false;
      this.next();
    }
    const head = this.parsePrimary();
    let compError: Fail | undefined;
    if (this.tok.kind === "|" && potentialComprehension) {
      const r = this.tryComprehensionBody("}", open, "set comprehension");
      if ("body" in r) return { type: "setcomprehension", term: head, body: r.body, loc: this.loc(open) };
      compError = r.error;
    }
    try {
      const key = this.tok.kind === ":" ? head : this.parseInfix(false, head);
      if (this.tok.kind === ":") return this.parseObject(open, key, potentialComprehension);
      const items = this.parseListRest("}", open, "set", key);
      this.expectClose("}", open, "set");
      return { type: "set", items, loc: this.loc(open) };
    } catch (e) {
      if (compError && e instanceof Fail) throw compError;
      throw e;
    }
  }

  private parseObject(open: Token, key: Term, potentialComprehension: boolean): Term {
    this.next(); // `:`
    const v = this.parsePrimary();
    let compError: Fail | undefined;
    if (this.tok.kind === "|" && potentialComprehension) {
      const r = this.tryComprehensionBody("}", open, "object comprehension");
      if ("body" in r) return { type: "objectcomprehension", key, value: v, body: r.body, loc: this.loc(open) };
      compError = r.error;
    }
    try {
      const value = this.parseInfix(false, v);
      const items: [Term, Term][] = [[key, value]];
      for (;;) {
        const t = this.tok;
        if (t.kind === "}") break;
        if (t.kind !== ",") this.unclosedList("}", open, "object", t);
        this.next();
        if (this.tok.kind === "}") break;
        const k = this.parseInfix(false);
        if (this.tok.kind !== ":") this.unexpected("`:` after the object key");
        this.next();
        items.push([k, this.parseInfix(false)]);
      }
      this.expectClose("}", open, "object");
      return { type: "object", items, loc: this.loc(open) };
    } catch (e) {
      if (compError && e instanceof Fail) throw compError;
      throw e;
    }
  }

  private parseTemplate(): TemplateStringTerm {
    const first = this.tok;
    const parts: TemplateStringTerm["parts"] = [];
    const text = (t: Token): StringTerm => ({ type: "string", value: t.value, loc: this.loc(t, t.end) });
    for (;;) {
      const t = this.next();
      parts.push(text(t));
      if (t.template === "full" || t.template === "tail") break;
      const start = this.tok;
      if (start.kind === "template" && (start.template === "middle" || start.template === "tail")) {
        this.unexpected("an expression inside `{}` of the template string", start);
      }
      const expr = this.parseLiteral();
      if (expr.negated) this.fail(M.badTemplate, ["unexpected negation (`not`) in template-string expression"], expr.loc);
      const body = expr.expr;
      if (body.kind === "some" || body.kind === "every") {
        this.fail(M.badTemplate, [`unexpected \`${body.kind}\` in template-string expression`], expr.loc);
      }
      let term: Term;
      if (body.kind === "call") {
        const op = body.operator.terms;
        if (op.length === 1 && op[0]!.type === "var" && (op[0]!.name === "eq" || op[0]!.name === "assign")) {
          const which = op[0]!.name === "eq" ? "unification (`=`)" : "assignment (`:=`)";
          this.fail(M.badTemplate, [`unexpected ${which} in template-string expression`], expr.loc);
        }
        term = { type: "call", operator: body.operator, args: body.args, loc: expr.loc };
      } else term = (body as { kind: "term"; term: Term }).term;
      parts.push(expr.with.length > 0 ? { ...expr, expr: { kind: "term", term } } : term);
      const n = this.tok;
      if (n.kind !== "template" || n.template === "head" || n.template === "full") {
        if (n.error) this.fail(M.lexical, [n.error], n);
        this.unexpected("`}` to end the template-string expression", n);
      }
    }
    return { type: "templatestring", parts, multiline: !!first.raw, loc: this.loc(first) };
  }

  // -------------------------------------------------------------------------------------------
  // Entry points for queries and terms
  // -------------------------------------------------------------------------------------------

  parseQueryBody(): Body {
    try {
      if (this.tok.kind === "eof") this.unexpected("a query");
      return this.parseBody("eof", undefined, "query");
    } catch (e) {
      if (e instanceof Fail) throw new RegoParseError([e.diagnostic]);
      throw e;
    }
  }

  parseSingleTerm(): Term {
    try {
      const t = this.parseInfix(true);
      if (this.tok.kind !== "eof") this.unexpected("the end of the term");
      return t;
    } catch (e) {
      if (e instanceof Fail) throw new RegoParseError([e.diagnostic]);
      throw e;
    }
  }
}

function isGround(t: Term): boolean {
  switch (t.type) {
    case "var": return false;
    case "ref": case "call": case "arraycomprehension": case "setcomprehension": case "objectcomprehension": case "templatestring":
      return false;
    case "array": case "set": return t.items.every(isGround);
    case "object": return t.items.every(([k, v]) => isGround(k) && isGround(v));
    default: return true;
  }
}

function cloneHead(head: RuleHead, loc: Location): RuleHead {
  const h: RuleHead = structuredClone(head);
  h.loc = loc;
  return h;
}

/** Converts a JS stack overflow (possible only on adversarial input) into a parse diagnostic. */
function guard<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RangeError) {
      throw new RegoParseError([diag(M.tooDeep, [MAX_DEPTH], { file, line: 1, col: 1 })]);
    }
    throw e;
  }
}

/** Parses a Rego module. Throws `RegoParseError` with every diagnostic found. */
export function parseModule(text: string, opts: ParseOptions): Module {
  return guard(opts.file, () => new Parser(text, opts.file, opts.regoVersion).parseModule());
}

/** Parses a query (`data.test.p = x`, `x := 1; y := x + 1`). */
export function parseQuery(text: string, opts: ParseOptions): Body {
  return guard(opts.file, () => new Parser(text, opts.file, opts.regoVersion).parseQueryBody());
}

/** Parses a single term (`{1, 2}`, `{"a": [1]}`); used for conformance `input_term`. */
export function parseTerm(text: string, opts: ParseOptions): Term {
  return guard(opts.file, () => new Parser(text, opts.file, opts.regoVersion).parseSingleTerm());
}
