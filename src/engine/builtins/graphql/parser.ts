/**
 * A GraphQL lexer and parser (executable and SDL documents) producing the AST shape OPA returns:
 * the JSON of gqlparser's Go structs with null and empty collections pruned, no positions. The
 * validators work on this same shape, so ASTs given to the built-ins as objects work too.
 */

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };

export class GraphQLError extends Error {}

type TokKind = "EOF" | "Punct" | "Name" | "Int" | "Float" | "String" | "BlockString";

interface Token {
  kind: TokKind;
  value: string;
  line: number;
  col: number;
}

const PUNCT = new Set(["!", "$", "&", "(", ")", ":", "=", "@", "[", "]", "{", "|", "}"]);

function describe(t: Token): string {
  switch (t.kind) {
    case "EOF":
      return "<EOF>";
    case "Punct":
      return t.value;
    case "Name":
      return `Name "${t.value}"`;
    case "String":
    case "BlockString":
      return `String "${t.value}"`;
    default:
      return `${t.kind} "${t.value}"`;
  }
}

function blockStringValue(raw: string): string {
  const lines = raw.replace(/\r\n?/g, "\n").split("\n");
  let common: number | undefined;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    const indent = l.length - l.replace(/^[ \t]+/, "").length;
    if (indent < l.length && (common === undefined || indent < common)) common = indent;
  }
  if (common) for (let i = 1; i < lines.length; i++) lines[i] = lines[i]!.slice(common);
  while (lines.length && lines[0]!.trim() === "") lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
  return lines.join("\n");
}

export function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const err = (msg: string): never => {
    throw new GraphQLError(`${msg} in GraphQL string at location ${line}:${i - lineStart + 1}`);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\n") {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === " " || c === "\t" || c === "," || c === "\r" || c === "\ufeff") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === "." && src.startsWith("...", i)) {
      out.push({ kind: "Punct", value: "...", line, col });
      i += 3;
      continue;
    }
    if (PUNCT.has(c)) {
      out.push({ kind: "Punct", value: c, line, col });
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      out.push({ kind: "Name", value: m[0], line, col });
      i += m[0].length;
      continue;
    }
    if (/[-0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i));
      if (!m || m[0] === "-") err("Unexpected <Invalid>");
      const text = m![0];
      if (/^[.A-Za-z_]/.test(src.slice(i + text.length))) err("Unexpected <Invalid>");
      out.push({ kind: m![2] || m![3] ? "Float" : "Int", value: text, line, col });
      i += text.length;
      continue;
    }
    if (src.startsWith('"""', i)) {
      let j = i + 3;
      let raw = "";
      for (;;) {
        if (j >= src.length) err("Unterminated string");
        if (src.startsWith('\\"""', j)) {
          raw += '"""';
          j += 4;
          continue;
        }
        if (src.startsWith('"""', j)) break;
        if (src[j] === "\n") {
          line++;
          lineStart = j + 1;
        }
        raw += src[j];
        j++;
      }
      out.push({ kind: "BlockString", value: blockStringValue(raw), line, col });
      i = j + 3;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let v = "";
      for (;;) {
        if (j >= src.length || src[j] === "\n") err("Unterminated string");
        const d = src[j]!;
        if (d === '"') break;
        if (d === "\\") {
          const e = src[j + 1];
          const map: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (e === "u") {
            const hex = src.slice(j + 2, j + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) err("Invalid character escape sequence");
            v += String.fromCharCode(parseInt(hex, 16));
            j += 6;
            continue;
          }
          if (e === undefined || !(e in map)) err("Invalid character escape sequence");
          v += map[e!];
          j += 2;
          continue;
        }
        v += d;
        j++;
      }
      out.push({ kind: "String", value: v, line, col });
      i = j + 1;
      continue;
    }
    err("Unexpected <Invalid>");
  }
  out.push({ kind: "EOF", value: "", line, col: i - lineStart + 1 });
  return out;
}

