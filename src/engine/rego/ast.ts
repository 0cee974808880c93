/**
 * The Rego abstract syntax tree: plain data, no methods, every node with a source location.
 *
 * This is the contract between the parser/printer (src/engine/rego), the compiler passes
 * (src/engine/compiler) and the planner (src/engine/plan). It mirrors OPA's `ast` package closely
 * enough that OPA's documentation of rules, heads and expressions maps onto it one to one, but it
 * is shaped as a TypeScript discriminated union so passes are plain functions with `switch`.
 */

/** Which Rego dialect a module is written in. `v0` is what Gatekeeper's legacy `rego:` field means. */
export type RegoVersion = "v0" | "v1";

/** A source position. Rows and columns are 1-based; `offset`/`end` are 0-based UTF-16 offsets into the text. */
export interface Location {
  file: string;
  row: number;
  col: number;
  offset: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Terms
// ---------------------------------------------------------------------------------------------

export interface NullTerm { type: "null"; loc: Location }
export interface BooleanTerm { type: "boolean"; value: boolean; loc: Location }
/** Numbers keep their source text so that big integers and decimals survive exactly. */
export interface NumberTerm { type: "number"; value: string; loc: Location }
export interface StringTerm { type: "string"; value: string; raw?: boolean; loc: Location }
/** `_` is parsed as a var named `_`; the compiler renames each occurrence to a fresh wildcard. */
export interface VarTerm { type: "var"; name: string; loc: Location }
/**
 * A reference `head.a[b]["c"]`. `terms[0]` is the head (a var such as `data`, `input`, a local, or a
 * composite/call term); every following term is a path element (a `string` term for `.a`).
 */
export interface RefTerm { type: "ref"; terms: Term[]; loc: Location }
// Note: as in OPA, a bare `data` or `input` is parsed as a one-element ref, never as a var.
export interface ArrayTerm { type: "array"; items: Term[]; loc: Location }
export interface ObjectTerm { type: "object"; items: [Term, Term][]; loc: Location }
export interface SetTerm { type: "set"; items: Term[]; loc: Location }
export interface ArrayComprehension { type: "arraycomprehension"; term: Term; body: Body; loc: Location; index?: ComprehensionIndex }
export interface SetComprehension { type: "setcomprehension"; term: Term; body: Body; loc: Location; index?: ComprehensionIndex }
export interface ObjectComprehension { type: "objectcomprehension"; key: Term; value: Term; body: Body; loc: Location; index?: ComprehensionIndex }
/**
 * Set by the compiler on a comprehension OPA would index (src/engine/compiler/comprehension-index.ts):
 * evaluated once with `keys` free and grouped by their values, then looked up by the values they
 * have where the comprehension appears. `body` is the comprehension's body ordered to run without
 * the keys bound.
 */
export interface ComprehensionIndex { keys: string[]; body: Body }
/**
 * A call used as a term: `count(x)`, `x + 1` (operator `plus`), `data.lib.f(y)`.
 * `operator` is a ref (`count` is a ref with one var term; `a.b` has two terms).
 */
export interface CallTerm { type: "call"; operator: RefTerm; args: Term[]; loc: Location }
/**
 * `$"hello {input.name}"` (OPA 1.x string interpolation). Parts strictly alternate: even indices are
 * the literal text (a `StringTerm`, possibly empty), odd indices the interpolated expressions. An
 * interpolated expression is a `Term`, or an `Expr` (kind "term") when it carries `with` modifiers
 * (`$"{a with input as 1}"`). `multiline` is the raw backtick form.
 */
export interface TemplateStringTerm { type: "templatestring"; parts: (Term | Expr)[]; multiline: boolean; loc: Location }

export type ScalarTerm = NullTerm | BooleanTerm | NumberTerm | StringTerm;
export type Term =
  | ScalarTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm
  | TemplateStringTerm;

// ---------------------------------------------------------------------------------------------
// Expressions and bodies
// ---------------------------------------------------------------------------------------------

/** `with target as value` modifiers attached to an expression. */
export interface With { target: RefTerm; value: Term; loc: Location }

/**
 * The forms an expression can take. Infix operators are calls: `a = b` is `eq`, `a := b` is
 * `assign`, `a == b` is `equal`, `a != b` is `neq`, `x in xs` is `internal.member_2`,
 * `k, v in xs` is `internal.member_3`, arithmetic and comparison use OPA's built-in names
 * (`plus`, `minus`, `mul`, `div`, `rem`, `lt`, `lte`, `gt`, `gte`, `and`, `or`).
 */
export type ExprBody =
  | { kind: "term"; term: Term }
  | { kind: "call"; operator: RefTerm; args: Term[] }
  /** `some x, y` declares vars; `some x in xs` / `some k, v in xs` holds one member call term. */
  | { kind: "some"; symbols: Term[] }
  | { kind: "every"; key?: Term; value: Term; domain: Term; body: Body };

export interface Expr {
  type: "expr";
  negated: boolean;
  expr: ExprBody;
  with: With[];
  /** Set by compiler rewrites for expressions the user did not write. */
  generated?: boolean;
  loc: Location;
}

export type Body = Expr[];

// ---------------------------------------------------------------------------------------------
// Rules, imports, packages, modules
// ---------------------------------------------------------------------------------------------

/**
 * A rule head. `ref` is the head reference relative to the package (`p`, `p.q`, `p[x].r`).
 * Parser conventions (as OPA's parser): `p[x] { }` (v0, no `if`, no value) is a multi-value rule
 * with `key` x and ref `p`; `p[x] if { }` and `p[x] := v` are single-value rules whose ref is
 * `p[x]`; a `default` rule has an empty body; `else` heads copy the first head's ref and args.
 * - complete rule: `p := v`, `p = v`, `p` (value `true`), or v1 `p if {...}`;
 * - partial set: v0 `p[x] { ... }` or `p contains x if ...` (kind "multi", `key` holds x);
 * - partial object / ref head: `p[k] := v` (kind "single" with a ref whose last term is a var);
 * - function: `f(x) := y` (`args` present).
 */
export interface RuleHead {
  ref: RefTerm;
  args?: Term[];
  /** The member for multi-value (set) rules. */
  key?: Term;
  /** The value for single-value rules; absent means `true`. */
  value?: Term;
  /** `:=` rather than `=`. */
  assign: boolean;
  kind: "single" | "multi";
  loc: Location;
}

export interface Rule {
  type: "rule";
  default: boolean;
  head: RuleHead;
  /** An empty body means the rule is unconditionally true. */
  body: Body;
  /** The next rule of an `else` chain. Its head carries the else value. */
  else?: Rule;
  loc: Location;
}

export interface Import { type: "import"; path: RefTerm; alias?: string; loc: Location }

/** `package a.b.c`: `path` is the ref `data.a.b.c`. */
export interface Package { type: "package"; path: RefTerm; loc: Location }

/** A `#` comment; `text` is everything after the `#` (OPA's convention), without the line break. */
export interface Comment { text: string; loc: Location }

/**
 * A `# METADATA` comment block (OPA annotations), attached to the package or rule statement that
 * follows it. `value` is the annotation as OPA marshals it (what `rego.metadata.rule()` returns):
 * `scope` (defaulted: `rule`, `document` for entrypoints, `package`), `title`, `description`,
 * `organizations`, `related_resources` (`[{ref, description?}]`), `authors` (`[{name?, email?}]`),
 * `schemas`, `entrypoint`, `custom` — only the fields present.
 */
export interface Annotation {
  scope: "package" | "subpackages" | "rule" | "document";
  value: { [key: string]: unknown };
  /** The annotated statement: the package, or `Module.rules[index]` (the first rule of that statement). */
  target: { kind: "package" } | { kind: "rule"; index: number };
  loc: Location;
}

export interface Module {
  type: "module";
  package: Package;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  /** METADATA blocks, in source order (absent or empty when the module has none). */
  annotations?: Annotation[];
  regoVersion: RegoVersion;
  /** The file name used in locations. */
  file: string;
}
