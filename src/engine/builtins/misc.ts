/**
 * Built-ins that cannot do their real job in a sandboxed, synchronous evaluation: `http.send`
 * (no network: request validation, then an error, so the call is undefined), `net.lookup_ip_addr`
 * (IP literals and localhost only) and `opa.runtime` (an empty runtime description).
 */
import { type Value, RSet, isObject, objectEntries } from "./value.js";
import { parseIp, formatIp } from "./net.js";
import type { Builtin } from "./tagged.js";

const HTTP_KEYS = new Set([
  "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body", "tls_use_system_certs",
  "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert", "tls_client_cert_file", "tls_client_cert_env_variable",
  "tls_client_key", "tls_client_key_file", "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout",
  "cache", "force_cache", "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
]);

export const miscBuiltins: Record<string, Builtin> = {
  "http.send": (req: Value) => {
    if (!isObject(req)) throw new TypeError("http.send: request must be an object");
    for (const [k] of objectEntries(req)) if (typeof k !== "string" || !HTTP_KEYS.has(k)) throw new Error(`http.send: invalid request parameter ${String(k)}`);
    throw new Error("http.send: network access is not available in policyc evaluations");
  },
  "net.lookup_ip_addr": (name: Value) => {
    if (typeof name !== "string") return undefined;
    const ip = parseIp(name);
    if (ip) return new RSet([formatIp(ip.v6, ip.n)]);
    if (name === "localhost") return new RSet(["127.0.0.1"]);
    throw new Error(`net.lookup_ip_addr: cannot resolve ${name} (no DNS in policyc evaluations)`);
  },
  "opa.runtime": () => ({}),
};

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
