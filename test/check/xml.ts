/**
 * A small XML reader for the JUnit report test: elements, attributes, text and the five entities,
 * into the JSON form `schemas/reports/junit.json` describes ('@attr', child arrays by tag, '#text').
 * It rejects what a conforming parser rejects in such documents: mismatched or unclosed tags,
 * unescaped `<` or `&`, duplicate attributes.
 */
type Node = Record<string, unknown>;

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(s: string): string {
  if (/<|&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s)) throw new Error(`unescaped markup in ${JSON.stringify(s.slice(0, 40))}`);
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : ENTITIES[e]!,
  );
}

export function parseXml(text: string): Node {
  let i = 0;
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, "");
  const root: Node = {};
  const stack: { tag: string; node: Node }[] = [{ tag: "", node: root }];
  while (i < body.length) {
    const lt = body.indexOf("<", i);
    const chunk = lt < 0 ? body.slice(i) : body.slice(i, lt);
    if (chunk.trim() !== "") {
      const top = stack[stack.length - 1]!;
      if (top.tag === "") throw new Error("text outside the root element");
      top.node["#text"] = ((top.node["#text"] as string | undefined) ?? "") + decode(chunk);
    }
    if (lt < 0) break;
    const gt = body.indexOf(">", lt);
    if (gt < 0) throw new Error("unterminated tag");
    const tag = body.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      const top = stack.pop();
      if (!top || top.tag !== name) throw new Error(`</${name}> does not close <${top?.tag}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const m = /^([A-Za-z_][\w.-]*)([\s\S]*?)\/?$/.exec(tag);
    if (!m) throw new Error(`bad tag <${tag}>`);
    const node: Node = {};
    const attrRe = /\s+([A-Za-z_][\w.-]*)="([^"]*)"/gy;
    let rest = m[2]!;
    let am: RegExpExecArray | null;
    let consumed = 0;
    while ((am = attrRe.exec(rest))) {
      const key = `@${am[1]}`;
      if (key in node) throw new Error(`duplicate attribute ${am[1]}`);
      node[key] = decode(am[2]!);
      consumed = attrRe.lastIndex;
    }
    rest = rest.slice(consumed);
    if (rest.trim() !== "") throw new Error(`bad attributes in <${tag}>`);
    const parent = stack[stack.length - 1]!.node;
    ((parent[m[1]!] ??= []) as Node[]).push(node);
    if (!selfClosing) stack.push({ tag: m[1]!, node });
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.tag}>`);
  return root;
}
