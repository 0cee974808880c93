/**
 * Certificates and certificate requests as OPA returns them: Go's crypto/x509 parse of the DER,
 * marshalled by encoding/json (byte slices as standard base64, enums as Go's integers, big integers
 * exact, times as RFC 3339, net.IP and OIDs as text, url.URL as its struct). Every exported field of
 * x509.Certificate and x509.CertificateRequest is present, as in OPA's output, so policies reading
 * Extensions, KeyUsage, ExtKeyUsage, SignatureAlgorithm, PublicKey, SubjectKeyId, OCSPServer,
 * CRLDistributionPoints or the name constraints see what they see under OPA.
 */
import { type Value, type PlainObject, setKey, fromBigInt } from "./value.js";
import { type Tlv, tlv, children, content, whole, oid, integer, bitString, bitAt, asn1Time } from "./der.js";
import { formatIp } from "./net.js";

const b64 = (b: Buffer): string => b.toString("base64");
const dotted = (arcs: number[]): string => arcs.join(".");

// ---------------------------------------------------------------------------------------------
// Algorithms (Go's SignatureAlgorithm and PublicKeyAlgorithm enums)
// ---------------------------------------------------------------------------------------------

const SIGNATURE_ALGORITHMS: Record<string, number> = {
  "1.2.840.113549.1.1.2": 1, // MD2WithRSA
  "1.2.840.113549.1.1.4": 2, // MD5WithRSA
  "1.2.840.113549.1.1.5": 3, // SHA1WithRSA
  "1.3.14.3.2.29": 3, // SHA1WithRSA (ISO OID)
  "1.2.840.113549.1.1.11": 4, // SHA256WithRSA
  "1.2.840.113549.1.1.12": 5, // SHA384WithRSA
  "1.2.840.113549.1.1.13": 6, // SHA512WithRSA
  "1.2.840.10040.4.3": 7, // DSAWithSHA1
  "2.16.840.1.101.3.4.3.2": 8, // DSAWithSHA256
  "1.2.840.10045.4.1": 9, // ECDSAWithSHA1
  "1.2.840.10045.4.3.2": 10, // ECDSAWithSHA256
  "1.2.840.10045.4.3.3": 11, // ECDSAWithSHA384
  "1.2.840.10045.4.3.4": 12, // ECDSAWithSHA512
  "1.3.101.112": 16, // PureEd25519
};
const RSA_PSS = "1.2.840.113549.1.1.10";
/** RSASSA-PSS by hash (SHA256WithRSAPSS … SHA512WithRSAPSS) with the salt length Go requires. */
const PSS_HASHES: Record<string, [number, number]> = {
  "2.16.840.1.101.3.4.2.1": [13, 32],
  "2.16.840.1.101.3.4.2.2": [14, 48],
  "2.16.840.1.101.3.4.2.3": [15, 64],
};

/** Go's getSignatureAlgorithmFromAI: PSS is recognised only with matching MGF1 hash and salt length. */
function signatureAlgorithm(buf: Buffer, ai: Tlv): number {
  const [alg, params] = children(buf, ai);
  if (!alg) return 0;
  const id = dotted(oid(buf, alg));
  if (id !== RSA_PSS) return SIGNATURE_ALGORITHMS[id] ?? 0;
  if (!params || params.tag !== 0x30) return 0;
  let hash = "";
  let mgfHash = "";
  let salt = 20;
  let trailer = 1;
  for (const p of children(buf, params)) {
    const [inner] = children(buf, p);
    if (!inner) continue;
    if (p.tag === 0xa0) hash = dotted(oid(buf, children(buf, inner)[0]!));
    else if (p.tag === 0xa1) {
      const [mgf, mgfParams] = children(buf, inner);
      if (mgf && dotted(oid(buf, mgf)) === "1.2.840.113549.1.1.8" && mgfParams) mgfHash = dotted(oid(buf, children(buf, mgfParams)[0]!));
    } else if (p.tag === 0xa2) salt = Number(integer(buf, inner));
    else if (p.tag === 0xa3) trailer = Number(integer(buf, inner));
  }
  const known = PSS_HASHES[hash];
  if (!known || mgfHash !== hash || salt !== known[1] || trailer !== 1) return 0;
  return known[0];
}

