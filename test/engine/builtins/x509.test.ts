// crypto.x509.* give Go's x509 structs as OPA marshals them (every field, Go's enums, exact big
// integers) and verify chains as Go's x509 Verify does. The certificates below were made for these
// tests with openssl (a P-256 root with pathlen 0, a P-384 intermediate, P-256 leaves valid for 100
// years with SANs, EKUs, AIA, CRL DP, policies and a critical private extension; an Ed25519 v1
// certificate; a CSR with a SAN request).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { compile, loadModule } from "../../../src/engine/index.js";

const ROOT = "-----BEGIN CERTIFICATE-----\nMIIBnzCCAUWgAwIBAgIUbd3q9o/I3t1ffArdefi5sPycfW8wCgYIKoZIzj0EAwIw\nKzEVMBMGA1UECgwMUG9saWN5YyBUZXN0MRIwEAYDVQQDDAlUZXN0IFJvb3QwIBcN\nMjYxMjA3MTgxNDIwWhgPMjEyNjExMTMxODE0MjBaMCsxFTATBgNVBAoMDFBvbGlj\neWMgVGVzdDESMBAGA1UEAwwJVGVzdCBSb290MFkwEwYHKoZIzj0CAQYIKoZIzj0D\nAQcDQgAE6nhUmGJU6rBAe3zskIsN9X/L8exZlVvjhDTeWm/uvqN+go5X48Gj5T+h\nlOaA3TN3HpDClA9SWwhzdxcF7oYRCKNFMEMwEgYDVR0TAQH/BAgwBgEB/wIBADAO\nBgNVHQ8BAf8EBAMCAQYwHQYDVR0OBBYEFCZ5iXBxCNpD+AS+9ahbHPbVpEHbMAoG\nCCqGSM49BAMCA0gAMEUCIFXeacHBGlWC5lMHPgjyyBeZDXjG4o9p5dTdtMOg2Ck1\nAiEAoQy+edbybovcCb3iQxyz1V5C50Wh6kNujukrZTvgkCM=\n-----END CERTIFICATE-----\n";
const INTER = "-----BEGIN CERTIFICATE-----\nMIIBzzCCAXWgAwIBAgIBAjAKBggqhkjOPQQDAjArMRUwEwYDVQQKDAxQb2xpY3lj\nIFRlc3QxEjAQBgNVBAMMCVRlc3QgUm9vdDAgFw0yNjEyMDcxODE0MjFaGA8yMTI2\nMTExMzE4MTQyMVowMzEVMBMGA1UECgwMUG9saWN5YyBUZXN0MRowGAYDVQQDDBFU\nZXN0IEludGVybWVkaWF0ZTB2MBAGByqGSM49AgEGBSuBBAAiA2IABKTKJqDS7SK2\nsX0RYTA6wrrUdK3gNiLPoT6DtVykLSWykDBdT6PdmHSutGcijNnlhAk+PJG4dzG+\nqFJy7EnXj6RWEWdnFHYbzEUIeLSrnBS0TEoTS+UssQm5gaXum5mbIqNjMGEwDwYD\nVR0TAQH/BAUwAwEB/zAOBgNVHQ8BAf8EBAMCAgQwHQYDVR0OBBYEFPzZ20N8yBSy\n+pSgMi3vICswqRtbMB8GA1UdIwQYMBaAFCZ5iXBxCNpD+AS+9ahbHPbVpEHbMAoG\nCCqGSM49BAMCA0gAMEUCIQCoVqpnMO4wyR9WjwO32ZR3UXJdcb+TbCZBYTbDxqqI\nkAIgcjQpWtM2t3d1WnULwoy6wkOv0GbBhT3P3pD+c1OD4IY=\n-----END CERTIFICATE-----\n";
const LEAF = "-----BEGIN CERTIFICATE-----\nMIIDAzCCAqigAwIBAgIBAzAKBggqhkjOPQQDAjArMRUwEwYDVQQKDAxQb2xpY3lj\nIFRlc3QxEjAQBgNVBAMMCVRlc3QgUm9vdDAgFw0yNjEyMDcxODE0MjFaGA8yMTI2\nMTExMzE4MTQyMVowTTELMAkGA1UEBhMCTkwxFTATBgNVBAoMDFBvbGljeWMgVGVz\ndDEMMAoGA1UECwwDQVBJMRkwFwYDVQQDDBBzdmMudGVzdC5leGFtcGxlMFkwEwYH\nKoZIzj0CAQYIKoZIzj0DAQcDQgAEZLiw+FzQr2wlxp80iK5Q6UbL2bht20ut4Z2m\n+kj/dnIolspdTuD0KVUe7yGJXzda25jPcDZAtPnMTapI1s18zqOCAZcwggGTMAkG\nA1UdEwQCMAAwDgYDVR0PAQH/BAQDAgeAMBkGA1UdJQQSMBAGCCsGAQUFBwMCBgQq\nAwQFMIGABgNVHREEeTB3ghBzdmMudGVzdC5leGFtcGxlghMqLmFwcHMudGVzdC5l\neGFtcGxlhwQKAQIDhxAgAQ24AAAAAAAAAAAAAAAHgRBvcHNAdGVzdC5leGFtcGxl\nhiRzcGlmZmU6Ly90ZXN0LmV4YW1wbGUvbnMvcHJvZC9zYS9hcGkwNAYIKwYBBQUH\nAQEEKDAmMCQGCCsGAQUFBzABhhhodHRwOi8vb2NzcC50ZXN0LmV4YW1wbGUwMQYD\nVR0fBCowKDAmoCSgIoYgaHR0cDovL2NybC50ZXN0LmV4YW1wbGUvcm9vdC5jcmww\nEwYDVR0gBAwwCjAIBgZngQwBAgEwHQYDVR0OBBYEFF8Emui2bgCDg8gVbZx8CN0M\nN02dMB8GA1UdIwQYMBaAFCZ5iXBxCNpD+AS+9ahbHPbVpEHbMBoGCSsGAQQBho0f\nAQEB/wQKDAhhdHRlc3RlZDAKBggqhkjOPQQDAgNJADBGAiEAx9yquGtd7H/sc5Oc\nqkp94lQ2ypzjFJfGRlzdds0EqV8CIQC0HH4Rti9bA3Q2vhaOpVmvSsF9LwBf6m3U\nGaUajw5blQ==\n-----END CERTIFICATE-----\n";
const LEAF_VIA_INTER = "-----BEGIN CERTIFICATE-----\nMIIDKjCCArCgAwIBAgIBBDAKBggqhkjOPQQDAzAzMRUwEwYDVQQKDAxQb2xpY3lj\nIFRlc3QxGjAYBgNVBAMMEVRlc3QgSW50ZXJtZWRpYXRlMCAXDTI2MTIwNzE4MTQy\nMVoYDzIxMjYxMTEzMTgxNDIxWjBNMQswCQYDVQQGEwJOTDEVMBMGA1UECgwMUG9s\naWN5YyBUZXN0MQwwCgYDVQQLDANBUEkxGTAXBgNVBAMMEHN2Yy50ZXN0LmV4YW1w\nbGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARkuLD4XNCvbCXGnzSIrlDpRsvZ\nuG3bS63hnab6SP92ciiWyl1O4PQpVR7vIYlfN1rbmM9wNkC0+cxNqkjWzXzOo4IB\nlzCCAZMwCQYDVR0TBAIwADAOBgNVHQ8BAf8EBAMCB4AwGQYDVR0lBBIwEAYIKwYB\nBQUHAwIGBCoDBAUwgYAGA1UdEQR5MHeCEHN2Yy50ZXN0LmV4YW1wbGWCEyouYXBw\ncy50ZXN0LmV4YW1wbGWHBAoBAgOHECABDbgAAAAAAAAAAAAAAAeBEG9wc0B0ZXN0\nLmV4YW1wbGWGJHNwaWZmZTovL3Rlc3QuZXhhbXBsZS9ucy9wcm9kL3NhL2FwaTA0\nBggrBgEFBQcBAQQoMCYwJAYIKwYBBQUHMAGGGGh0dHA6Ly9vY3NwLnRlc3QuZXhh\nbXBsZTAxBgNVHR8EKjAoMCagJKAihiBodHRwOi8vY3JsLnRlc3QuZXhhbXBsZS9y\nb290LmNybDATBgNVHSAEDDAKMAgGBmeBDAECATAdBgNVHQ4EFgQUXwSa6LZuAIOD\nyBVtnHwI3Qw3TZ0wHwYDVR0jBBgwFoAU/NnbQ3zIFLL6lKAyLe8gKzCpG1swGgYJ\nKwYBBAGGjR8BAQH/BAoMCGF0dGVzdGVkMAoGCCqGSM49BAMDA2gAMGUCMQCufAGI\nWYmAl97w0KKZak2NSPRXHutw2Gs9ACXkMiF23vb+L0zkr95b2tMJquBluSQCMFnB\nEJCmUA5ZFNcR2Q9ZC/IfpgT5TjWGRQrman3fnLt+jmX+qJEffukrmQBfEnBtnQ==\n-----END CERTIFICATE-----\n";
const CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIBXDCCAQMCAQAwTTELMAkGA1UEBhMCTkwxFTATBgNVBAoMDFBvbGljeWMgVGVz\ndDEMMAoGA1UECwwDQVBJMRkwFwYDVQQDDBBzdmMudGVzdC5leGFtcGxlMFkwEwYH\nKoZIzj0CAQYIKoZIzj0DAQcDQgAEZLiw+FzQr2wlxp80iK5Q6UbL2bht20ut4Z2m\n+kj/dnIolspdTuD0KVUe7yGJXzda25jPcDZAtPnMTapI1s18zqBUMFIGCSqGSIb3\nDQEJDjFFMEMwQQYDVR0RBDowOIIQc3ZjLnRlc3QuZXhhbXBsZYYkc3BpZmZlOi8v\ndGVzdC5leGFtcGxlL25zL3Byb2Qvc2EvYXBpMAoGCCqGSM49BAMCA0cAMEQCIEMd\n0FRcYVDA/++b8XPbaowM+3Dun6Dpq3rQmLQeXRLTAiBZjqNUMREvk3Tb8LnflsZz\nwzohZaDLeoFK3GnKsIjCtg==\n-----END CERTIFICATE REQUEST-----\n";
const ED25519_V1 = "-----BEGIN CERTIFICATE-----\nMIIBBjCBuQIUVEeH5LgSmDYl3xPx4Xzr7sgH53cwBQYDK2VwMCYxDjAMBgNVBAMM\nBWVkIHYxMRQwEgYJKoZIhvcNAQkBFgVhQGIuYzAeFw0yNjEyMDcxODEyMjlaFw0y\nNzAxMDYxODEyMjlaMCYxDjAMBgNVBAMMBWVkIHYxMRQwEgYJKoZIhvcNAQkBFgVh\nQGIuYzAqMAUGAytlcAMhAINIHHfbeNTld6s6xEowKtJsPfwdLFETezmY830qBMmv\nMAUGAytlcANBAA4iJxZn3ku/slfc7eCCoxWUq4NkQfB20hT3eOQAcJgYKRmrUSXZ\nA3N6YQ8osiS/3t26S7OHcdkkAIsIr7p4SQU=\n-----END CERTIFICATE-----\n";

