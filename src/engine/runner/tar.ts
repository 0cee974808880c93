/**
 * A minimal reader for (gzipped) ustar archives, enough to pull `policy.wasm` out of the bundle
 * that `opa build` writes.
 */
import { gunzipSync } from "node:zlib";

export interface TarEntry {
  name: string;
  data: Uint8Array;
}

export function readTar(archive: Uint8Array): TarEntry[] {
  const bytes = archive[0] === 0x1f && archive[1] === 0x8b ? new Uint8Array(gunzipSync(archive)) : archive;
  const out: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= bytes.length) {
    const header = bytes.subarray(pos, pos + 512);
    if (header.every((b) => b === 0)) break;
    const text = (from: number, len: number) => {
      const raw = header.subarray(from, from + len);
      const end = raw.indexOf(0);
      return new TextDecoder().decode(end >= 0 ? raw.subarray(0, end) : raw);
    };
    const size = parseInt(text(124, 12).trim() || "0", 8);
    const type = String.fromCharCode(header[156]!);
    const prefix = text(257, 6).startsWith("ustar") ? text(345, 155) : "";
    let name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
    const data = bytes.subarray(pos + 512, pos + 512 + size);
    pos += 512 + Math.ceil(size / 512) * 512;
    if (type === "L") {
      longName = new TextDecoder().decode(data).replace(/\0+$/, "");
      continue;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    if (type === "0" || type === "\0") out.push({ name, data: data.slice() });
  }
  return out;
}
