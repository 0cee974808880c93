/**
 * Gatekeeper's mutation `location` language, reimplemented from its documented grammar so that
 * policyc rejects at build time what Gatekeeper's webhook would reject:
 *
 *   path    := segment ("." segment)*
 *   segment := ident ("[" ident ":" ("*" | ident) "]")?
 *   ident   := [A-Za-z0-9_-]+ | "double quoted" | 'single quoted'   (backslash escapes)
 */

export type LocationNode =
  | { type: "object"; name: string; offset: number }
  | { type: "list"; keyField: string; keyValue?: string; glob: boolean; offset: number };

export class LocationError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Tok = { t: "ident" | "." | "[" | "]" | ":" | "*" | "eof"; v: string; at: number };

const identChar = /[A-Za-z0-9_-]/;

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (".[]:*".includes(c)) {
      out.push({ t: c as Tok["t"], v: c, at: i });
      i++;
    } else if (c === '"' || c === "'") {
      const start = i;
      let v = "";
      i++;
      for (;;) {
        if (i >= s.length) throw new LocationError("unterminated quoted key", start);
        const ch = s[i]!;
        if (ch === c) break;
        if (ch === "\\") {
          i++;
          if (i < s.length) v += s[i];
        } else v += ch;
        i++;
      }
      i++;
      out.push({ t: "ident", v, at: start });
    } else if (identChar.test(c)) {
      const start = i;
      while (i < s.length && identChar.test(s[i]!)) i++;
      out.push({ t: "ident", v: s.slice(start, i), at: start });
    } else {
      throw new LocationError(`character \`${c}\` is not allowed here; quote keys that contain it ("...")`, i);
    }
  }
  out.push({ t: "eof", v: "", at: s.length });
  return out;
}

/** Parses a location; throws LocationError with the offending offset. */
export function parseLocation(s: string): LocationNode[] {
  const toks = tokenize(s);
  let k = 0;
  const peek = () => toks[k]!;
  const next = () => toks[k++]!;
  const describe = (t: Tok) => (t.t === "eof" ? "end of location" : `\`${t.v}\``);
  const nodes: LocationNode[] = [];
  if (peek().t === "eof") throw new LocationError("the location is empty", 0);
  for (;;) {
    const name = next();
    if (name.t !== "ident") throw new LocationError(`expected a field name, got ${describe(name)}`, name.at);
    nodes.push({ type: "object", name: name.v, offset: name.at });
    if (peek().t === "[") {
      const open = next();
      const key = next();
      if (key.t !== "ident") throw new LocationError(`expected a key field in \`[key: value]\`, got ${describe(key)}`, key.at);
      const colon = next();
      if (colon.t !== ":") throw new LocationError(`expected \`:\` after key field \`${key.v}\`, got ${describe(colon)}`, colon.at);
      const val = next();
      if (val.t !== "*" && val.t !== "ident") throw new LocationError(`expected a key value or \`*\`, got ${describe(val)}`, val.at);
      const close = next();
      if (close.t !== "]") throw new LocationError(`expected \`]\`, got ${describe(close)}`, close.at);
      nodes.push(val.t === "*" ? { type: "list", keyField: key.v, glob: true, offset: open.at } : { type: "list", keyField: key.v, keyValue: val.v, glob: false, offset: open.at });
    }
    const sep = next();
    if (sep.t === "eof") return nodes;
    if (sep.t !== ".") throw new LocationError(`expected \`.\` or end of location, got ${describe(sep)}`, sep.at);
    if (peek().t === "eof") throw new LocationError("a location cannot end with `.`", sep.at);
  }
}

/** True when the path starts at `metadata` (Assign, ModifySet and AssignImage may not go there). */
export function startsAtMetadata(nodes: readonly LocationNode[]): boolean {
  return nodes[0]?.type === "object" && nodes[0].name === "metadata";
}

/** AssignMetadata's rule: exactly `metadata.labels.<key>` or `metadata.annotations.<key>`. */
export function isMetadataLocation(nodes: readonly LocationNode[]): boolean {
  if (nodes.length !== 3 || nodes.some((n) => n.type !== "object")) return false;
  const [a, b] = nodes as unknown as { name: string }[];
  return a!.name === "metadata" && (b!.name === "labels" || b!.name === "annotations");
}

/** The key field a path changes right after selecting a list element by it (`[name: x].name`), if any. */
export function changedKeyField(nodes: readonly LocationNode[]): string | undefined {
  for (let i = 0; i + 1 < nodes.length; i++) {
    const n = nodes[i]!;
    const after = nodes[i + 1]!;
    if (n.type === "list" && after.type === "object" && after.name === n.keyField) return n.keyField;
  }
  return undefined;
}
