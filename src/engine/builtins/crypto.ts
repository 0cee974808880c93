/**
 * Hash and HMAC built-ins (`crypto.md5/sha1/sha256`, `crypto.hmac.*`) on node:crypto. Inputs are the
 * strings' UTF-8 bytes; digests are lowercase hex, as in Go OPA.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Value } from "./value.js";
import type { Builtin } from "./tagged.js";

function str(v: Value): string {
  if (typeof v !== "string") throw new TypeError("string expected");
  return v;
}

const hash = (alg: string): Builtin => (s) => createHash(alg).update(str(s), "utf8").digest("hex");
const hmac = (alg: string): Builtin => (s, k) => createHmac(alg, Buffer.from(str(k), "utf8")).update(str(s), "utf8").digest("hex");

export const cryptoBuiltins: Record<string, Builtin> = {
  "crypto.md5": hash("md5"),
  "crypto.sha1": hash("sha1"),
  "crypto.sha256": hash("sha256"),
  "crypto.hmac.md5": hmac("md5"),
  "crypto.hmac.sha1": hmac("sha1"),
  "crypto.hmac.sha256": hmac("sha256"),
  "crypto.hmac.sha512": hmac("sha512"),
  "crypto.hmac.equal": (a, b) => {
    const x = Buffer.from(str(a), "utf8");
    const y = Buffer.from(str(b), "utf8");
    return x.length === y.length && timingSafeEqual(x, y);
  },
};