const pems = { root: ROOT, inter: INTER, leaf: LEAF, leaf2: LEAF_VIA_INTER, csr: CSR, ed: ED25519_V1 };

/** Evaluates `query` against a policy with the certificates under data.pems. */
function q(query: string, policy = ""): unknown[] {
  const m = loadModule(compile({ modules: [{ file: "p.rego", text: `package p\n${policy}` }], queries: [{ name: "q", text: `x := ${query}` }], regoVersion: "v1" }));
  m.setData({ pems });
  return m.evaluate(undefined, "q").map((r) => (r as { x: unknown }).x);
}

const one = (query: string, policy?: string): unknown => {
  const r = q(query, policy);
  assert.is(r.length, 1, `${query} is defined`);
  return r[0];
};

test("a certificate has every field of Go's x509.Certificate, plus OPA's URIStrings", () => {
  const leaf = one("crypto.x509.parse_certificates(data.pems.leaf)[0]") as Record<string, unknown>;
  assert.equal(Object.keys(leaf).length, 53);
  assert.equal(
    [leaf.Version, leaf.SignatureAlgorithm, leaf.PublicKeyAlgorithm, leaf.KeyUsage, leaf.ExtKeyUsage, leaf.UnknownExtKeyUsage],
    [3, 10, 3, 1, [2], [[1, 2, 3, 4, 5]]],
  );
  assert.equal([leaf.BasicConstraintsValid, leaf.IsCA, leaf.MaxPathLen, leaf.MaxPathLenZero], [true, false, -1, false]);
  assert.equal(leaf.DNSNames, ["svc.test.example", "*.apps.test.example"]);
  assert.equal(leaf.IPAddresses, ["10.1.2.3", "2001:db8::7"]);
  assert.equal(leaf.EmailAddresses, ["ops@test.example"]);
  assert.equal(leaf.URIStrings, ["spiffe://test.example/ns/prod/sa/api"]);
  assert.equal(leaf.URIs, [
    { Scheme: "spiffe", Opaque: "", User: null, Host: "test.example", Path: "/ns/prod/sa/api", RawPath: "", OmitHost: false, ForceQuery: false, RawQuery: "", Fragment: "", RawFragment: "" },
  ]);
  assert.equal([leaf.OCSPServer, leaf.IssuingCertificateURL, leaf.CRLDistributionPoints], [["http://ocsp.test.example"], null, ["http://crl.test.example/root.crl"]]);
  assert.equal([leaf.Policies, leaf.PolicyIdentifiers], [["2.23.140.1.2.1"], [[2, 23, 140, 1, 2, 1]]]);
  assert.equal(leaf.UnhandledCriticalExtensions, [[1, 3, 6, 1, 4, 1, 99999, 1]]);
  assert.equal(leaf.SerialNumber, 3);
  assert.equal((leaf.Subject as Record<string, unknown>).Country, ["NL"]);
  assert.equal(Object.keys(leaf.PublicKey as object).sort(), ["Curve", "X", "Y"]);
  assert.equal((leaf.PublicKey as Record<string, unknown>).Curve, {});
  assert.equal([leaf.ExtraExtensions, leaf.PermittedDNSDomains, leaf.PolicyMappings, leaf.InhibitAnyPolicy], [null, null, null, 0]);
  // The authority key id is the root's subject key id; Raw* are the DER pieces in standard base64.
  assert.ok(one("crypto.x509.parse_certificates(data.pems.leaf)[0].AuthorityKeyId == crypto.x509.parse_certificates(data.pems.root)[0].SubjectKeyId"));
  assert.ok(one("startswith(crypto.x509.parse_certificates(data.pems.leaf)[0].RawTBSCertificate, \"MII\")"));
});

