/**
 * `io.jwt.*`: decoding (nested `cty: JWT` tokens included), signature verification for HS, RS, PS,
 * ES and EdDSA with keys given as PEM certificates, PEM public keys, JWKs or JWK sets, the
 * `decode_verify` constraint checks (alg, iss, aud, exp, nbf, time), and signing from JWKs.
 */
import { createHmac, createPublicKey, createPrivateKey, sign as cryptoSign, verify as cryptoVerify, X509Certificate, timingSafeEqual, constants, type KeyObject } from "node:crypto";
import { type Value, type PlainObject, isObject, objectEntries, objectGet, toFloat, isNumber } from "./value.js";
import { parseJson } from "./json.js";
import { goJson } from "./format.js";
import type { Builtin } from "./tagged.js";

const B64URL = /^[A-Za-z0-9_-]*$/;

/** Go's base64.RawURLEncoding with the error text OPA reports. */
function b64urlDecode(s: string, what: string): Buffer {
  const t = s.replace(/=+$/, "");
  for (let i = 0; i < t.length; i++) {
    if (!B64URL.test(t[i]!)) throw new Error(`JWT ${what} had invalid encoding: illegal base64 data at input byte ${i}`);
  }
  if (t.length % 4 === 1) throw new Error(`JWT ${what} had invalid encoding: illegal base64 data at input byte ${t.length - 1}`);
  return Buffer.from(t, "base64url");
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString("base64url");

interface Layer {
  /** The signed part (`header.payload`), the signature and the header's alg of one token. */
  signingInput: string;
  signature: Buffer;
  alg: string;
  header: PlainObject;
}

interface Decoded {
  /** Header and payload of the innermost token. */
  header: PlainObject;
  payload: Value;
  signature: Buffer;
  /** Every token from the outermost to the innermost (nested `cty: JWT` tokens). */
  layers: Layer[];
  /** The outermost header's alg. */
  alg: string;
}

function jsonObject(buf: Buffer, what: string): PlainObject {
  let v: Value;
  try {
    v = parseJson(buf.toString("utf8"));
  } catch {
    throw new Error(`JWT ${what} had invalid JSON`);
  }
  if (!isObject(v)) throw new Error(`JWT ${what} must be a JSON object`);
  return v as PlainObject;
}

function decodeToken(token: string): Decoded {
  if (!token.includes(".")) throw new Error("encoded JWT had no period separators");
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error(`encoded JWT must have 3 sections, found ${parts.length}`);
  const header = jsonObject(b64urlDecode(parts[0]!, "header"), "header");
  if (objectGet(header, "enc") !== undefined) throw new Error("JWT is a JWE object, which is not supported");
  const payloadBytes = b64urlDecode(parts[1]!, "payload");
  const signature = b64urlDecode(parts[2]!, "signature");
  const a = objectGet(header, "alg");
  const alg = typeof a === "string" ? a : "";
  const layer: Layer = { signingInput: `${parts[0]}.${parts[1]}`, signature, alg, header };
  const cty = objectGet(header, "cty");
  if (typeof cty === "string" && cty.toUpperCase() === "JWT") {
    // The inner token may be a JSON string or the bare compact serialization.
    const text = payloadBytes.toString("utf8");
    let inner: Value = text;
    try {
      inner = parseJson(text);
    } catch {
      inner = text.trim();
    }
    if (typeof inner !== "string") throw new Error("JWT payload of a nested token must be a token");
    const d = decodeToken(inner);
    return { ...d, layers: [layer, ...d.layers], alg };
  }
  return { header, payload: jsonObject(payloadBytes, "payload"), signature, layers: [layer], alg };
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

/** Public keys from a PEM certificate / public key, a JWK or a JWK set. */
function publicKeys(text: string): KeyObject[] {
  const t = text.trim();
  if (t.startsWith("-----BEGIN")) {
    const keys: KeyObject[] = [];
    const blocks = t.match(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g) ?? [];
    if (t.replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "").trim() !== "") throw new Error("extra data after a PEM certificate block");
    for (const b of blocks) {
      if (b.includes("CERTIFICATE")) keys.push(new X509Certificate(b).publicKey);
      else keys.push(createPublicKey(b));
    }
    if (keys.length === 0) throw new Error("failed to parse a PEM certificate or key");
    return keys;
  }
  const j = JSON.parse(t) as { keys?: object[] } & Record<string, unknown>;
  const jwks = Array.isArray(j.keys) ? j.keys : [j];
  return jwks.map((k) => createPublicKey({ key: k as import("node:crypto").JsonWebKey, format: "jwk" }));
}

const HASH: Record<string, string> = { "256": "sha256", "384": "sha384", "512": "sha512" };

function verifySignature(alg: string, input: string, sig: Buffer, key: { secret?: string; keys?: KeyObject[] }): boolean {
  const family = alg.slice(0, 2);
  const hash = HASH[alg.slice(2)];
  if (family === "HS" && hash) {
    if (key.secret === undefined) return false;
    const mac = createHmac(hash, Buffer.from(key.secret, "utf8")).update(input).digest();
    return mac.length === sig.length && timingSafeEqual(mac, sig);
  }
  if (!key.keys) return false;
  const data = Buffer.from(input);
  for (const k of key.keys) {
    try {
      if (alg === "EdDSA") {
        if (cryptoVerify(null, data, k, sig)) return true;
      } else if (family === "RS" && hash) {
        if (k.asymmetricKeyType === "rsa" && cryptoVerify(hash, data, k, sig)) return true;
      } else if (family === "PS" && hash) {
        if (cryptoVerify(hash, data, { key: k, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig)) return true;
      } else if (family === "ES" && hash) {
        if (k.asymmetricKeyType === "ec" && cryptoVerify(hash, data, { key: k, dsaEncoding: "ieee-p1363" }, sig)) return true;
      }
    } catch {
      // wrong key type for this algorithm: try the next key
    }
  }
  return false;
}

function verifier(alg: string, withSecret: boolean): Builtin {
  return (token, key) => {
    if (typeof token !== "string" || typeof key !== "string") return undefined;
    const parts = token.split(".");
    if (parts.length !== 3) throw new Error(`encoded JWT must have 3 sections, found ${parts.length}`);
    const sig = b64urlDecode(parts[2]!, "signature");
    const header = jsonObject(b64urlDecode(parts[0]!, "header"), "header");
    void header;
    const k = withSecret ? { secret: key } : { keys: publicKeys(key) };
    return verifySignature(alg, `${parts[0]}.${parts[1]}`, sig, k);
  };
}

// ---------------------------------------------------------------------------------------------
// decode_verify
// ---------------------------------------------------------------------------------------------

const CONSTRAINT_KEYS = new Set(["cert", "secret", "alg", "iss", "aud", "time"]);

function decodeVerify(token: Value, constraints: Value): Value | undefined {
  if (typeof token !== "string" || !isObject(constraints)) return undefined;
  let cert: string | undefined;
  let secret: string | undefined;
  let alg: string | undefined;
  let iss: string | undefined;
  let aud: string | undefined;
  let time: number | undefined;
  for (const [k, v] of objectEntries(constraints)) {
    if (typeof k !== "string" || !CONSTRAINT_KEYS.has(k)) throw new Error(`unknown token validation constraint: ${String(k)}`);
    if (k === "time") {
      if (!isNumber(v)) throw new TypeError("time must be a number");
      time = toFloat(v);
      continue;
    }
    if (typeof v !== "string") throw new TypeError(`${k} must be a string`);
    if (k === "cert") cert = v;
    else if (k === "secret") secret = v;
    else if (k === "alg") alg = v;
    else if (k === "iss") iss = v;
    else aud = v;
  }
  if (cert === undefined && secret === undefined) throw new Error("no key or secret provided");
  const invalid: Value = [false, {}, {}];
  const d = decodeToken(token);
  if (alg !== undefined && d.alg !== alg) return invalid;
  const keys = { ...(cert !== undefined ? { keys: publicKeys(cert) } : {}), ...(secret !== undefined ? { secret } : {}) };
  for (const l of d.layers) {
    // Unknown critical header extensions make a token invalid (RFC 7515 §4.1.11).
    if (objectGet(l.header, "crit") !== undefined) return invalid;
    if (!verifySignature(l.alg, l.signingInput, l.signature, keys)) return invalid;
  }
  const payload = d.payload as PlainObject;
  const now = time ?? Date.now() * 1e6;
  const exp = objectGet(payload, "exp");
  if (exp !== undefined) {
    if (!isNumber(exp)) throw new TypeError("exp claim must be a number");
    if (now >= toFloat(exp) * 1e9) return invalid;
  }
  const nbf = objectGet(payload, "nbf");
  if (nbf !== undefined) {
    if (!isNumber(nbf)) throw new TypeError("nbf claim must be a number");
    if (now < toFloat(nbf) * 1e9) return invalid;
  }
  if (iss !== undefined && objectGet(payload, "iss") !== iss) return invalid;
  const pa = objectGet(payload, "aud");
  if (pa !== undefined) {
    if (aud === undefined) return invalid;
    const ok = typeof pa === "string" ? pa === aud : Array.isArray(pa) ? pa.includes(aud) : false;
    if (!ok) return invalid;
  } else if (aud !== undefined) return invalid;
  return [true, d.header, payload];
}

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

function signWithJwk(alg: string, input: string, jwk: Record<string, unknown>): Buffer {
  const family = alg.slice(0, 2);
  const hash = HASH[alg.slice(2)];
  if (family === "HS" && hash) {
    if (typeof jwk.k !== "string") throw new Error("HMAC signing needs a JWK of kty oct with k");
    return createHmac(hash, Buffer.from(jwk.k, "base64url")).update(input).digest();
  }
  const key = createPrivateKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
  const data = Buffer.from(input);
  if (alg === "EdDSA") return cryptoSign(null, data, key);
  if (!hash) throw new Error(`unsupported signing algorithm ${alg}`);
  if (family === "RS") return cryptoSign(hash, data, key);
  if (family === "PS") return cryptoSign(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  if (family === "ES") return cryptoSign(hash, data, { key, dsaEncoding: "ieee-p1363" });
  throw new Error(`unsupported signing algorithm ${alg}`);
}

const SIGNING_ALGS = new Set(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "HS256", "HS384", "HS512", "EdDSA"]);

function encodeSignRaw(header: string, payload: string, key: string): string {
  const h = parseJson(header);
  if (!isObject(h)) throw new Error("JWS header must be a JSON object");
  const alg = objectGet(h, "alg");
  if (typeof alg !== "string") throw new Error("missing or invalid 'alg' header");
  if (!SIGNING_ALGS.has(alg)) throw new Error(`unknown JWS algorithm: ${alg}`);
  // As OPA: a payload without a typ, or of typ "JWT", must be JSON (any JSON value).
  const typ = objectGet(h, "typ");
  if (typeof typ !== "string" || typ === "JWT") {
    try {
      parseJson(payload);
    } catch {
      throw new Error("type is JWT but payload is not JSON");
    }
  }
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${b64url(signWithJwk(alg, input, signingKey(key)))}`;
}

/** The key to sign with: a JWK, or the first key of a JWK set, as OPA's `jwk.Parse` gives it. */
function signingKey(text: string): Record<string, unknown> {
  const j = JSON.parse(text) as unknown;
  if (j === null || typeof j !== "object" || Array.isArray(j)) throw new Error("failed to parse JWK: expected an object");
  const o = j as Record<string, unknown>;
  if (!("keys" in o)) return o;
  if (!Array.isArray(o.keys)) throw new Error("failed to parse JWK set: keys must be an array");
  const first = o.keys[0] as unknown;
  if (first === undefined) throw new Error("no keys found in JWK set");
  if (first === null || typeof first !== "object" || Array.isArray(first)) throw new Error("failed to parse JWK set: a key must be an object");
  return first as Record<string, unknown>;
}

function encodeSign(header: Value, payload: Value, key: Value): Value | undefined {
  if (!isObject(header) || !isObject(key)) return undefined;
  if (!isObject(payload)) throw new TypeError("payload must be an object");
  return encodeSignRaw(goJson(header), goJson(payload), goJson(key));
}

export const jwtBuiltins: Record<string, Builtin> = {
  "io.jwt.decode": (token) => {
    if (typeof token !== "string") return undefined;
    const d = decodeToken(token);
    return [d.header, d.payload, d.signature.toString("hex")];
  },
  "io.jwt.decode_verify": decodeVerify,
  "io.jwt.verify_hs256": verifier("HS256", true),
  "io.jwt.verify_hs384": verifier("HS384", true),
  "io.jwt.verify_hs512": verifier("HS512", true),
  "io.jwt.verify_rs256": verifier("RS256", false),
  "io.jwt.verify_rs384": verifier("RS384", false),
  "io.jwt.verify_rs512": verifier("RS512", false),
  "io.jwt.verify_ps256": verifier("PS256", false),
  "io.jwt.verify_ps384": verifier("PS384", false),
  "io.jwt.verify_ps512": verifier("PS512", false),
  "io.jwt.verify_es256": verifier("ES256", false),
  "io.jwt.verify_es384": verifier("ES384", false),
  "io.jwt.verify_es512": verifier("ES512", false),
  "io.jwt.verify_eddsa": verifier("EdDSA", false),
  "io.jwt.encode_sign": encodeSign,
  "io.jwt.encode_sign_raw": (h, p, k) => {
    if (typeof h !== "string" || typeof p !== "string" || typeof k !== "string") return undefined;
    return encodeSignRaw(h, p, k);
  },
};
