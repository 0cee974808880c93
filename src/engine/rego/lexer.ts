/**
 * The Rego lexer: turns source text into a flat token array (plus comments) in one pass over
 * character codes. Keywords are not decided here — whether `if` or `in` is a keyword depends on
 * the Rego version and on `future.keywords` imports seen so far, so the parser asks per token.
 *
 * Whitespace is not a token; instead each token records whether whitespace (`spaceBefore`) or a
 * newline (`nlBefore`) preceded it, which is all the grammar needs (`f (x)` is not a call, and
 * expressions in a body are separated by newlines).
 *
 * Template strings (`$"a{x}b"`) are split into head/middle/tail tokens around the embedded
 * expressions; a stack of brace depths tells a `}` that resumes the string from one that closes
 * an object or set inside the expression.
 */

export type TokenKind =
  | "ident"
  | "number"
  | "string"
  | "template"
  | "eof"
  | "{" | "}" | "[" | "]" | "(" | ")"
  | "," | ":" | ";" | "."
  | "=" | ":=" | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "+" | "-" | "*" | "/" | "%" | "&" | "|";

/** Where a template-string token sits: `$"a{` is head, `}b{` middle, `}c"` tail, `$"abc"` full. */
export type TemplatePos = "head" | "middle" | "tail" | "full";

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: including quotes). */
  text: string;
  /** Decoded value for strings and template parts; the identifier or number text otherwise. */
  value: string;
  offset: number;
  end: number;
  row: number;
  col: number;
  spaceBefore: boolean;
  nlBefore: boolean;
  /** Raw (backtick) string or template. */
  raw?: boolean;
  template?: TemplatePos;
  /** Set when the lexer found a problem in this token; the parser reports it when it reads it. */
  error?: string;
}

export interface LexedComment {
  /** The text after `#`, without a trailing carriage return. */
  text: string;
  offset: number;
  end: number;
  row: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: LexedComment[];
}

const CH_TAB = 9, CH_LF = 10, CH_CR = 13, CH_SPACE = 32, CH_BANG = 33, CH_DQUOTE = 34, CH_HASH = 35,
  CH_DOLLAR = 36, CH_PERCENT = 37, CH_AMP = 38, CH_LPAREN = 40, CH_RPAREN = 41, CH_STAR = 42,
  CH_PLUS = 43, CH_COMMA = 44, CH_MINUS = 45, CH_DOT = 46, CH_SLASH = 47, CH_0 = 48, CH_9 = 57,
  CH_COLON = 58, CH_SEMI = 59, CH_LT = 60, CH_EQ = 61, CH_GT = 62, CH_LBRACK = 91, CH_BSLASH = 92,
  CH_RBRACK = 93, CH_UNDERSCORE = 95, CH_BACKTICK = 96, CH_LBRACE = 123, CH_PIPE = 124, CH_RBRACE = 125;

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === CH_UNDERSCORE;
}
function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

const SINGLE: Record<number, TokenKind> = {
  [CH_LBRACK]: "[", [CH_RBRACK]: "]", [CH_LPAREN]: "(", [CH_RPAREN]: ")", [CH_COMMA]: ",",
  [CH_SEMI]: ";", [CH_DOT]: ".", [CH_PLUS]: "+", [CH_MINUS]: "-", [CH_STAR]: "*", [CH_SLASH]: "/",
  [CH_PERCENT]: "%", [CH_AMP]: "&", [CH_PIPE]: "|",
};

/** Decodes the body of a double-quoted string (JSON escapes, plus `\{` in templates). */
function decodeEscapes(src: string, start: number, end: number, template: boolean): { value: string; error?: string } {
  let out = "";
  let chunk = start;
  for (let i = start; i < end; i++) {
    const c = src.charCodeAt(i);
    if (c !== CH_BSLASH) {
      // Go's JSON decoder (which OPA uses for strings with escapes) rejects raw control characters.
      if (c < 0x20) return { value: "", error: "illegal control character in string" };
      continue;
    }
    out += src.slice(chunk, i);
    const e = src.charCodeAt(i + 1);
    i++;
    switch (e) {
      case CH_DQUOTE: out += '"'; break;
      case CH_BSLASH: out += "\\"; break;
      case CH_SLASH: out += "/"; break;
      case 98: out += "\b"; break;
      case 102: out += "\f"; break;
      case 110: out += "\n"; break;
      case 114: out += "\r"; break;
      case 116: out += "\t"; break;
      case 117: {
        const hex = src.slice(i + 1, i + 5);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) return { value: "", error: "illegal escape sequence" };
        out += String.fromCharCode(parseInt(hex, 16));
        i += 4;
        break;
      }
      case CH_LBRACE:
        if (template) {
          out += "{";
          break;
        }
        return { value: "", error: "illegal escape sequence" };
      default:
        return { value: "", error: "illegal escape sequence" };
    }
    chunk = i + 1;
  }
  out += src.slice(chunk, end);
  return { value: out };
}