test("root and v1 Ed25519 certificates: basic constraints, key usage bits, Go's enums, no extensions", () => {
  const root = one("crypto.x509.parse_certificates(data.pems.root)[0]") as Record<string, unknown>;
  assert.equal([root.IsCA, root.MaxPathLen, root.MaxPathLenZero, root.KeyUsage, root.URIs, root.URIStrings], [true, 0, true, 96, null, null]);
  const ed = one("crypto.x509.parse_certificates(data.pems.ed)[0]") as Record<string, unknown>;
  assert.equal([ed.Version, ed.SignatureAlgorithm, ed.PublicKeyAlgorithm, ed.Extensions, ed.BasicConstraintsValid, ed.MaxPathLen, ed.EmailAddresses], [1, 16, 4, null, false, 0, null]);
  assert.is(typeof ed.PublicKey, "string");
  // The emailAddress attribute is only in Names; CommonName is filled.
  assert.equal((ed.Subject as Record<string, unknown>).Names, [
    { Type: [2, 5, 4, 3], Value: "ed v1" },
    { Type: [1, 2, 840, 113549, 1, 9, 1], Value: "a@b.c" },
  ]);
});

test("policies read extensions, key usage and algorithms as they do under OPA", () => {
  const policy = `
certs := crypto.x509.parse_certificates(concat("\\n", [data.pems.leaf, data.pems.root]))
has_ext(c, id) if {
	some ext in c.Extensions
	ext.Id == id
}
attested if has_ext(certs[0], [1, 3, 6, 1, 4, 1, 99999, 1])
signs_digitally(c) if bits.and(c.KeyUsage, 1) != 0
client_cert(c) if 2 in c.ExtKeyUsage
weak contains i if {
	some i, c in certs
	c.SignatureAlgorithm in {1, 2, 3, 7, 9}
}
expires_ns := time.parse_rfc3339_ns(certs[0].NotAfter)
summary := [attested, signs_digitally(certs[0]), client_cert(certs[0]), count(weak), certs[1].IsCA, expires_ns > time.parse_rfc3339_ns("2100-01-01T00:00:00Z")]
`;
  assert.equal(one("data.p.summary", policy), [true, true, true, 0, true, true]);
  assert.equal(q("data.p.client_cert(data.p.certs[1])", policy), [], "the root lists no extended key usage");
});

