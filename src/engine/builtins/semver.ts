/**
 * `semver.is_valid` / `semver.compare` (SemVer 2.0.0 precedence) and `uuid.rfc4122` / `uuid.parse`.
 */
import { randomUUID } from "node:crypto";
import { type Value, type PlainObject, setKey, fromBigInt } from "./value.js";
import type { Builtin } from "./tagged.js";
import { perEvaluation } from "./memo.js";

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Version {
  core: bigint[];
  pre: string[];
}

function parse(s: string, operand: number): Version {
  const m = SEMVER.exec(s);
  if (!m) throw new Error(`semver.compare: operand ${operand}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] ? m[4].split(".") : [] };
}

export function compareSemver(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! < b.core[i]! ? -1 : 1;
  if (a.pre.length === 0 || b.pre.length === 0) return a.pre.length === b.pre.length ? 0 : a.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i]!;
    const y = b.pre[i]!;
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return a.pre.length === b.pre.length ? 0 : a.pre.length < b.pre.length ? -1 : 1;
}

/** 100-ns intervals between the UUID epoch (1582-10-15) and the Unix epoch. */
const UUID_EPOCH_OFFSET = 0x01b21dd213814000n;

function uuidParse(v: Value): Value | undefined {
  if (typeof v !== "string") return undefined;
  let s = v;
  if (s.toLowerCase().startsWith("urn:uuid:")) s = s.slice(9);
  if (s.startsWith("{") && s.endsWith("}")) s = s.slice(1, -1);
  let hex: string;
  if (/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s)) hex = s.replace(/-/g, "");
  else if (/^[0-9a-fA-F]{32}$/.test(s)) hex = s;
  else return undefined;
  const b = Buffer.from(hex, "hex");
  const version = b[6]! >> 4;
  const v8 = b[8]!;
  const variant = (v8 & 0xc0) === 0x80 ? "RFC4122" : (v8 & 0xe0) === 0xc0 ? "Microsoft" : (v8 & 0xe0) === 0xe0 ? "Future" : "Reserved";
  const out: PlainObject = {};
  setKey(out, "version", version);
  setKey(out, "variant", variant);
  if (version === 1 || version === 2) {
    const low = BigInt(b.readUInt32BE(0));
    const mid = BigInt(b.readUInt16BE(4));
    const hi = BigInt(b.readUInt16BE(6) & 0x0fff);
    const t = (hi << 48n) | (mid << 32n) | low;
    setKey(out, "time", fromBigInt((t - UUID_EPOCH_OFFSET) * 100n));
    setKey(out, "clocksequence", b.readUInt16BE(8) & 0x3fff);
    const node = b.subarray(10, 16);
    setKey(out, "nodeid", [...node].map((x) => x.toString(16).padStart(2, "0")).join("-"));
    setKey(out, "macvariables", `${node[0]! & 2 ? "local" : "global"}:${node[0]! & 1 ? "multicast" : "unicast"}`);
    if (version === 2) {
      const domains = ["Person", "Group", "Org"];
      setKey(out, "domain", domains[b[9]!] ?? `Domain${b[9]}`);
      setKey(out, "id", b.readUInt32BE(0));
    }
  }
  return out;
}

export const semverBuiltins: Record<string, Builtin> = {
  "semver.is_valid": (v) => typeof v === "string" && SEMVER.test(v),
  "semver.compare": (a, b) => {
    if (typeof a !== "string" || typeof b !== "string") return undefined;
    return compareSemver(parse(a, 1), parse(b, 2));
  },
  "uuid.rfc4122": (seed) => {
    if (typeof seed !== "string") return undefined;
    return perEvaluation(`uuid.rfc4122:${seed}`, () => randomUUID());
  },
  "uuid.parse": uuidParse,
};
