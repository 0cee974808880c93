/**
 * `crypto.x509.*` and `crypto.parse_private_keys`: certificates, chains, CSRs and keys from PEM,
 * base64-encoded PEM or base64 DER. Certificates and requests have the shape of Go's x509 structs
 * (`x509-go.ts`); private keys come back as JWKs. node:crypto does the chain verification.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { type Value, type PlainObject, type RObject, setKey, isObject, isNumber, isSet, objectEntries, toBigInt, fromBigInt } from "./value.js";
import { parseIp } from "./net.js";
import { tlv } from "./der.js";
import { goCertificate, goCertificateRequest } from "./x509-go.js";
import type { Builtin } from "./tagged.js";

// ---------------------------------------------------------------------------------------------
// Input decoding
// ---------------------------------------------------------------------------------------------

const STD_B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Go's base64.StdEncoding: strict alphabet and padding, with its error text. */
function b64decode(s: string): Buffer {
  const t = s.replace(/[\r\n]/g, "");
  for (let i = 0; i < t.length; i++) {
    if (!/[A-Za-z0-9+/=]/.test(t[i]!)) throw new Error(`illegal base64 data at input byte ${i}`);
  }
  if (t.length % 4 !== 0 || !STD_B64.test(t)) throw new Error(`illegal base64 data at input byte ${Math.max(0, t.length - (t.length % 4 || 4))}`);
  return Buffer.from(t, "base64");
}

interface PemBlock {
  type: string;
  der: Buffer;
}

function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const body = m[2]!.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.includes(":")).join("");
    out.push({ type: m[1]!, der: Buffer.from(body, "base64") });
  }
  return out;
}

/** DER blobs from PEM text, base64 of PEM, or base64 of (concatenated) DER. */
function derInputs(s: string, pemType: string): Buffer[] {
  if (s.trimStart().startsWith("-----BEGIN")) return pemBlocks(s).filter((b) => b.type === pemType).map((b) => b.der);
  const raw = b64decode(s);
  const text = raw.toString("latin1");
  if (text.trimStart().startsWith("-----BEGIN")) return pemBlocks(text).filter((b) => b.type === pemType).map((b) => b.der);
  return splitDer(raw);
}

function splitDer(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < buf.length) {
    const t = tlv(buf, off);
    if (t.tag !== 0x30) throw new Error("x509: malformed certificate");
    out.push(buf.subarray(off, t.end));
    off = t.end;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

interface ParsedCert {
  /** OPA's value: Go's x509.Certificate with URIStrings. */
  value: PlainObject;
  cert: X509Certificate;
}

function certToValue(der: Buffer): ParsedCert {
  let c: X509Certificate;
  try {
    c = new X509Certificate(der);
  } catch {
    throw new Error("x509: malformed certificate");
  }
  return { value: goCertificate(der), cert: c };
}

/** A certificate without OPA's URIStrings, as the built-ins that return Go's struct itself give it. */
function withoutUriStrings(v: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [k, x] of Object.entries(v)) if (k !== "URIStrings") setKey(out, k, x);
  return out;
}

function parseCertificates(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const ders = derInputs(s, "CERTIFICATE");
  if (ders.length === 0) throw new Error("x509: malformed certificate");
  return ders.map((d) => certToValue(d).value);
}

/** x509.VerifyOptions from OPA's options object (extractVerifyOpts). */
interface VerifyOptions {
  /** Nanoseconds since the epoch; undefined is now. */
  currentTime?: bigint;
  dnsName?: string;
  keyUsages: number[];
}

const KEY_USAGE_OPTIONS: Record<string, number> = {
  KeyUsageAny: 0, KeyUsageServerAuth: 1, KeyUsageClientAuth: 2, KeyUsageCodeSigning: 3, KeyUsageEmailProtection: 4,
  KeyUsageIPSECEndSystem: 5, KeyUsageIPSECTunnel: 6, KeyUsageIPSECUser: 7, KeyUsageTimeStamping: 8, KeyUsageOCSPSigning: 9,
  KeyUsageMicrosoftServerGatedCrypto: 10, KeyUsageNetscapeServerGatedCrypto: 11, KeyUsageMicrosoftCommercialCodeSigning: 12,
  KeyUsageMicrosoftKernelCodeSigning: 13,
};