const PUBLIC_KEY_ALGORITHMS: Record<string, number> = {
  "1.2.840.113549.1.1.1": 1, // RSA
  "1.2.840.10040.4.1": 2, // DSA
  "1.2.840.10045.2.1": 3, // ECDSA
  "1.3.101.112": 4, // Ed25519
};

const CURVE_SIZES: Record<string, number> = {
  "1.3.132.0.33": 28, // P-224
  "1.2.840.10045.3.1.7": 32, // P-256
  "1.3.132.0.34": 48, // P-384
  "1.3.132.0.35": 66, // P-521
};

const bigJson = (b: bigint): Value => fromBigInt(b);

/** The algorithm and the public key of a SubjectPublicKeyInfo, as Go's parsePublicKey gives them. */
function publicKey(buf: Buffer, spki: Tlv): { algorithm: number; key: Value } {
  const [ai, bits] = children(buf, spki);
  if (!ai || !bits) throw new Error("x509: malformed spki");
  const [algOid, params] = children(buf, ai);
  const algorithm = PUBLIC_KEY_ALGORITHMS[dotted(oid(buf, algOid!))] ?? 0;
  const keyBytes = bitString(buf, bits).bytes;
  const key: PlainObject = {};
  switch (algorithm) {
    case 1: {
      const seq = tlv(keyBytes, 0);
      const [n, e] = children(keyBytes, seq);
      if (!n || !e) throw new Error("x509: invalid RSA public key");
      setKey(key, "N", bigJson(integer(keyBytes, n)));
      setKey(key, "E", bigJson(integer(keyBytes, e)));
      return { algorithm, key };
    }
    case 2: {
      const [p, q, g] = params ? children(buf, params) : [];
      const params2: PlainObject = {};
      setKey(params2, "P", p ? bigJson(integer(buf, p)) : null);
      setKey(params2, "Q", q ? bigJson(integer(buf, q)) : null);
      setKey(params2, "G", g ? bigJson(integer(buf, g)) : null);
      setKey(key, "Parameters", params2);
      setKey(key, "Y", bigJson(integer(keyBytes, tlv(keyBytes, 0))));
      return { algorithm, key };
    }
    case 3: {
      const size = params && params.tag === 0x06 ? CURVE_SIZES[dotted(oid(buf, params))] : undefined;
      if (size === undefined) throw new Error("x509: unsupported elliptic curve");
      if (keyBytes[0] !== 4 || keyBytes.length !== 1 + 2 * size) throw new Error("x509: failed to unmarshal elliptic curve point");
      // elliptic.Curve's concrete types have only unexported fields: Go marshals the curve as {}.
      setKey(key, "Curve", {});
      setKey(key, "X", bigJson(BigInt("0x" + keyBytes.subarray(1, 1 + size).toString("hex"))));
      setKey(key, "Y", bigJson(BigInt("0x" + keyBytes.subarray(1 + size).toString("hex"))));
      return { algorithm, key };
    }
    case 4:
      return { algorithm, key: b64(keyBytes) };
    default:
      return { algorithm, key: null };
  }
}

// ---------------------------------------------------------------------------------------------
// Names (pkix.Name)
// ---------------------------------------------------------------------------------------------

const NAME_FIELDS: Record<string, string> = {
  "2.5.4.6": "Country",
  "2.5.4.10": "Organization",
  "2.5.4.11": "OrganizationalUnit",
  "2.5.4.7": "Locality",
  "2.5.4.8": "Province",
  "2.5.4.9": "StreetAddress",
  "2.5.4.17": "PostalCode",
};

/** An attribute value as Go's asn1.Unmarshal into `any` gives it. */
function anyValue(buf: Buffer, v: Tlv): Value {
  const bytes = content(buf, v);
  switch (v.tag) {
    case 0x0c: case 0x13: case 0x16: case 0x14: case 0x12: case 0x1a:
      return bytes.toString(v.tag === 0x0c ? "utf8" : "latin1");
    case 0x1e: return Buffer.from(bytes).swap16().toString("utf16le");
    case 0x01: return bytes[0] !== 0;
    case 0x02: return bigJson(integer(buf, v));
    case 0x06: return oid(buf, v);
    case 0x04: return b64(bytes);
    default: return b64(whole(buf, v));
  }
}

