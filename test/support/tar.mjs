/**
 * Writes ustar archives as opa bundles hold them, for tests and the stand-in `opa`: one entry is a
 * 512-byte header and the data padded to 512 bytes; an archive ends with two empty blocks.
 */

/** One ustar entry (a name of at most 100 bytes). */
export function tarEntry(name, data) {
  const header = new Uint8Array(512);
  const put = (s, at) => header.set(new TextEncoder().encode(s), at);
  put(name, 0);
  put("0000644\0", 100);
  put(`${data.length.toString(8).padStart(11, "0")}\0`, 124);
  put("0", 156);
  put("ustar\0", 257);
  put("00", 263);
  put("        ", 148);
  let sum = 0;
  for (const b of header) sum += b;
  put(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  const out = new Uint8Array(512 + Math.ceil(data.length / 512) * 512);
  out.set(header);
  out.set(data, 512);
  return out;
}

/** The archive of `entries` ([name, bytes] pairs), end blocks included. */
export function tarArchive(entries) {
  const parts = [...entries.map(([name, data]) => tarEntry(name, data)), new Uint8Array(1024)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