function verifyOptions(o: PlainObject | RObject): VerifyOptions {
  const out: VerifyOptions = { keyUsages: [] };
  for (const [k, v] of objectEntries(o)) {
    if (typeof k !== "string") continue;
    switch (k) {
      case "DNSName":
        if (typeof v !== "string") throw new Error("'DNSName' should be a string");
        out.dnsName = v;
        break;
      case "CurrentTime": {
        if (!isNumber(v)) throw new Error("'CurrentTime' should be a number");
        const n = toBigInt(v);
        if (n === undefined || n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new Error("'CurrentTime' should be a valid int64 number");
        out.currentTime = n;
        break;
      }
      case "MaxConstraintComparisons":
        if (!isNumber(v)) throw new Error("'MaxConstraintComparisons' should be a number");
        if (toBigInt(v) === undefined) throw new Error("'MaxConstraintComparisons' should be a valid number");
        break;
      case "KeyUsages": {
        const items = Array.isArray(v) ? v : isSet(v) ? v.items : undefined;
        if (!items) throw new Error("'KeyUsages' should be an Array or Set");
        const invalid: string[] = [];
        for (const u of items) {
          if (typeof u !== "string") continue;
          const ku = KEY_USAGE_OPTIONS[u];
          if (ku === undefined) invalid.push(u);
          else out.keyUsages.push(ku);
        }
        if (invalid.length) throw new Error(`invalid entries for 'KeyUsages' found: [${invalid.join(" ")}]`);
        break;
      }
      default:
        throw new Error("invalid key option");
    }
  }
  return out;
}

/** Signature algorithms Go's verifier refuses (MD2, MD5 and SHA-1 based). */
const INSECURE_SIGNATURES = new Set([1, 2, 3, 7, 9]);

/** Go's matchHostnames: case-insensitive, a leading "*." matching exactly one label. */
function matchesHostname(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, "").split(".");
  const h = host.toLowerCase().replace(/\.$/, "").split(".");
  if (p.length !== h.length || p.some((x) => x === "")) return false;
  return p.every((x, i) => (i === 0 && x === "*" ? h[0] !== "" : x === h[i]));
}

function verifyHostname(leaf: PlainObject, name: string): boolean {
  const ip = parseIp(name.replace(/^\[|\]$/g, ""));
  if (ip) return ((leaf.IPAddresses as string[] | null) ?? []).some((a) => parseIp(a)?.n === ip.n && parseIp(a)?.v6 === ip.v6);
  return ((leaf.DNSNames as string[] | null) ?? []).some((d) => matchesHostname(d, name));
}

/** Go's checkChainForKeyUsage: every certificate that lists usages must allow one of the requested. */
function chainAllows(chain: PlainObject[], requested: number[]): boolean {
  if (requested.includes(0)) return true;
  let usages = requested.slice();
  for (const c of chain) {
    const eku = (c.ExtKeyUsage as number[] | null) ?? [];
    if (eku.length === 0 && c.UnknownExtKeyUsage === null) continue;
    if (eku.includes(0)) continue;
    usages = usages.filter((u) => eku.includes(u) || (u === 1 && (eku.includes(10) || eku.includes(11))));
    if (usages.length === 0) return false;
  }
  return true;
}

/**
 * Go's x509 Verify over the chain OPA builds: the first certificate is the root, the last the leaf;
 * the verified chain comes back leaf first. Each certificate must be issued and signed by the next
 * one up, which must be a CA allowed to sign certificates (the root's own signature is not checked);
 * all must be valid at the current time; path lengths, the host name and the extended key usages
 * (ServerAuth when none are asked for) are checked as Go checks them.
 */
function verifyChain(s: Value, opts: VerifyOptions): [boolean, PlainObject[]] {
  const invalid: [boolean, PlainObject[]] = [false, []];
  let chain: ParsedCert[];
  try {
    chain = derInputs(s as string, "CERTIFICATE").map(certToValue).reverse();
  } catch {
    return invalid;
  }
  if (chain.length < 2) return invalid;
  const nowMs = opts.currentTime === undefined ? Date.now() : Number(opts.currentTime / 1000000n);
  for (let i = 0; i < chain.length; i++) {
    const { value, cert } = chain[i]!;
    if (nowMs < Date.parse(value.NotBefore as string) || nowMs > Date.parse(value.NotAfter as string)) return invalid;
    if (i > 0 && value.BasicConstraintsValid === true && (value.MaxPathLen as number) >= 0 && i - 1 > (value.MaxPathLen as number)) return invalid;
    if (i === chain.length - 1) break;
    const parent = chain[i + 1]!;
    const p = parent.value;
    if ((p.Version === 3 && p.BasicConstraintsValid !== true) || (p.BasicConstraintsValid === true && p.IsCA !== true)) return invalid;
    if (p.KeyUsage !== 0 && ((p.KeyUsage as number) & 32) === 0) return invalid;
    if (INSECURE_SIGNATURES.has(value.SignatureAlgorithm as number)) return invalid;
    if (!cert.checkIssued(parent.cert) || !cert.verify(parent.cert.publicKey)) return invalid;
  }
  const values = chain.map((c) => c.value);
  if (opts.dnsName !== undefined && opts.dnsName !== "" && !verifyHostname(values[0]!, opts.dnsName)) return invalid;
  if (!chainAllows(values, opts.keyUsages.length ? opts.keyUsages : [1])) return invalid;
  return [true, values];
}

