/**
 * A minimal DER reader for the X.509 built-ins: tag-length-value items, their children, object
 * identifiers, integers, bit strings and times, read as Go's encoding/asn1 and cryptobyte read them.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte (the item's whole encoding starts here). */
  hdr: number;
  /** Content start. */
  start: number;
  /** Content end (also the end of the whole encoding). */
  end: number;
}

export function tlv(buf: Buffer, off: number): Tlv {
  if (off + 2 > buf.length) throw new Error("asn1: structure error: truncated");
  const tag = buf[off]!;
  let len = buf[off + 1]!;
  let p = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error("asn1: structure error: bad length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > buf.length) throw new Error("asn1: structure error: truncated");
  return { tag, hdr: off, start: p, end: p + len };
}

export function children(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let off = t.start;
  while (off < t.end) {
    const c = tlv(buf, off);
    out.push(c);
    off = c.end;
  }
  return out;
}

/** The item's content bytes. */
export const content = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.start, t.end);

/** The item's whole encoding, tag and length included (Go's `FullBytes`, `Raw`). */
export const whole = (buf: Buffer, t: Tlv): Buffer => buf.subarray(t.hdr, t.end);

/** An OBJECT IDENTIFIER's arcs, the first two split as X.690 says (arc 2 takes what is left). */
export function oid(buf: Buffer, t: Tlv): number[] {
  const out: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    const b = buf[i]!;
    v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (out.length === 0) out.push(...(v < 80 ? [Math.floor(v / 40), v % 40] : [2, v - 80]));
    else out.push(v);
    v = 0;
  }
  return out;
}

/** A two's-complement INTEGER. */
export function integer(buf: Buffer, t: Tlv): bigint {
  const b = content(buf, t);
  if (b.length === 0) return 0n;
  let v = BigInt("0x" + b.toString("hex"));
  if (b[0]! & 0x80) v -= 1n << BigInt(b.length * 8);
  return v;
}

/** A BIT STRING's bytes (the leading unused-bits count dropped) and its length in bits. */
export function bitString(buf: Buffer, t: Tlv): { bytes: Buffer; bits: number } {
  const b = content(buf, t);
  if (b.length === 0) return { bytes: Buffer.alloc(0), bits: 0 };
  return { bytes: b.subarray(1), bits: (b.length - 1) * 8 - b[0]! };
}

/** Bit i of a BIT STRING, counted from the first byte's most significant bit (Go's BitString.At). */
export function bitAt(bs: { bytes: Buffer; bits: number }, i: number): number {
  if (i < 0 || i >= bs.bits) return 0;
  return (bs.bytes[i >> 3]! >> (7 - (i % 8))) & 1;
}

/**
 * A UTCTime or GeneralizedTime as Go's time.Time marshals to JSON (RFC 3339 with nanoseconds,
 * trailing zeros dropped, in UTC).
 */
export function asn1Time(buf: Buffer, t: Tlv): string {
  const s = content(buf, t).toString("latin1");
  const m = t.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(s);
  if (!m) throw new Error("x509: malformed validity");
  let year = m[1]!;
  if (t.tag === 0x17) year = String(Number(year) + (Number(year) >= 50 ? 1900 : 2000));
  const frac = (m[7] ?? "").replace(/0+$/, "");
  return `${year.padStart(4, "0")}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${frac === "." ? "" : frac}Z`;
}