export function pkixName(buf: Buffer, t: Tlv): PlainObject {
  const lists: Record<string, string[]> = {};
  let cn = "";
  let serial = "";
  const names: Value[] = [];
  for (const set of children(buf, t)) {
    for (const atv of children(buf, set)) {
      const [o, v] = children(buf, atv);
      if (!o || !v) continue;
      const id = oid(buf, o);
      const value = anyValue(buf, v);
      names.push({ Type: id, Value: value });
      if (typeof value !== "string") continue;
      const key = dotted(id);
      if (key === "2.5.4.3") cn = value;
      else if (key === "2.5.4.5") serial = value;
      else if (NAME_FIELDS[key]) (lists[NAME_FIELDS[key]!] ??= []).push(value);
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

// ---------------------------------------------------------------------------------------------
// General names, IPs and URLs
// ---------------------------------------------------------------------------------------------

/** net.IP as text: 4 bytes (or IPv4-mapped 16) dotted, 16 bytes RFC 5952. */
function ipText(b: Buffer): string {
  if (b.length === 4) return formatIp(false, BigInt("0x" + b.toString("hex")));
  if (b.length === 16) {
    const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    if (mapped) return formatIp(false, BigInt("0x" + b.subarray(12).toString("hex")));
    return formatIp(true, BigInt("0x" + b.toString("hex")));
  }
  return b.length === 0 ? "<nil>" : "?" + b.toString("hex");
}

const unescape = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** url.URL as Go's url.Parse fills it and encoding/json marshals it. */
function goUrl(raw: string): PlainObject {
  let rest = raw;
  let fragment = "";
  let rawFragment = "";
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    rawFragment = rest.slice(hash + 1);
    fragment = unescape(rawFragment);
    if (fragment === rawFragment) rawFragment = "";
    rest = rest.slice(0, hash);
  }
  let scheme = "";
  const sm = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = sm[1]!.toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  let rawQuery = "";
  let forceQuery = false;
  const q = rest.indexOf("?");
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    forceQuery = rawQuery === "" && rest.endsWith("?");
    rest = rest.slice(0, q);
  }
  let opaque = "";
  let host = "";
  let user: Value = null;
  let omitHost = false;
  if (!rest.startsWith("/") && scheme !== "") {
    opaque = rest;
    rest = "";
  } else if (rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    if (at >= 0) {
      // url.Userinfo has only unexported fields.
      user = {};
      authority = authority.slice(at + 1);
    }
    host = unescape(authority);
  } else if (scheme !== "" && rest.startsWith("/")) omitHost = true;
  const path = unescape(rest);
  const out: PlainObject = {};
  setKey(out, "Scheme", scheme);
  setKey(out, "Opaque", opaque);
  setKey(out, "User", user);
  setKey(out, "Host", host);
  setKey(out, "Path", path);
  setKey(out, "RawPath", path === rest ? "" : rest);
  setKey(out, "OmitHost", omitHost);
  setKey(out, "ForceQuery", forceQuery);
  setKey(out, "RawQuery", rawQuery);
  setKey(out, "Fragment", fragment);
  setKey(out, "RawFragment", rawFragment);
  return out;
}

interface Sans {
  dns: string[];
  email: string[];
  ip: string[];
  uris: string[];
}

/** GeneralNames of a subjectAltName: dNSName, rfc822Name, uniformResourceIdentifier, iPAddress. */
function parseSans(ext: Buffer): Sans {
  const out: Sans = { dns: [], email: [], ip: [], uris: [] };
  for (const g of children(ext, tlv(ext, 0))) {
    const bytes = content(ext, g);
    if (g.tag === 0x81) out.email.push(bytes.toString("latin1"));
    else if (g.tag === 0x82) out.dns.push(bytes.toString("latin1"));
    else if (g.tag === 0x86) out.uris.push(bytes.toString("latin1"));
    else if (g.tag === 0x87) {
      if (bytes.length !== 4 && bytes.length !== 16) throw new Error(`x509: cannot parse IP address of length ${bytes.length}`);
      out.ip.push(ipText(bytes));
    }
  }
  return out;
}

const orNull = <T extends Value>(xs: T[]): T[] | null => (xs.length ? xs : null);

// ---------------------------------------------------------------------------------------------
// Extensions
// ---------------------------------------------------------------------------------------------

const EXT_KEY_USAGES: Record<string, number> = {
  "2.5.29.37.0": 0,
  "1.3.6.1.5.5.7.3.1": 1,
  "1.3.6.1.5.5.7.3.2": 2,
  "1.3.6.1.5.5.7.3.3": 3,
  "1.3.6.1.5.5.7.3.4": 4,
  "1.3.6.1.5.5.7.3.5": 5,
  "1.3.6.1.5.5.7.3.6": 6,
  "1.3.6.1.5.5.7.3.7": 7,
  "1.3.6.1.5.5.7.3.8": 8,
  "1.3.6.1.5.5.7.3.9": 9,
  "1.3.6.1.4.1.311.10.3.3": 10,
  "2.16.840.1.113730.4.1": 11,
  "1.3.6.1.4.1.311.2.1.22": 12,
  "1.3.6.1.4.1.311.61.1.1": 13,
};

interface Extension {
  id: number[];
  critical: boolean;
  value: Buffer;
}

function parseExtensions(buf: Buffer, seq: Tlv): Extension[] {
  return children(buf, seq).map((e) => {
    const parts = children(buf, e);
    const critical = parts.length === 3 && parts[1]!.tag === 0x01 && content(buf, parts[1]!)[0] !== 0;
    return { id: oid(buf, parts[0]!), critical, value: content(buf, parts[parts.length - 1]!) };
  });
}

const extensionValue = (e: Extension): PlainObject => ({ Id: e.id, Critical: e.critical, Value: b64(e.value) });

/** The certificate fields Go's processExtensions fills from the extensions. */
function extensionFields(exts: Extension[], out: PlainObject): void {
  let keyUsage = 0;
  const eku: number[] = [];
  const unknownEku: number[][] = [];
  let bcValid = false;
  let isCA = false;
  let maxPathLen = 0;
  let ski: Value = null;
  let aki: Value = null;
  const ocsp: string[] = [];
  const issuers: string[] = [];
  const crl: string[] = [];
  let sans: Sans = { dns: [], email: [], ip: [], uris: [] };
  const policies: string[] = [];
  const policyIds: number[][] = [];
  const unhandledCritical: number[][] = [];
  const constraints = { critical: false, permittedDNS: [] as string[], excludedDNS: [] as string[], permittedIP: [] as Value[], excludedIP: [] as Value[], permittedEmail: [] as string[], excludedEmail: [] as string[], permittedURI: [] as string[], excludedURI: [] as string[] };
  const policyInts = { inhibitAny: 0, inhibitAnyZero: false, inhibitMapping: 0, inhibitMappingZero: false, requireExplicit: 0, requireExplicitZero: false };
  const mappings: Value[] = [];
  for (const e of exts) {
    let unhandled = false;
    const v = e.value;
    const id = dotted(e.id);
    if (e.id.length === 4 && id.startsWith("2.5.29.")) {
      switch (e.id[3]) {
        case 15: {
          const bs = bitString(v, tlv(v, 0));
          for (let i = 0; i < 9; i++) if (bitAt(bs, i)) keyUsage |= 1 << i;
          break;
        }
        case 19: {
          bcValid = true;
          maxPathLen = -1;
          for (const c of children(v, tlv(v, 0))) {
            if (c.tag === 0x01) isCA = content(v, c)[0] !== 0;
            else if (c.tag === 0x02) maxPathLen = Number(integer(v, c));
          }
          break;
        }
        case 17:
          sans = parseSans(v);
          if (!sans.dns.length && !sans.email.length && !sans.ip.length && !sans.uris.length) unhandled = true;
          break;
        case 30: {
          constraints.critical = e.critical;
          for (const part of children(v, tlv(v, 0))) {
            const permitted = part.tag === 0xa0;
            for (const subtree of children(v, part)) {
              const [base] = children(v, subtree);
              if (!base) continue;
              const bytes = content(v, base);
              if (base.tag === 0x82) (permitted ? constraints.permittedDNS : constraints.excludedDNS).push(bytes.toString("latin1"));
              else if (base.tag === 0x81) (permitted ? constraints.permittedEmail : constraints.excludedEmail).push(bytes.toString("latin1"));
              else if (base.tag === 0x86) (permitted ? constraints.permittedURI : constraints.excludedURI).push(bytes.toString("latin1"));
              else if (base.tag === 0x87 && (bytes.length === 8 || bytes.length === 32)) {
                const half = bytes.length / 2;
                (permitted ? constraints.permittedIP : constraints.excludedIP).push({ IP: ipText(bytes.subarray(0, half)), Mask: b64(bytes.subarray(half)) });
              } else unhandled = true;
            }
          }
          break;
        }
        case 31:
          for (const dp of children(v, tlv(v, 0))) {
            const [name] = children(v, dp);
            if (!name || name.tag !== 0xa0) continue;
            const [full] = children(v, name);
            if (!full || full.tag !== 0xa0) continue;
            for (const g of children(v, full)) {
              if (g.tag !== 0x86) break;
              crl.push(content(v, g).toString("latin1"));
            }
          }
          break;
        case 35:
          for (const c of children(v, tlv(v, 0))) if (c.tag === 0x80) aki = b64(content(v, c));
          break;
        case 37:
          for (const c of children(v, tlv(v, 0))) {
            const arcs = oid(v, c);
            const known = EXT_KEY_USAGES[dotted(arcs)];
            if (known === undefined) unknownEku.push(arcs);
            else eku.push(known);
          }
          break;
        case 14:
          ski = b64(content(v, tlv(v, 0)));
          break;
        case 32:
          for (const info of children(v, tlv(v, 0))) {
            const [p] = children(v, info);
            if (!p) continue;
            const arcs = oid(v, p);
            policies.push(dotted(arcs));
            policyIds.push(arcs);
          }
          break;
        case 33:
          for (const m of children(v, tlv(v, 0))) {
            const [a, b] = children(v, m);
            if (a && b) mappings.push({ IssuerDomainPolicy: dotted(oid(v, a)), SubjectDomainPolicy: dotted(oid(v, b)) });
          }
          break;
        case 36:
          for (const c of children(v, tlv(v, 0))) {
            const n = Number(integer(v, c));
            if (c.tag === 0x80) [policyInts.requireExplicit, policyInts.requireExplicitZero] = [n, n === 0];
            else if (c.tag === 0x81) [policyInts.inhibitMapping, policyInts.inhibitMappingZero] = [n, n === 0];
          }
          break;
        case 54: {
          const n = Number(integer(v, tlv(v, 0)));
          [policyInts.inhibitAny, policyInts.inhibitAnyZero] = [n, n === 0];
          break;
        }
        default:
          unhandled = true;
      }
    } else if (id === "1.3.6.1.5.5.7.1.1") {
      for (const ad of children(v, tlv(v, 0))) {
        const [method, location] = children(v, ad);
        if (!method || !location || location.tag !== 0x86) continue;
        const m = dotted(oid(v, method));
        if (m === "1.3.6.1.5.5.7.48.1") ocsp.push(content(v, location).toString("latin1"));
        else if (m === "1.3.6.1.5.5.7.48.2") issuers.push(content(v, location).toString("latin1"));
      }
    } else unhandled = true;
    if (e.critical && unhandled) unhandledCritical.push(e.id);
  }
  setKey(out, "KeyUsage", keyUsage);
  setKey(out, "Extensions", orNull(exts.map(extensionValue)));
  setKey(out, "ExtraExtensions", null);
  setKey(out, "UnhandledCriticalExtensions", orNull(unhandledCritical));
  setKey(out, "ExtKeyUsage", orNull(eku));
  setKey(out, "UnknownExtKeyUsage", orNull(unknownEku));
  setKey(out, "BasicConstraintsValid", bcValid);
  setKey(out, "IsCA", isCA);
  setKey(out, "MaxPathLen", maxPathLen);
  setKey(out, "MaxPathLenZero", bcValid && maxPathLen === 0);
  setKey(out, "SubjectKeyId", ski);
  setKey(out, "AuthorityKeyId", aki);
  setKey(out, "OCSPServer", orNull(ocsp));
  setKey(out, "IssuingCertificateURL", orNull(issuers));
  setSans(out, sans);
  setKey(out, "PermittedDNSDomainsCritical", constraints.critical);
  setKey(out, "PermittedDNSDomains", orNull(constraints.permittedDNS));
  setKey(out, "ExcludedDNSDomains", orNull(constraints.excludedDNS));
  setKey(out, "PermittedIPRanges", orNull(constraints.permittedIP));
  setKey(out, "ExcludedIPRanges", orNull(constraints.excludedIP));
  setKey(out, "PermittedEmailAddresses", orNull(constraints.permittedEmail));
  setKey(out, "ExcludedEmailAddresses", orNull(constraints.excludedEmail));
  setKey(out, "PermittedURIDomains", orNull(constraints.permittedURI));
  setKey(out, "ExcludedURIDomains", orNull(constraints.excludedURI));
  setKey(out, "CRLDistributionPoints", orNull(crl));
  setKey(out, "PolicyIdentifiers", orNull(policyIds));
  setKey(out, "Policies", orNull(policies));
  setKey(out, "InhibitAnyPolicy", policyInts.inhibitAny);
  setKey(out, "InhibitAnyPolicyZero", policyInts.inhibitAnyZero);
  setKey(out, "InhibitPolicyMapping", policyInts.inhibitMapping);
  setKey(out, "InhibitPolicyMappingZero", policyInts.inhibitMappingZero);
  setKey(out, "RequireExplicitPolicy", policyInts.requireExplicit);
  setKey(out, "RequireExplicitPolicyZero", policyInts.requireExplicitZero);
  setKey(out, "PolicyMappings", orNull(mappings));
}

function setSans(out: PlainObject, sans: Sans): void {
  setKey(out, "DNSNames", orNull(sans.dns));
  setKey(out, "EmailAddresses", orNull(sans.email));
  setKey(out, "IPAddresses", orNull(sans.ip));
  setKey(out, "URIs", orNull(sans.uris.map(goUrl)));
}

// ---------------------------------------------------------------------------------------------
// Certificates and requests
// ---------------------------------------------------------------------------------------------

/** A certificate as Go's x509.ParseCertificate reads it, plus OPA's URIStrings. */
export function goCertificate(der: Buffer): PlainObject {
  const cert = tlv(der, 0);
  const [tbs, , sig] = children(der, cert);
  if (!tbs || !sig || cert.tag !== 0x30) throw new Error("x509: malformed certificate");
  const f = children(der, tbs);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    version = Number(integer(der, children(der, f[0])[0]!)) + 1;
    i = 1;
  }
  const [serial, sigAlg, issuer, validity, subject, spki] = f.slice(i, i + 6);
  if (!serial || !sigAlg || !issuer || !validity || !subject || !spki) throw new Error("x509: malformed tbs certificate");
  const [notBefore, notAfter] = children(der, validity);
  const { algorithm, key } = publicKey(der, spki);
  const extSeq = f.slice(i + 6).find((t) => t.tag === 0xa3);
  const exts = extSeq ? parseExtensions(der, children(der, extSeq)[0]!) : [];
  const out: PlainObject = {};
  setKey(out, "Raw", b64(whole(der, cert)));
  setKey(out, "RawTBSCertificate", b64(whole(der, tbs)));
  setKey(out, "RawSubjectPublicKeyInfo", b64(whole(der, spki)));
  setKey(out, "RawSubject", b64(whole(der, subject)));
  setKey(out, "RawIssuer", b64(whole(der, issuer)));
  setKey(out, "Signature", b64(bitString(der, sig).bytes));
  setKey(out, "SignatureAlgorithm", signatureAlgorithm(der, sigAlg));
  setKey(out, "PublicKeyAlgorithm", algorithm);
  setKey(out, "PublicKey", key);
  setKey(out, "Version", version);
  setKey(out, "SerialNumber", bigJson(integer(der, serial)));
  setKey(out, "Issuer", pkixName(der, issuer));
  setKey(out, "Subject", pkixName(der, subject));
  setKey(out, "NotBefore", asn1Time(der, notBefore!));
  setKey(out, "NotAfter", asn1Time(der, notAfter!));
  extensionFields(exts, out);
  const uris = out.URIs as PlainObject[] | null;
  setKey(out, "URIStrings", uris ? uris.map(urlString) : null);
  return out;
}

