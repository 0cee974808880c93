/**
 * `providers.aws.sign_req(request, aws_config, time_ns)`: AWS Signature Version 4 as OPA computes
 * it — the method and URL path exactly as given, s3/glacier sign `x-amz-content-sha256`, a body
 * is `raw_body` or the JSON of `body`, `disable_payload_signing` signs `UNSIGNED-PAYLOAD`.
 */
import { createHash, createHmac } from "node:crypto";
import { type Value, type PlainObject, isObject, objectEntries, objectGet, setKey, toBigInt, isNumber } from "./value.js";
import { goJson } from "./format.js";
import type { Builtin } from "./tagged.js";

const sha256 = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
const hmac = (k: Buffer | string, s: string) => createHmac("sha256", k).update(s).digest();

function names(keys: string[]): string {
  return `{${keys.map((k) => JSON.stringify(k)).join(", ")}}`;
}

function signReq(req: Value, cfg: Value, timeNs: Value): Value | undefined {
  if (!isObject(req)) throw new TypeError("providers.aws.sign_req: operand 1 must be an object");
  if (!isObject(cfg)) throw new TypeError("providers.aws.sign_req: operand 2 must be an object");
  const missing = ["method", "url"].filter((k) => objectGet(req, k) === undefined);
  if (missing.length) throw new Error(`providers.aws.sign_req: operand 1 missing required request parameters(s): ${names(missing)}`);
  const badReq = ["method", "url"].filter((k) => typeof objectGet(req, k) !== "string");
  if (badReq.length) throw new Error(`providers.aws.sign_req: operand 1 invalid values for required request parameters(s): ${names(badReq)}`);
  const awsKeys = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];
  const missingCfg = awsKeys.filter((k) => objectGet(cfg, k) === undefined);
  if (missingCfg.length) throw new Error(`providers.aws.sign_req: operand 2 missing required AWS config parameters(s): ${names(missingCfg)}`);
  const badCfg = awsKeys.filter((k) => typeof objectGet(cfg, k) !== "string");
  if (badCfg.length) throw new Error(`providers.aws.sign_req: operand 2 invalid values for required AWS config parameters(s): ${names(badCfg)}`);
  const dps = objectGet(cfg, "disable_payload_signing");
  if (dps !== undefined && typeof dps !== "boolean") throw new Error("providers.aws.sign_req: operand 2 invalid value for 'disable_payload_signing' in AWS config");
  const ns = isNumber(timeNs) ? toBigInt(timeNs) : undefined;
  if (ns === undefined) throw new Error("providers.aws.sign_req: operand 3 could not convert time_ns value into a unix timestamp");

  const method = objectGet(req, "method") as string;
  const url = new URL(objectGet(req, "url") as string);
  const service = objectGet(cfg, "aws_service") as string;
  const region = objectGet(cfg, "aws_region") as string;
  const accessKey = objectGet(cfg, "aws_access_key") as string;
  const secret = objectGet(cfg, "aws_secret_access_key") as string;
  const token = objectGet(cfg, "aws_session_token");

  const raw = objectGet(req, "raw_body");
  const body = objectGet(req, "body");
  const payload = typeof raw === "string" ? raw : body !== undefined ? goJson(body) : "";
  const bodyHash = dps === true ? "UNSIGNED-PAYLOAD" : sha256(Buffer.from(payload, "utf8"));

  const iso = new Date(Number(ns / 1_000_000n)).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  const date = iso.slice(0, 8);
  const aws: Record<string, string> = { host: url.host, "x-amz-date": iso };
  if (service === "s3" || service === "glacier") aws["x-amz-content-sha256"] = bodyHash;
  if (typeof token === "string" && token !== "") aws["x-amz-security-token"] = token;

  const userHeaders = objectGet(req, "headers");
  const signed: Record<string, string> = { ...aws };
  const outHeaders: PlainObject = {};
  if (userHeaders !== undefined) {
    if (!isObject(userHeaders)) throw new TypeError("providers.aws.sign_req: headers must be an object");
    for (const [k, v] of objectEntries(userHeaders)) {
      if (typeof k !== "string") continue;
      const text = typeof v === "string" ? v : goJson(v);
      // A user-supplied value for a header AWS computes is signed as given.
      signed[k.toLowerCase()] = text;
      setKey(outHeaders, k, v);
    }
  }
  const keys = Object.keys(signed).sort();
  const path = url.pathname === "/" && !/^[a-z]+:\/\/[^/]+\//i.test(objectGet(req, "url") as string) ? "" : url.pathname;
  const canonical = [method, path, url.search.replace(/^\?/, ""), keys.map((k) => `${k}:${signed[k]}`).join("\n") + "\n", keys.join(";"), bodyHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", iso, scope, sha256(canonical)].join("\n");
  let k = hmac("AWS4" + secret, date);
  k = hmac(k, region);
  k = hmac(k, service);
  k = hmac(k, "aws4_request");
  const signature = createHmac("sha256", k).update(toSign).digest("hex");
  for (const [hk, hv] of Object.entries(aws)) setKey(outHeaders, hk, hv);
  setKey(outHeaders, "Authorization", `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope},SignedHeaders=${keys.join(";")},Signature=${signature}`);
  const out: PlainObject = {};
  for (const [rk, rv] of objectEntries(req)) if (typeof rk === "string") setKey(out, rk, rv);
  setKey(out, "headers", outHeaders);
  return out;
}

export const awsBuiltins: Record<string, Builtin> = { "providers.aws.sign_req": signReq };