function parseAndVerify(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  return verifyChain(s, { keyUsages: [] });
}

function parseCsr(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const [der] = derInputs(s, "CERTIFICATE REQUEST");
  if (!der) throw new Error("x509: malformed certificate request");
  return goCertificateRequest(der);
}

function privateKeyJwks(pemOrB64: string): Record<string, string>[] {
  const text = pemOrB64.trimStart().startsWith("-----BEGIN") ? pemOrB64 : b64decode(pemOrB64).toString("latin1");
  return pemBlocks(text)
    .filter((b) => b.type.endsWith("PRIVATE KEY"))
    .map((b) => {
      const pem = `-----BEGIN ${b.type}-----\n${b.der.toString("base64")}\n-----END ${b.type}-----\n`;
      return createPrivateKey(pem).export({ format: "jwk" }) as Record<string, string>;
    });
}

const jwkInt = (s: string | undefined): Value => (s === undefined ? null : fromBigInt(BigInt("0x" + (Buffer.from(s, "base64url").toString("hex") || "0"))));

/**
 * A private key as Go's encoding/json marshals the key x509 parses: *rsa.PrivateKey (N, E, D,
 * Primes and the CRT values Precompute fills), *ecdsa.PrivateKey (the curve marshals as {}) or
 * ed25519.PrivateKey (seed and public key, base64).
 */
function goPrivateKey(jwk: Record<string, string>): Value {
  if (jwk.kty === "RSA") {
    const out: PlainObject = {};
    setKey(out, "N", jwkInt(jwk.n));
    setKey(out, "E", jwkInt(jwk.e));
    setKey(out, "D", jwkInt(jwk.d));
    setKey(out, "Primes", [jwkInt(jwk.p), jwkInt(jwk.q)]);
    setKey(out, "Precomputed", { Dp: jwkInt(jwk.dp), Dq: jwkInt(jwk.dq), Qinv: jwkInt(jwk.qi), CRTValues: [] });
    return out;
  }
  if (jwk.kty === "EC") {
    const out: PlainObject = {};
    setKey(out, "Curve", {});
    setKey(out, "X", jwkInt(jwk.x));
    setKey(out, "Y", jwkInt(jwk.y));
    setKey(out, "D", jwkInt(jwk.d));
    return out;
  }
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return Buffer.concat([Buffer.from(jwk.d ?? "", "base64url"), Buffer.from(jwk.x ?? "", "base64url")]).toString("base64");
  return null;
}

export const x509Builtins: Record<string, Builtin> = {
  "crypto.x509.parse_certificates": parseCertificates,
  "crypto.x509.parse_and_verify_certificates": parseAndVerify,
  // OPA returns Go's certificates here without the URIStrings it adds elsewhere.
  "crypto.x509.parse_and_verify_certificates_with_options": (s, opts) => {
    if (typeof s !== "string" || !isObject(opts)) return undefined;
    const o = verifyOptions(opts);
    const [ok, chain] = verifyChain(s, o);
    return [ok, chain.map(withoutUriStrings)];
  },
  "crypto.x509.parse_certificate_request": parseCsr,
  "crypto.x509.parse_rsa_private_key": (s) => {
    if (typeof s !== "string") return undefined;
    const [k] = privateKeyJwks(s);
    if (!k) throw new Error("failed to parse a PEM private key");
    return k as unknown as Value;
  },
  "crypto.parse_private_keys": (s) => {
    if (typeof s !== "string") return undefined;
    if (s === "") return null;
    // OPA marshals the keys Go parsed (not JWKs, unlike parse_rsa_private_key).
    try {
      return privateKeyJwks(s).map(goPrivateKey);
    } catch {
      return [];
    }
  },
  "crypto.x509.parse_keypair": (cert, key) => {
    if (typeof cert !== "string" || typeof key !== "string") return undefined;
    const ders = derInputs(cert, "CERTIFICATE");
    if (ders.length === 0) throw new Error("tls: failed to find any PEM data in certificate input");
    const [k] = privateKeyJwks(key);
    if (!k) throw new Error("tls: failed to find any PEM data in key input");
    // tls.Certificate as Go marshals it; Go 1.23+ fills Leaf.
    const out: PlainObject = {};
    setKey(out, "Certificate", ders.map((d) => d.toString("base64")));
    setKey(out, "PrivateKey", goPrivateKey(k));
    setKey(out, "SupportedSignatureAlgorithms", null);
    setKey(out, "OCSPStaple", null);
    setKey(out, "SignedCertificateTimestamps", null);
    setKey(out, "Leaf", withoutUriStrings(certToValue(ders[0]!).value));
    return out;
  },
};
