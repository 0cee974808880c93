/**
 * `crypto.x509.*` and `crypto.parse_private_keys`: certificates, chains, CSRs and keys from PEM,
 * base64-encoded PEM or base64 DER, shaped like the JSON of Go's x509 structs for the fields
 * policies read (Subject/Issuer names, DNSNames, URIStrings, EmailAddresses, IPAddresses, validity,
 * serial number, Raw). Private keys come back as JWKs. node:crypto does the cryptography; a small
 * DER reader extracts the names Go reports.
 */
import { X509Certificate, createPrivateKey } from "node:crypto";
import { type Value, type PlainObject, setKey, fromBigInt, isObject } from "./value.js";
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
// A minimal DER reader
// ---------------------------------------------------------------------------------------------

interface Tlv {
  tag: number;
  start: number; // content start
  end: number; // content end
}

function tlv(buf: Buffer, off: number): Tlv {
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
  return { tag, start: p, end: p + len };
}

function children(buf: Buffer, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let off = t.start;
  while (off < t.end) {
    const c = tlv(buf, off);
    out.push(c);
    off = c.end;
  }
  return out;
}

function oid(buf: Buffer, t: Tlv): number[] {
  const bytes = buf.subarray(t.start, t.end);
  const out: number[] = [];
  let v = 0;
  bytes.forEach((b, i) => {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (i === 0 || out.length === 0) out.push(Math.floor(v / 40), v % 40);
      else out.push(v);
      v = 0;
    }
  });
  return out;
}

const NAME_FIELDS: Record<string, string> = {
  "2.5.4.6": "Country",
  "2.5.4.10": "Organization",
  "2.5.4.11": "OrganizationalUnit",
  "2.5.4.7": "Locality",
  "2.5.4.8": "Province",
  "2.5.4.9": "StreetAddress",
  "2.5.4.17": "PostalCode",
};

/** A pkix.Name as Go marshals it. */
function parseName(buf: Buffer, t: Tlv): PlainObject {
  const lists: Record<string, string[]> = {};
  let cn = "";
  let serial = "";
  const names: Value[] = [];
  for (const set of children(buf, t)) {
    for (const atv of children(buf, set)) {
      const [o, v] = children(buf, atv);
      if (!o || !v) continue;
      const id = oid(buf, o);
      const text = v.tag === 0x1e ? buf.subarray(v.start, v.end).swap16().toString("utf16le") : buf.subarray(v.start, v.end).toString("utf8");
      names.push({ Type: id, Value: text });
      const key = id.join(".");
      if (key === "2.5.4.3") cn = text;
      else if (key === "2.5.4.5") serial = text;
      else if (NAME_FIELDS[key]) (lists[NAME_FIELDS[key]!] ??= []).push(text);
    }
  }
  const out: PlainObject = {};
  for (const f of ["Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress", "PostalCode"]) setKey(out, f, lists[f] ?? null);
  setKey(out, "SerialNumber", serial);
  setKey(out, "CommonName", cn);
  setKey(out, "Names", names);
  setKey(out, "ExtraNames", null);
  return out;
}

/** Issuer and subject names from a certificate's tbsCertificate. */
function certNames(der: Buffer): { issuer: PlainObject; subject: PlainObject } {
  const cert = tlv(der, 0);
  const tbs = children(der, cert)[0]!;
  const f = children(der, tbs);
  const i = f[0]!.tag === 0xa0 ? 1 : 0; // optional [0] version
  return { issuer: parseName(der, f[i + 2]!), subject: parseName(der, f[i + 4]!) };
}

// ---------------------------------------------------------------------------------------------
// Certificates
// ---------------------------------------------------------------------------------------------

function sans(c: X509Certificate, prefix: string): string[] | null {
  const alt = c.subjectAltName;
  if (!alt) return null;
  const out = alt
    .split(/,\s*/)
    .filter((e) => e.startsWith(prefix + ":"))
    .map((e) => e.slice(prefix.length + 1));
  return out.length ? out : null;
}

function rfc3339(d: string): string {
  return new Date(d).toISOString().replace(/\.000Z$/, "Z");
}