/** Tokenizes `src`. Never throws: problems are attached to tokens as `error`. */
export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const comments: LexedComment[] = [];
  const n = src.length;
  let i = 0;
  let row = 1;
  let lineStart = 0;
  let spaceBefore = false;
  let nlBefore = false;
  let braceDepth = 0;
  // For each open template expression: the brace depth at which its closing `}` resumes the string.
  const templateStack: { depth: number; raw: boolean }[] = [];

  if (src.charCodeAt(0) === 0xfeff) i = 1;

  const push = (kind: TokenKind, start: number, end: number, value: string, startRow: number, startCol: number): Token => {
    const text = src.slice(start, end);
    const tok: Token = { kind, text, value, offset: start, end, row: startRow, col: startCol, spaceBefore, nlBefore };
    tokens.push(tok);
    spaceBefore = false;
    nlBefore = false;
    return tok;
  };

  /**
   * Scans template text starting at `i` (just after `$"`, `` $` `` or a resuming `}`) up to the next
   * unescaped `{` or the closing quote. Returns the token.
   */
  const scanTemplate = (start: number, raw: boolean, first: boolean, startRow: number, startCol: number): void => {
    const close = raw ? CH_BACKTICK : CH_DQUOTE;
    let j = i;
    let error: string | undefined;
    let ended = false; // reached the closing quote
    let open = false; // reached an expression `{`
    while (j < n) {
      const c = src.charCodeAt(j);
      if (c === close) {
        ended = true;
        break;
      }
      if (c === CH_LBRACE) {
        open = true;
        break;
      }
      if (c === CH_BSLASH && (!raw || src.charCodeAt(j + 1) === CH_LBRACE)) {
        // In raw templates only `\{` is an escape; in quoted ones every backslash starts one.
        if (!raw && src.charCodeAt(j + 1) === CH_LF) break;
        j += 2;
        continue;
      }
      if (c === CH_LF) {
        if (!raw) break;
        row++;
        lineStart = j + 1;
      }
      j++;
    }
    if (j > n) j = n;
    const bodyEnd = j;
    let value: string;
    if (raw) {
      value = src.slice(i, bodyEnd).replace(/\\\{/g, "{");
    } else {
      const d = decodeEscapes(src, i, bodyEnd, true);
      value = d.value;
      error = d.error;
    }
    if (!ended && !open) error = "non-terminated template string";
    i = ended || open ? j + 1 : j;
    const tok = push("template", start, i, value, startRow, startCol);
    tok.raw = raw;
    tok.template = open ? (first ? "head" : "middle") : first ? "full" : "tail";
    if (error) tok.error = error;
    if (open) {
      templateStack.push({ depth: braceDepth, raw });
    }
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
      spaceBefore = true;
      i++;
      continue;
    }
    if (c === CH_LF) {
      spaceBefore = true;
      nlBefore = true;
      i++;
      row++;
      lineStart = i;
      continue;
    }
    const start = i;
    const col = i - lineStart + 1;
    if (isLetter(c)) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isLetter(d) || isDigit(d)) i++;
        else break;
      }
      const text = src.slice(start, i);
      push("ident", start, i, text, row, col);
      continue;
    }
    if (isDigit(c)) {
      let error: string | undefined;
      while (i < n && isDigit(src.charCodeAt(i))) i++;
      if (src.charCodeAt(i) === CH_DOT) {
        i++;
        const f = i;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
        if (i === f) error = "expected fraction";
      }
      const e = src.charCodeAt(i);
      if (e === 101 || e === 69) {
        i++;
        const s = src.charCodeAt(i);
        if (s === CH_PLUS || s === CH_MINUS) i++;
        const f = i;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
        if (i === f) error = "expected exponent";
      }
      if (i < n && isLetter(src.charCodeAt(i))) {
        error = "illegal number format";
        while (i < n && (isLetter(src.charCodeAt(i)) || isDigit(src.charCodeAt(i)))) i++;
      }
      const text = src.slice(start, i);
      const tok = push("number", start, i, text, row, col);
      if (error) tok.error = error;
      continue;
    }
    switch (c) {
      case CH_HASH: {
        let j = i + 1;
        while (j < n && src.charCodeAt(j) !== CH_LF) j++;
        let end = j;
        if (end > i + 1 && src.charCodeAt(end - 1) === CH_CR) end--;
        comments.push({ text: src.slice(i + 1, end), offset: i, end, row, col });
        spaceBefore = true;
        i = j;
        continue;
      }
      case CH_DQUOTE: {
        let j = i + 1;
        let hasEscape = false;
        let error: string | undefined;
        for (;;) {
          if (j >= n || src.charCodeAt(j) === CH_LF) {
            error = "non-terminated string";
            break;
          }
          const d = src.charCodeAt(j);
          if (d === CH_DQUOTE) break;
          if (d === CH_BSLASH) {
            hasEscape = true;
            j += 2;
            continue;
          }
          j++;
        }
        if (j > n) j = n;
        const bodyEnd = j;
        i = error ? j : j + 1;
        let value = src.slice(start + 1, bodyEnd);
        if (hasEscape && !error) {
          const d = decodeEscapes(src, start + 1, bodyEnd, false);
          value = d.value;
          error = d.error;
        }
        const tok = push("string", start, i, value, row, col);
        if (error) tok.error = error;
        continue;
      }
      case CH_BACKTICK: {
        let j = i + 1;
        const startRow = row;
        while (j < n && src.charCodeAt(j) !== CH_BACKTICK) {
          if (src.charCodeAt(j) === CH_LF) {
            row++;
            lineStart = j + 1;
          }
          j++;
        }
        const terminated = j < n;
        i = terminated ? j + 1 : n;
        const tok = push("string", start, i, src.slice(start + 1, j), startRow, col);
        tok.raw = true;
        if (!terminated) tok.error = "non-terminated raw string";
        continue;
      }
      case CH_DOLLAR: {
        const d = src.charCodeAt(i + 1);
        if (d === CH_DQUOTE || d === CH_BACKTICK) {
          i += 2;
          scanTemplate(start, d === CH_BACKTICK, true, row, col);
          continue;
        }
        i++;
        push("ident", start, i, "$", row, col).error = "illegal $ character";
        continue;
      }
      case CH_LBRACE:
        braceDepth++;
        i++;
        push("{", start, i, "{", row, col);
        continue;
      case CH_RBRACE: {
        const top = templateStack[templateStack.length - 1];
        if (top && top.depth === braceDepth) {
          templateStack.pop();
          i++;
          scanTemplate(start, top.raw, false, row, col);
          continue;
        }
        if (braceDepth > 0) braceDepth--;
        i++;
        push("}", start, i, "}", row, col);
        continue;
      }
      case CH_COLON:
        if (src.charCodeAt(i + 1) === CH_EQ) {
          i += 2;
          push(":=", start, i, ":=", row, col);
        } else {
          i++;
          push(":", start, i, ":", row, col);
        }
        continue;
      case CH_EQ:
        if (src.charCodeAt(i + 1) === CH_EQ) {
          i += 2;
          push("==", start, i, "==", row, col);
        } else {
          i++;
          push("=", start, i, "=", row, col);
        }
        continue;
      case CH_LT:
      case CH_GT: {
        const eq = src.charCodeAt(i + 1) === CH_EQ;
        i += eq ? 2 : 1;
        const kind: TokenKind = c === CH_LT ? (eq ? "<=" : "<") : eq ? ">=" : ">";
        push(kind, start, i, kind, row, col);
        continue;
      }
      case CH_BANG:
        if (src.charCodeAt(i + 1) === CH_EQ) {
          i += 2;
          push("!=", start, i, "!=", row, col);
        } else {
          i++;
          push("!=", start, i, "!", row, col).error = "illegal ! character";
        }
        continue;
      default: {
        const kind = SINGLE[c];
        if (kind) {
          i++;
          push(kind, start, i, kind, row, col);
          continue;
        }
        // Any other character (including non-ASCII letters, which Rego identifiers do not allow).
        const cp = src.codePointAt(i) ?? c;
        i += cp > 0xffff ? 2 : 1;
        const shown = cp < 0x20 || cp === 0x7f ? `\\u${cp.toString(16).padStart(4, "0")}` : String.fromCodePoint(cp);
        push("ident", start, i, src.slice(start, i), row, col).error = `illegal character \`${shown}\``;
        continue;
      }
    }
  }
  const col = i - lineStart + 1;
  push("eof", n, n, "", row, col);
  return { tokens, comments };
}
