/**
 * Build-time checks of `verifyImageSignatures` that the CRD cannot express: the reference glob,
 * every public key parsed as PEM with node:crypto, `dockerCfg` decoded as base64 of a docker config
 * JSON, `ca` parsed as an X.509 certificate, and Deckhouse's own admission rule that references of
 * different SecurityPolicies must not overlap (Ratify scopes must be disjoint).
 */
import { createPublicKey, X509Certificate } from "node:crypto";
import { diag, type Diagnostic } from "../../diagnostics/index.js";
import { PC6 } from "./diagnostics.js";
import type { Locator } from "./support/locate.js";
import type { VerifyImageSignature } from "./types.js";

/** Why `ref` is not a valid reference glob, or undefined when it is. */
export function referenceProblem(ref: string): string | undefined {
  if (ref.length === 0) return "it is empty";
  const bad = [...ref].find((c) => !/[a-z0-9.\-:@/*]/.test(c));
  if (bad !== undefined) return `character \`${bad}\` is not allowed (lowercase letters, digits, \`.\`, \`-\`, \`:\`, \`@\`, \`/\`)`;
  const star = ref.indexOf("*");
  if (star !== -1 && star !== ref.length - 1) return "`*` may appear only once, as the last character";
  if (ref !== "*" && (ref.startsWith("/") || ref.includes("//"))) return "it has an empty path segment";
  return undefined;
}

/** Why `pem` is not a PEM public key, or undefined when node:crypto accepts it. */
export function publicKeyProblem(pem: string): string | undefined {
  const text = pem.trim();
  if (!/^-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text)) return "it does not start with `-----BEGIN PUBLIC KEY-----`";
  try {
    createPublicKey({ key: text, format: "pem" });
    return undefined;
  } catch {
    return pemBodyProblem(text, "PUBLIC KEY") ?? "its base64 body is not a DER public key (SubjectPublicKeyInfo, as `openssl pkey -pubout` writes it); copy the whole key again";
  }
}

/**
 * What is wrong with a PEM block's framing or base64 body, in words (OpenSSL's own errors, such as
 * "DECODER routines::unsupported", say nothing a user can act on), or undefined when both look right.
 */
function pemBodyProblem(text: string, label: string): string | undefined {
  const m = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END ([A-Z0-9 ]+)-----$/.exec(text);
  if (!m) return `it is not one block from \`-----BEGIN ${label}-----\` to \`-----END ${label}-----\``;
  if (m[1] !== m[3]) return `it begins with \`-----BEGIN ${m[1]}-----\` but ends with \`-----END ${m[3]}-----\``;
  const body = m[2]!.split(/\r?\n/).filter((l) => !/^[A-Za-z-]+:/.test(l)).join("").replace(/\s+/g, "");
  const bad = /[^A-Za-z0-9+/=]/.exec(body);
  if (bad) return `its body has \`${bad[0]}\`, which is not base64 (a line was changed or cut)`;
  if (!strictBase64.test(body)) return "its base64 body is truncated or padded wrongly (a line is missing or was cut)";
  return undefined;
}

const strictBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Why `value` is not base64 of a docker config JSON, or undefined when it is. */
export function dockerCfgProblem(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (!strictBase64.test(compact)) return "not valid base64";
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(compact, "base64").toString("utf8"));
  } catch {
    return "the decoded bytes are not JSON";
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return "the decoded JSON is not an object";
  const auths = (json as { auths?: unknown }).auths;
  if (typeof auths !== "object" || auths === null || Array.isArray(auths)) return "the decoded JSON has no `auths` object";
  return undefined;
}

/** Why `pem` is not a PEM X.509 certificate, or undefined when it is. */
export function caProblem(pem: string): string | undefined {
  try {
    new X509Certificate(pem.trim());
    return undefined;
  } catch {
    return pemBodyProblem(pem.trim(), "CERTIFICATE") ?? "its base64 body is not a DER X.509 certificate; copy the whole certificate again";
  }
}

/** Checks one SecurityPolicy's `verifyImageSignatures` list. */
export function checkImageSignatures(list: readonly VerifyImageSignature[] | undefined, locate: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!Array.isArray(list)) return out;
  const base = ["spec", "policies", "verifyImageSignatures"];
  list.forEach((entry, i) => {
    if (typeof entry !== "object" || entry === null) return;
    const ref = typeof entry.reference === "string" ? entry.reference : "";
    const refProblem = typeof entry.reference === "string" ? referenceProblem(entry.reference) : undefined;
    if (refProblem) out.push(diag(PC6.badReference, [ref, refProblem], locate([...base, i, "reference"])));
    (Array.isArray(entry.publicKeys) ? (entry.publicKeys as unknown[]) : []).forEach((key, k) => {
      const problem = typeof key === "string" ? publicKeyProblem(key) : "it is not a string";
      if (problem) out.push(diag(PC6.badPublicKey, [k + 1, ref, problem], locate([...base, i, "publicKeys", k])));
    });
    if (typeof entry.dockerCfg === "string") {
      const problem = dockerCfgProblem(entry.dockerCfg);
      if (problem) out.push(diag(PC6.badDockerCfg, [ref, problem], locate([...base, i, "dockerCfg"])));
    }
    if (typeof entry.ca === "string") {
      const problem = caProblem(entry.ca);
      if (problem) out.push(diag(PC6.badCa, [ref, problem], locate([...base, i, "ca"])));
    }
  });
  return out;
}

/**
 * Deckhouse's webhook rule: references of different policies overlap when one, without its
 * trailing `*`, is a prefix of the other. Exact duplicates (merged by Deckhouse) and `*`-only
 * references are exempt.
 */
export function referencesOverlap(a: string, b: string): boolean {
  if (a === b) return false;
  const pa = a.replace(/\*$/, "");
  const pb = b.replace(/\*$/, "");
  if (pa === "" || pb === "") return false;
  return pa.startsWith(pb) || pb.startsWith(pa);
}

export interface PolicyReferences {
  name: string;
  references: string[];
  locate: Locator;
}

/** Overlapping references across different SecurityPolicies (reported at the later policy). */
export function checkReferenceOverlaps(policies: readonly PolicyReferences[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (let i = 0; i < policies.length; i++) {
    for (let j = 0; j < i; j++) {
      const later = policies[i]!;
      const earlier = policies[j]!;
      if (later.name === earlier.name) continue;
      later.references.forEach((ra, ia) => {
        const rb = earlier.references.find((r) => referencesOverlap(ra, r));
        if (rb !== undefined) {
          out.push(diag(PC6.overlappingReference, [ra, later.name, rb, earlier.name], later.locate(["spec", "policies", "verifyImageSignatures", ia, "reference"])));
        }
      });
    }
  }
  return out;
}