test("certificate requests have Go's x509.CertificateRequest shape", () => {
  const csr = one("crypto.x509.parse_certificate_request(data.pems.csr)") as Record<string, unknown>;
  assert.equal(Object.keys(csr).sort(), [
    "Attributes", "DNSNames", "EmailAddresses", "ExtraExtensions", "Extensions", "IPAddresses", "PublicKey", "PublicKeyAlgorithm", "Raw",
    "RawSubject", "RawSubjectPublicKeyInfo", "RawTBSCertificateRequest", "Signature", "SignatureAlgorithm", "Subject", "URIs", "Version",
  ].sort());
  assert.equal([csr.Version, csr.SignatureAlgorithm, csr.PublicKeyAlgorithm, csr.DNSNames], [0, 10, 3, ["svc.test.example"]]);
  assert.equal((csr.URIs as Record<string, unknown>[])[0]!.Host, "test.example");
  assert.equal((csr.Extensions as Record<string, unknown>[]).map((e) => e.Id), [[2, 5, 29, 17]]);
  assert.equal((csr.Attributes as Record<string, unknown>[])[0]!.Type, [1, 2, 840, 113549, 1, 9, 14]);
});

test("chains verify as Go's x509 Verify: key usages (ServerAuth by default), host names, time, path length", () => {
  const now = "time.parse_rfc3339_ns(\"2030-06-01T00:00:00Z\")";
  const chain = 'concat("\\n", [data.pems.root, data.pems.leaf])';
  const ok = (opts: string) => (one(`crypto.x509.parse_and_verify_certificates_with_options(${chain}, ${opts})`) as [boolean, unknown[]])[0];
  assert.is(ok(`{"CurrentTime": ${now}}`), false, "the leaf is for client auth only; Go asks for ServerAuth by default");
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": ["KeyUsageClientAuth"]}`), true);
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": ["KeyUsageAny"]}`), true);
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": {"KeyUsageCodeSigning"}}`), false);
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": ["KeyUsageAny"], "DNSName": "web.apps.test.example"}`), true);
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": ["KeyUsageAny"], "DNSName": "a.web.apps.test.example"}`), false, "a wildcard matches one label");
  assert.is(ok(`{"CurrentTime": ${now}, "KeyUsages": ["KeyUsageAny"], "DNSName": "10.1.2.3"}`), true);
  assert.is(ok(`{"CurrentTime": time.parse_rfc3339_ns("2000-01-01T00:00:00Z"), "KeyUsages": ["KeyUsageAny"]}`), false, "not yet valid");
  // The root allows no intermediate (pathlen 0).
  const viaInter = 'concat("\\n", [data.pems.root, data.pems.inter, data.pems.leaf2])';
  assert.is((one(`crypto.x509.parse_and_verify_certificates_with_options(${viaInter}, {"KeyUsages": ["KeyUsageAny"]})`) as [boolean])[0], false);
  // With options the chain is Go's certificates without URIStrings; without options OPA adds them.
  const verified = one(`crypto.x509.parse_and_verify_certificates_with_options(${chain}, {"KeyUsages": ["KeyUsageAny"]})[1]`) as Record<string, unknown>[];
  assert.equal([verified.length, Object.keys(verified[0]!).length, verified[0]!.URIStrings], [2, 52, undefined]);
  // Unknown options and usages are errors (undefined in a policy).
  assert.equal(q(`crypto.x509.parse_and_verify_certificates_with_options(${chain}, {"Foo": 1})`), []);
  assert.equal(q(`crypto.x509.parse_and_verify_certificates_with_options(${chain}, {"KeyUsages": ["KeyUsageNope"]})`), []);
});

