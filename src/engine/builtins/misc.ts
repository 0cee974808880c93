/**
 * Built-ins that cannot do their real job in a sandboxed, synchronous evaluation: `http.send`
 * (no network: OPA's request validation, then the transport error OPA gives when a request cannot
 * be sent: a built-in error, so the call is undefined, or with `raise_error: false` OPA's
 * `{"status_code": 0, "error": {...}}` response), `net.lookup_ip_addr`
 * (IP literals and localhost only) and `opa.runtime` (what the host that runs the evaluation
 * sets with `setRuntimeInfo`: `{}` as in Gatekeeper, which gives OPA no runtime; `policyc eval`
 * and `policyc test PATH` give OPA's own description, `opaRuntimeInfo()`).
 */
import { type PlainObject, type Value, RSet, isObject, objectEntries, objectGet, setKey, typeName } from "./value.js";
import { goQuote, regoText } from "./format.js";
import { parseIp, formatIp } from "./net.js";
import type { Builtin } from "./tagged.js";

const HTTP_KEYS = new Set([
  "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs",
  "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
  "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout",
  "cache", "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
]);

const REQUIRED_KEYS = ["method", "url"];
const STRING_KEYS = new Set(["method", "url", "raw_body", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert",
  "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_server_name"]);

/**
 * OPA's checks, in its order and words: the operand, unknown and missing parameters, `raise_error`
 * (built-in errors whatever `raise_error` says), then string parameters. What fails after that is the
 * request itself: Go's `*url.Error` (`Get "URL": ...`), a network error.
 */
function httpSend(req: Value): Value {
  if (!isObject(req)) throw new TypeError(`operand 1 must be object but got ${typeName(req)}`);
  const keys = objectEntries(req).map(([k]) => k);
  const invalid = keys.filter((k) => typeof k !== "string" || !HTTP_KEYS.has(k));
  if (invalid.length > 0) throw new Error(`operand 1 invalid request parameters(s): ${regoText(new RSet(invalid))}`);
  const missing = REQUIRED_KEYS.filter((k) => !keys.includes(k));
  if (missing.length > 0) throw new Error(`operand 1 missing required request parameters(s): ${regoText(new RSet(missing))}`);
  const raise = objectGet(req, "raise_error") ?? true;
  if (typeof raise !== "boolean") throw new Error("invalid value for raise_error field");
  const fail = (code: string, message: string): Value => {
    if (raise) throw new Error(message);
    return { status_code: 0, error: { code, message } };
  };
  for (const k of keys) {
    if (STRING_KEYS.has(k as string) && typeof objectGet(req, k) !== "string") return fail("eval_http_send_internal_error", `${goQuote(k as string)} must be a string`);
  }
  const method = (objectGet(req, "method") as string).toUpperCase();
  const url = objectGet(req, "url") as string;
  // Go names the operation after the method: "Get", "Post", ...
  const op = method.slice(0, 1) + method.slice(1).toLowerCase();
  return fail("eval_http_send_network_error", `${op} ${goQuote(url)}: network access is not available in policyc evaluations`);
}

export const miscBuiltins: Record<string, Builtin> = {
  "http.send": httpSend,
  "net.lookup_ip_addr": (name: Value) => {
    if (typeof name !== "string") return undefined;
    const ip = parseIp(name);
    if (ip) return new RSet([formatIp(ip.v6, ip.n)]);
    if (name === "localhost") return new RSet(["127.0.0.1"]);
    throw new Error(`net.lookup_ip_addr: cannot resolve ${name} (no DNS in policyc evaluations)`);
  },
  "opa.runtime": () => runtimeInfo,
};

/** The OPA release whose behaviour the engine follows (its conformance cases); `opa.runtime().version`. */
export const OPA_COMPATIBLE_VERSION = "1.14.0";

let runtimeInfo: Value = {};

/** What `opa.runtime()` returns from now on (`{}`: no runtime, as Gatekeeper evaluates); returns the previous one. */
export function setRuntimeInfo(info: Value): Value {
  const prev = runtimeInfo;
  runtimeInfo = info;
  return prev;
}

/**
 * OPA's runtime description as `opa eval` and `opa test` give it (no configuration file): the
 * process environment (a variable without `=` is null), the version and commit, and the two flags
 * a plain run has off.
 */
export function opaRuntimeInfo(env: NodeJS.ProcessEnv = process.env): Value {
  const vars: PlainObject = {};
  for (const [k, v] of Object.entries(env)) setKey(vars, k, v ?? null);
  return { env: vars, version: OPA_COMPATIBLE_VERSION, commit: "", authorization_enabled: false, skip_known_schema_check: false };
}

/** v0-only built-ins (removed in Rego v1, still accepted in v0 modules such as Gatekeeper's). */
export const legacyBuiltins: Record<string, Builtin> = {
  set_diff: (a, b) => (a instanceof RSet && b instanceof RSet ? new RSet(a.items.filter((x) => !b.has(x))) : undefined),
  cast_array: (v) => (Array.isArray(v) ? v : v instanceof RSet ? v.items : undefined),
  cast_set: (v) => (Array.isArray(v) ? new RSet(v) : v instanceof RSet ? v : undefined),
  cast_string: (v) => (typeof v === "string" ? v : undefined),
  cast_boolean: (v) => (typeof v === "boolean" ? v : undefined),
  cast_null: (v) => (v === null ? null : undefined),
  cast_object: (v) => (isObject(v) ? v : undefined),
  trace: (note) => (typeof note === "string" ? true : undefined),
};
