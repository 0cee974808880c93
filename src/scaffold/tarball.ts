/**
 * Reads single files out of an npm package tarball (a gzipped ustar archive, as `npm pack` writes
 * it), so `policyc init --policyc X.tgz` can see the package.json and dependency lock the tarball
 * carries without unpacking it anywhere.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** The contents of the archive's members whose paths `wanted` lists (missing ones are absent). */
export function readTarballFiles(file: string, wanted: readonly string[]): Map<string, Buffer> {
  const data = gunzipSync(readFileSync(file));
  const out = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let at = 0; at + 512 <= data.length; ) {
    const header = data.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.subarray(from, from + len).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    const body = data.subarray(at + 512, at + 512 + size);
    if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
    else if ((type === "0" || type === "") && wanted.includes(name)) out.set(name, Buffer.from(body));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}