function certToValue(der: Buffer): { value: PlainObject; cert: X509Certificate } {
  let c: X509Certificate;
  try {
    c = new X509Certificate(der);
  } catch {
    throw new Error("x509: malformed certificate");
  }
  const { issuer, subject } = certNames(der);
  const out: PlainObject = {};
  setKey(out, "Raw", der.toString("base64"));
  setKey(out, "Version", 3);
  setKey(out, "SerialNumber", fromBigInt(BigInt("0x" + c.serialNumber)));
  setKey(out, "Issuer", issuer);
  setKey(out, "Subject", subject);
  setKey(out, "NotBefore", rfc3339(c.validFrom));
  setKey(out, "NotAfter", rfc3339(c.validTo));
  setKey(out, "IsCA", c.ca);
  setKey(out, "DNSNames", sans(c, "DNS"));
  setKey(out, "EmailAddresses", sans(c, "email"));
  setKey(out, "IPAddresses", sans(c, "IP Address"));
  setKey(out, "URIStrings", sans(c, "URI"));
  return { value: out, cert: c };
}

function parseCertificates(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const ders = derInputs(s, "CERTIFICATE");
  if (ders.length === 0) throw new Error("x509: malformed certificate");
  return ders.map((d) => certToValue(d).value);
}

/**
 * OPA reads the first certificate as the root and the last as the leaf; the verified chain comes
 * back leaf first. Each certificate must be issued and signed by the next one up; the root by itself.
 */
function parseAndVerify(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const invalid: Value = [false, []];
  let parsed: { value: PlainObject; cert: X509Certificate }[];
  try {
    parsed = derInputs(s, "CERTIFICATE").map(certToValue).reverse();
  } catch {
    return invalid;
  }
  if (parsed.length < 2) return invalid;
  const now = Date.now();
  for (let i = 0; i < parsed.length; i++) {
    const c = parsed[i]!.cert;
    const issuer = parsed[Math.min(i + 1, parsed.length - 1)]!.cert;
    if (!c.checkIssued(issuer) || !c.verify(issuer.publicKey)) return invalid;
    if (now < Date.parse(c.validFrom) || now > Date.parse(c.validTo)) return invalid;
  }
  return [true, parsed.map((p) => p.value)];
}

function parseCsr(s: Value): Value | undefined {
  if (typeof s !== "string") return undefined;
  const [der] = derInputs(s, "CERTIFICATE REQUEST");
  if (!der) throw new Error("x509: malformed certificate request");
  const req = tlv(der, 0);
  const info = children(der, req)[0];
  if (!info) throw new Error("asn1: structure error");
  const f = children(der, info);
  const out: PlainObject = {};
  setKey(out, "Raw", der.toString("base64"));
  setKey(out, "Version", 0);
  setKey(out, "Subject", parseName(der, f[1]!));
  return out;
}

function privateKeyJwk(pemOrB64: string): Value[] {
  const text = pemOrB64.trimStart().startsWith("-----BEGIN") ? pemOrB64 : b64decode(pemOrB64).toString("latin1");
  return pemBlocks(text)
    .filter((b) => b.type.endsWith("PRIVATE KEY"))
    .map((b) => {
      const pem = `-----BEGIN ${b.type}-----\n${b.der.toString("base64")}\n-----END ${b.type}-----\n`;
      return createPrivateKey(pem).export({ format: "jwk" }) as unknown as Value;
    });
}

export const x509Builtins: Record<string, Builtin> = {
  "crypto.x509.parse_certificates": parseCertificates,
  "crypto.x509.parse_and_verify_certificates": parseAndVerify,
  // Options (DNSName, CurrentTime, KeyUsages, ...) are accepted; the chain checks are the same.
  "crypto.x509.parse_and_verify_certificates_with_options": (s, opts) => (isObject(opts) ? parseAndVerify(s) : undefined),
  "crypto.x509.parse_certificate_request": parseCsr,
  "crypto.x509.parse_rsa_private_key": (s) => {
    if (typeof s !== "string") return undefined;
    const [k] = privateKeyJwk(s);
    if (!k) throw new Error("failed to parse a PEM private key");
    return k;
  },
  "crypto.parse_private_keys": (s) => {
    if (typeof s !== "string") return undefined;
    if (s === "") return null;
    try {
      return privateKeyJwk(s);
    } catch {
      return [];
    }
  },
  "crypto.x509.parse_keypair": (cert, key) => {
    if (typeof cert !== "string" || typeof key !== "string") return undefined;
    const ders = derInputs(cert, "CERTIFICATE");
    if (ders.length === 0) throw new Error("tls: failed to find any PEM data in certificate input");
    const [k] = privateKeyJwk(key);
    if (!k) throw new Error("tls: failed to find any PEM data in key input");
    const out: PlainObject = {};
    setKey(out, "Certificate", ders.map((d) => d.toString("base64")));
    setKey(out, "PrivateKey", k);
    setKey(out, "Leaf", certToValue(ders[0]!).value);
    return out;
  },
};