/** Drops null values and empty arrays/objects, as OPA prunes gqlparser's JSON. */
export function prune(v: Json): Json {
  if (Array.isArray(v)) return v.map(prune);
  if (v && typeof v === "object") {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null || x === undefined) continue;
      const p = prune(x);
      if (Array.isArray(p) && p.length === 0) continue;
      if (p && typeof p === "object" && !Array.isArray(p) && Object.keys(p).length === 0) continue;
      out[k] = p;
    }
    return out;
  }
  return v;
}

const DIRECTIVE_LOCATIONS = new Set([
  "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
  "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION",
]);

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(): Token {
    return this.toks[this.pos]!;
  }
  private next(): Token {
    return this.toks[this.pos++]!;
  }
  private at(t: Token): string {
    return ` in GraphQL string at location ${t.line}:${t.col}`;
  }
  unexpected(t: Token = this.peek()): never {
    throw new GraphQLError(`Unexpected ${describe(t)}${this.at(t)}`);
  }
  private is(kind: TokKind, value?: string): boolean {
    const t = this.peek();
    return t.kind === kind && (value === undefined || t.value === value);
  }
  private skip(kind: TokKind, value?: string): boolean {
    if (this.is(kind, value)) {
      this.pos++;
      return true;
    }
    return false;
  }
  private expect(kind: TokKind, value?: string): Token {
    const t = this.peek();
    if (t.kind === kind && (value === undefined || t.value === value)) return this.next();
    const want = value !== undefined ? (kind === "Name" ? `"${value}"` : value) : kind;
    throw new GraphQLError(`Expected ${want}, found ${describe(t)}${this.at(t)}`);
  }
  private name(): string {
    return this.expect("Name").value;
  }
  /** `open item* close` with at least one item. */
  private many<T>(open: string, close: string, item: () => T): T[] {
    this.expect("Punct", open);
    const out: T[] = [];
    if (this.is("Punct", close)) {
      const t = this.peek();
      throw new GraphQLError(`expected at least one definition, found ${close}${this.at(t)}`);
    }
    while (!this.skip("Punct", close)) {
      if (this.is("EOF")) this.unexpected();
      out.push(item());
    }
    return out;
  }
  private optionalMany<T>(open: string, close: string, item: () => T): T[] {
    return this.is("Punct", open) ? this.many(open, close, item) : [];
  }

  // ---- executable documents ----

  queryDocument(): Obj {
    const operations: Json[] = [];
    const fragments: Json[] = [];
    while (!this.is("EOF")) {
      const t = this.peek();
      if (t.kind === "Punct" && t.value === "{") {
        operations.push({ Operation: "query", Name: "", SelectionSet: this.selectionSet() });
      } else if (t.kind === "Name" && ["query", "mutation", "subscription"].includes(t.value)) {
        operations.push(this.operation());
      } else if (t.kind === "Name" && t.value === "fragment") {
        fragments.push(this.fragment());
      } else this.unexpected();
    }
    return prune({ Operations: operations, Fragments: fragments }) as Obj;
  }

  private operation(): Obj {
    const op = this.next().value;
    const name = this.is("Name") ? this.next().value : "";
    const vars = this.optionalMany("(", ")", () => this.variableDefinition());
    return { Operation: op, Name: name, VariableDefinitions: vars, Directives: this.directives(false), SelectionSet: this.selectionSet() };
  }

  private variableDefinition(): Obj {
    this.expect("Punct", "$");
    const name = this.name();
    this.expect("Punct", ":");
    const type = this.type();
    const def = this.skip("Punct", "=") ? this.value(true) : null;
    return { Variable: name, Type: type, DefaultValue: def, Directives: this.directives(true), Used: false };
  }

  type(): Obj {
    let t: Obj;
    if (this.skip("Punct", "[")) {
      const elem = this.type();
      this.expect("Punct", "]");
      t = { NamedType: "", Elem: elem, NonNull: false };
    } else t = { NamedType: this.name(), NonNull: false };
    if (this.skip("Punct", "!")) t.NonNull = true;
    return t;
  }

  private selectionSet(): Json[] {
    return this.many("{", "}", () => this.selection());
  }

  private selection(): Obj {
    if (this.skip("Punct", "...")) {
      if (this.is("Name") && this.peek().value !== "on") {
        return { Name: this.name(), Directives: this.directives(false) };
      }
      let cond = "";
      if (this.skip("Name", "on")) cond = this.name();
      return { TypeCondition: cond, Directives: this.directives(false), SelectionSet: this.selectionSet() };
    }
    let alias = this.name();
    let name = alias;
    if (this.skip("Punct", ":")) name = this.name();
    const args = this.arguments(false);
    const dirs = this.directives(false);
    const sel = this.is("Punct", "{") ? this.selectionSet() : [];
    return { Alias: alias, Name: name, Arguments: args, Directives: dirs, SelectionSet: sel };
  }

  private fragment(): Obj {
    this.expect("Name", "fragment");
    if (this.is("Name", "on")) this.unexpected();
    const name = this.name();
    const vars = this.optionalMany("(", ")", () => this.variableDefinition());
    this.expect("Name", "on");
    const cond = this.name();
    return { Name: name, VariableDefinition: vars, TypeCondition: cond, Directives: this.directives(false), SelectionSet: this.selectionSet() };
  }

  private arguments(isConst: boolean): Json[] {
    return this.optionalMany("(", ")", () => {
      const name = this.name();
      this.expect("Punct", ":");
      return { Name: name, Value: this.value(isConst) };
    });
  }

  directives(isConst: boolean): Json[] {
    const out: Json[] = [];
    while (this.skip("Punct", "@")) out.push({ Name: this.name(), Arguments: this.arguments(isConst), Location: "" });
    return out;
  }

  value(isConst: boolean): Obj {
    const t = this.peek();
    const v = (kind: number, raw: string, children: Json[] = []): Obj => ({ Raw: raw, Children: children, Kind: kind, ExpectedTypeHasDefault: false });
    switch (t.kind) {
      case "Punct":
        if (t.value === "$" && !isConst) {
          this.next();
          return v(0, this.name());
        }
        if (t.value === "[") {
          this.next();
          const items: Json[] = [];
          while (!this.skip("Punct", "]")) {
            if (this.is("EOF")) this.unexpected();
            items.push({ Name: "", Value: this.value(isConst) });
          }
          return v(8, "", items);
        }
        if (t.value === "{") {
          this.next();
          const items: Json[] = [];
          while (!this.skip("Punct", "}")) {
            if (this.is("EOF")) this.unexpected();
            const n = this.name();
            this.expect("Punct", ":");
            items.push({ Name: n, Value: this.value(isConst) });
          }
          return v(9, "", items);
        }
        return this.unexpected();
      case "Int":
        this.next();
        return v(1, t.value);
      case "Float":
        this.next();
        return v(2, t.value);
      case "String":
        this.next();
        return v(3, t.value);
      case "BlockString":
        this.next();
        return v(4, t.value);
      case "Name":
        this.next();
        if (t.value === "true" || t.value === "false") return v(5, t.value);
        if (t.value === "null") return v(6, t.value);
        return v(7, t.value);
      default:
        return this.unexpected();
    }
  }

  // ---- SDL documents ----

  schemaDocument(): Obj {
    const doc: Record<string, Json[]> = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
    while (!this.is("EOF")) {
      let description = "";
      if (this.is("String") || this.is("BlockString")) description = this.next().value;
      const t = this.peek();
      if (t.kind !== "Name") this.unexpected();
      switch (t.value) {
        case "schema":
          this.next();
          doc.Schema!.push(this.schemaDefinition(description, false));
          break;
        case "directive":
          this.next();
          doc.Directives!.push(this.directiveDefinition(description));
          break;
        case "extend": {
          if (description) this.unexpected(this.toks[this.pos - 1]);
          this.next();
          if (this.is("Name", "schema")) {
            this.next();
            doc.SchemaExtension!.push(this.schemaDefinition("", true));
          } else {
            if (this.is("String") || this.is("BlockString")) this.unexpected();
            doc.Extensions!.push(this.typeDefinition("", true));
          }
          break;
        }
        default:
          doc.Definitions!.push(this.typeDefinition(description, false));
      }
    }
    return prune(doc) as Obj;
  }

  private schemaDefinition(description: string, extension: boolean): Obj {
    const directives = this.directives(true);
    let ops: Json[] = [];
    if (this.is("Punct", "{") || !extension) {
      ops = this.many("{", "}", () => {
        const op = this.name();
        this.expect("Punct", ":");
        return { Operation: op, Type: this.name() };
      });
    } else if (directives.length === 0) this.unexpected();
    return { Description: description, Directives: directives, OperationTypes: ops };
  }

  private directiveDefinition(description: string): Obj {
    this.expect("Punct", "@");
    const name = this.name();
    const args = this.optionalMany("(", ")", () => this.inputValue());
    const repeatable = this.skip("Name", "repeatable");
    this.expect("Name", "on");
    this.skip("Punct", "|");
    const locations: Json[] = [];
    do {
      const t = this.expect("Name");
      if (!DIRECTIVE_LOCATIONS.has(t.value)) this.unexpected(t);
      locations.push(t.value);
    } while (this.skip("Punct", "|"));
    return { Description: description, Name: name, Arguments: args, Locations: locations, IsRepeatable: repeatable };
  }

  private typeDefinition(description: string, extension: boolean): Obj {
    const kw = this.next();
    const kinds: Record<string, string> = { scalar: "SCALAR", type: "OBJECT", interface: "INTERFACE", union: "UNION", enum: "ENUM", input: "INPUT_OBJECT" };
    const kind = kinds[kw.value];
    if (!kind) this.unexpected(kw);
    const def: Obj = { Kind: kind!, Description: description, Name: this.name(), BuiltIn: false };
    let hasBody = false;
    if (kind === "OBJECT" || kind === "INTERFACE") {
      if (this.skip("Name", "implements")) {
        this.skip("Punct", "&");
        const ifaces: Json[] = [this.name()];
        while (this.skip("Punct", "&")) ifaces.push(this.name());
        def.Interfaces = ifaces;
        hasBody = true;
      }
    }
    def.Directives = this.directives(true);
    if ((def.Directives as Json[]).length) hasBody = true;
    if (kind === "OBJECT" || kind === "INTERFACE") {
      if (this.is("Punct", "{")) {
        def.Fields = this.many("{", "}", () => this.fieldDefinition());
        hasBody = true;
      }
    } else if (kind === "INPUT_OBJECT") {
      if (this.is("Punct", "{")) {
        def.Fields = this.many("{", "}", () => this.inputValue());
        hasBody = true;
      }
    } else if (kind === "ENUM") {
      if (this.is("Punct", "{")) {
        def.EnumValues = this.many("{", "}", () => {
          let d = "";
          if (this.is("String") || this.is("BlockString")) d = this.next().value;
          const t = this.expect("Name");
          if (["true", "false", "null"].includes(t.value)) this.unexpected(t);
          return { Description: d, Name: t.value, Directives: this.directives(true) };
        });
        hasBody = true;
      }
    } else if (kind === "UNION") {
      if (this.skip("Punct", "=")) {
        this.skip("Punct", "|");
        const types: Json[] = [this.name()];
        while (this.skip("Punct", "|")) types.push(this.name());
        def.Types = types;
        hasBody = true;
      }
    }
    if (extension && !hasBody && kind !== "SCALAR") this.unexpected();
    if (extension && kind === "SCALAR" && !hasBody) this.unexpected();
    return def;
  }

  private fieldDefinition(): Obj {
    let d = "";
    if (this.is("String") || this.is("BlockString")) d = this.next().value;
    const name = this.name();
    const args = this.optionalMany("(", ")", () => this.inputValue());
    this.expect("Punct", ":");
    return { Description: d, Name: name, Arguments: args, Type: this.type(), Directives: this.directives(true) };
  }

  private inputValue(): Obj {
    let d = "";
    if (this.is("String") || this.is("BlockString")) d = this.next().value;
    const name = this.name();
    this.expect("Punct", ":");
    const type = this.type();
    const def = this.skip("Punct", "=") ? this.value(true) : null;
    return { Description: d, Name: name, DefaultValue: def, Type: type, Directives: this.directives(true) };
  }
}

export function parseQueryDocument(src: string): Obj {
  return new Parser(lex(src)).queryDocument();
}

export function parseSchemaDocument(src: string): Obj {
  return new Parser(lex(src)).schemaDocument();
}
