// Bad Deckhouse input: unknown fields, enum spelling, image-signature rules — each a PC60xx
// diagnostic at the user's line with a hint.
import { test } from "uvu";
import * as assert from "uvu/assert";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { projectRoot } from "../support/shared.js";
import { loadResources } from "./support/load-examples.js";
import { callLocator } from "../../src/api/deckhouse/support/locate.js";
import { validateDeckhouseObject, validateDeckhouseSet } from "../../src/api/deckhouse/validate.js";
import { caProblem, dockerCfgProblem, publicKeyProblem, referenceProblem, referencesOverlap } from "../../src/api/deckhouse/image-signatures.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";

const fixture = path.join(projectRoot, "test/deckhouse/fixtures/bad-policies.ts");
let diags: Diagnostic[] = [];

test.before(async () => {
  const res = await loadResources([fixture]);
  const items = res.map((r) => ({ object: r.object, locate: callLocator(r.site) }));
  diags = [...items.flatMap((i) => validateDeckhouseObject(i.object, i.locate)), ...validateDeckhouseSet(items)];
});

const find = (code: string, text: string) => diags.find((d) => d.code === code && d.message.includes(text));

test("wrong enum case gets the right spelling as a hint, at its line", () => {
  const d = find("PC6002", "`deny`");
  assert.ok(d, JSON.stringify(diags, null, 1));
  assert.is(d!.span!.line, 6);
  assert.ok(d!.notes?.[0]?.includes("`Deny`"));
  const cap = find("PC6002", "NET_bind_service");
  assert.is(cap?.span?.line, 10);
  assert.ok(cap?.notes?.[0]?.includes("NET_BIND_SERVICE"));
});

test("unknown field suggests the known one and points at the key", () => {
  const d = find("PC6001", "allowPrivilige");
  assert.ok(d);
  assert.equal([d!.span!.line, d!.span!.col], [9, 5]);
  assert.ok(d!.notes?.[0]?.includes("`allowPrivileged`"));
  assert.is(d!.severity, "error");
});

test("image signatures: bad reference, bad PEM, dockerCfg, overlaps", () => {
  assert.is(find("PC6010", "Registry.example.com")?.span?.line, 20);
  const pem = find("PC6011", "public key #1");
  assert.is(pem?.span?.line, 21);
  assert.is(pem?.severity, "error");
  const cfg = find("PC6012", "dockerCfg");
  assert.is(cfg?.severity, "warning");
  assert.is(cfg?.span?.line, 22);
  const overlap = find("PC6013", "`overlap`");
  assert.ok(overlap, JSON.stringify(diags.map((d) => d.message)));
  assert.is(overlap!.span!.line, 40);
});

test("a bad PEM key or certificate is explained in words, never as an OpenSSL error code", () => {
  const good = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
  assert.is(publicKeyProblem(good), undefined);
  const lines = good.trim().split("\n");
  const problems = [
    publicKeyProblem("-----BEGIN PUBLIC KEY-----\nnot base64!!\n-----END PUBLIC KEY-----"),
    publicKeyProblem([lines[0], lines[1], lines.at(-1)].join("\n")), // a line cut out
    publicKeyProblem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
    publicKeyProblem(good.replace("END PUBLIC KEY", "END RSA PUBLIC KEY")),
    caProblem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"),
    caProblem("hello"),
  ];
  for (const p of problems) {
    assert.ok(p, "every bad input has a problem");
    assert.not.match(p!, /routines|error:|ERR_/);
  }
  assert.match(problems[0]!, /has `!`, which is not base64/);
  assert.match(problems[1]!, /truncated|not a DER public key/);
  assert.match(problems[2]!, /not a DER public key/);
  assert.match(problems[3]!, /begins with `-----BEGIN PUBLIC KEY-----` but ends with `-----END RSA PUBLIC KEY-----`/);
  assert.match(problems[4]!, /not a DER X\.509 certificate/);
  assert.match(problems[5]!, /not one block from `-----BEGIN CERTIFICATE-----`/);
});

test("policy names longer than 63 characters are rejected (Deckhouse names its Constraints after them)", () => {
  const o = (name: string) => ({ apiVersion: "deckhouse.io/v1alpha1", kind: "OperationPolicy", metadata: { name }, spec: { match: { labelSelector: { matchLabels: { a: "b" } } }, policies: {} } });
  assert.equal(validateDeckhouseObject(o("a".repeat(63)), () => undefined), []);
  assert.equal(validateDeckhouseObject(o("a".repeat(64)), () => undefined).map((d) => d.code), ["PC6004"]);
});

test("match needs a selector", () => {
  const d = find("PC6003", "`no-match` spec.match");
  assert.ok(d);
  assert.ok(d!.message.includes("namespaceSelector"));
});

test("PEM public keys are parsed with node:crypto", () => {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  assert.is(publicKeyProblem(pem), undefined);
  assert.ok(publicKeyProblem(pem.replace(/[A-Za-z]{8}/, "AAAAAAAA")));
  assert.ok(publicKeyProblem("ssh-ed25519 AAAA"));
});

test("reference globs and dockerCfg", () => {
  assert.is(referenceProblem("docker.io/myrepo/*"), undefined);
  assert.is(referenceProblem("company.registry.com/nginx"), undefined);
  assert.is(referenceProblem("*"), undefined);
  assert.ok(referenceProblem("a/*/b"));
  assert.ok(referenceProblem("UPPER/x"));
  assert.ok(referenceProblem(""));
  const good = Buffer.from(JSON.stringify({ auths: { "r.example.com": { auth: "dTpw" } } })).toString("base64");
  assert.is(dockerCfgProblem(good), undefined);
  assert.is(dockerCfgProblem("zxc=="), "not valid base64");
  assert.ok(dockerCfgProblem(Buffer.from("[]").toString("base64")));
  assert.ok(referencesOverlap("a.io/*", "a.io/team/*"));
  assert.not.ok(referencesOverlap("a.io/*", "a.io/*"));
  assert.not.ok(referencesOverlap("a.io/*", "b.io/*"));
  assert.not.ok(referencesOverlap("*", "b.io/*"));
});

test.run();
