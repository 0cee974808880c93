/**
 * Test helper: replaces the body of an exported function in runtime.wasm, as the Wasm back end does
 * with eval/builtins/entrypoints. Proves that the runtime reaches those stubs through their function
 * index (nothing inlined them) and lets tests install a builtins() table for host fallbacks.
 */
function readU32(buf: Uint8Array, pos: number): [number, number] {
  let result = 0, shift = 0, b: number;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return [result >>> 0, pos];
}

export function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

interface Section { id: number; start: number; end: number; head: number }

function sections(buf: Uint8Array): Section[] {
  const out: Section[] = [];
  let pos = 8;
  while (pos < buf.length) {
    const [size, start] = readU32(buf, pos + 1);
    out.push({ id: buf[pos], start, end: start + size, head: pos });
    pos = start + size;
  }
  return out;
}

/** Function index of each exported function, and the number of imported functions. */
export function functionIndex(buf: Uint8Array): { exports: Record<string, number>; imported: number } {
  const secs = sections(buf);
  let imported = 0;
  const imp = secs.find((s) => s.id === 2);
  if (imp) {
    let [n, p] = readU32(buf, imp.start);
    for (let i = 0; i < n; i++) {
      let len: number;
      [len, p] = readU32(buf, p); p += len;
      [len, p] = readU32(buf, p); p += len;
      const kind = buf[p++];
      if (kind === 0) { [, p] = readU32(buf, p); imported++; }
      else if (kind === 1) { p++; const f = buf[p++]; [, p] = readU32(buf, p); if (f & 1) [, p] = readU32(buf, p); }
      else if (kind === 2) { const f = buf[p++]; [, p] = readU32(buf, p); if (f & 1) [, p] = readU32(buf, p); }
      else p += 2;
    }
  }
  const exports: Record<string, number> = {};
  const ex = secs.find((s) => s.id === 7)!;
  let [n, p] = readU32(buf, ex.start);
  for (let i = 0; i < n; i++) {
    let len: number;
    [len, p] = readU32(buf, p);
    const name = Buffer.from(buf.subarray(p, p + len)).toString("utf8");
    p += len;
    const kind = buf[p++];
    let idx: number;
    [idx, p] = readU32(buf, p);
    if (kind === 0) exports[name] = idx;
  }
  return { exports, imported };
}

/** Returns a copy of the module with the body (locals + code, without the size) of `name` replaced. */
export function replaceBody(buf: Uint8Array, name: string, body: number[]): Uint8Array<ArrayBuffer> {
  const { exports, imported } = functionIndex(buf);
  const target = exports[name] - imported;
  const code = sections(buf).find((s) => s.id === 10)!;
  let [count, p] = readU32(buf, code.start);
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const [size, start] = readU32(buf, p);
    bodies.push(i === target ? Uint8Array.from([...leb(body.length), ...body]) : buf.subarray(p, start + size));
    p = start + size;
  }
  const payload = Buffer.concat([Uint8Array.from(leb(count)), ...bodies]);
  return new Uint8Array(Buffer.concat([buf.subarray(0, code.head), Uint8Array.from([10, ...leb(payload.length)]), payload, buf.subarray(code.end)]));
}