/** url.URL.String() for what goUrl parsed. */
function urlString(u: PlainObject): string {
  let s = u.Scheme ? `${u.Scheme}:` : "";
  if (u.Opaque) s += u.Opaque;
  else {
    if (u.Host || u.User !== null) s += "//" + (u.Host as string);
    s += (u.RawPath as string) || (u.Path as string);
  }
  if (u.ForceQuery || u.RawQuery) s += "?" + (u.RawQuery as string);
  if (u.Fragment) s += "#" + ((u.RawFragment as string) || (u.Fragment as string));
  return s;
}

const EXTENSION_REQUEST = "1.2.840.113549.1.9.14";

/** A certificate request as Go's x509.ParseCertificateRequest reads it. */
export function goCertificateRequest(der: Buffer): PlainObject {
  const req = tlv(der, 0);
  const [info, sigAlg, sig] = children(der, req);
  if (!info || !sigAlg || !sig) throw new Error("asn1: structure error");
  const [version, subject, spki, attrs] = children(der, info);
  if (!version || !subject || !spki) throw new Error("asn1: structure error");
  const { algorithm, key } = publicKey(der, spki);
  const attributes: Value[] = [];
  let exts: Extension[] = [];
  for (const a of attrs ? children(der, attrs) : []) {
    const [type, values] = children(der, a);
    if (!type || !values) continue;
    const id = oid(der, type);
    if (dotted(id) === EXTENSION_REQUEST) {
      const [seq] = children(der, values);
      if (seq) exts = exts.concat(parseExtensions(der, seq));
    }
    // Go's parseRawAttributes keeps an attribute only when every value is a SEQUENCE of
    // (type, value) pairs; an extension request with a critical flag does not fit and is dropped.
    const sets: Value[] = [];
    let fits = true;
    for (const set of children(der, values)) {
      const pairs: Value[] = [];
      for (const p of set.tag === 0x30 ? children(der, set) : []) {
        const parts = children(der, p);
        if (p.tag !== 0x30 || parts.length !== 2 || parts[0]!.tag !== 0x06) {
          fits = false;
          break;
        }
        pairs.push({ Type: oid(der, parts[0]!), Value: anyValue(der, parts[1]!) });
      }
      if (set.tag !== 0x30) fits = false;
      if (!fits) break;
      sets.push(pairs);
    }
    if (fits) attributes.push({ Type: id, Value: sets });
  }
  const out: PlainObject = {};
  setKey(out, "Raw", b64(whole(der, req)));
  setKey(out, "RawTBSCertificateRequest", b64(whole(der, info)));
  setKey(out, "RawSubjectPublicKeyInfo", b64(whole(der, spki)));
  setKey(out, "RawSubject", b64(whole(der, subject)));
  setKey(out, "Version", Number(integer(der, version)));
  setKey(out, "Signature", b64(bitString(der, sig).bytes));
  setKey(out, "SignatureAlgorithm", signatureAlgorithm(der, sigAlg));
  setKey(out, "PublicKeyAlgorithm", algorithm);
  setKey(out, "PublicKey", key);
  setKey(out, "Subject", pkixName(der, subject));
  setKey(out, "Attributes", orNull(attributes));
  setKey(out, "Extensions", orNull(exts.map(extensionValue)));
  setKey(out, "ExtraExtensions", null);
  const san = exts.find((e) => dotted(e.id) === "2.5.29.17");
  setSans(out, san ? parseSans(san.value) : { dns: [], email: [], ip: [], uris: [] });
  return out;
}