test("private keys are Go's key structs as OPA marshals them (parse_private_keys, parse_keypair); parse_rsa_private_key stays a JWK", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey;
  const ed = generateKeyPairSync("ed25519").privateKey;
  const pem = (k: KeyObject, type: "pkcs1" | "pkcs8" | "sec1") => k.export({ format: "pem", type }) as string;
  const m = loadModule(compile({ modules: [{ file: "p.rego", text: "package p\n" }], queries: [{ name: "q", text: "ks := crypto.parse_private_keys(input.pems); x := [ks, crypto.x509.parse_rsa_private_key(input.rsa), ks[0].N == to_number(input.n), ks[1].D == to_number(input.d)]" }], regoVersion: "v1" }));
  const rj = rsa.export({ format: "jwk" });
  const big = (s: string | undefined) => BigInt("0x" + Buffer.from(s!, "base64url").toString("hex")).toString();
  const input = { pems: pem(rsa, "pkcs1") + pem(ec, "sec1") + pem(ed, "pkcs8"), rsa: pem(rsa, "pkcs1"), n: big(rj.n), d: big(ec.export({ format: "jwk" }).d) };
  const [[keys, jwk, nOk, dOk]] = m.evaluate(input, "q").map((r) => (r as { x: unknown }).x) as [[Record<string, unknown>[], Record<string, unknown>, boolean, boolean]];
  assert.equal(Object.keys(keys[0]!).sort(), ["D", "E", "N", "Precomputed", "Primes"]);
  assert.is(keys[0]!.E, 65537);
  assert.equal([nOk, dOk], [true, true], "N and D are exact");
  assert.equal(Object.keys(keys[0]!.Precomputed as object).sort(), ["CRTValues", "Dp", "Dq", "Qinv"]);
  assert.equal((keys[1] as Record<string, unknown>).Curve, {});
  assert.is(Buffer.from(keys[2] as unknown as string, "base64").length, 64, "Ed25519: seed and public key");
  assert.is(jwk.kty, "RSA");
  assert.is(jwk.n, rj.n);
});

test.run();
