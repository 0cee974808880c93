/**
 * The host built-ins table. Generated code calls a host built-in through `opa_builtinN`; the SDK
 * looks the name up in `customBuiltins`, which is what `hostBuiltins()` returns: every family's
 * functions keyed by `policyc.<rego name>` (so the SDK's own `sprintf` never shadows ours) and
 * wrapped with the tag codec. `hostBuiltinNames()` tells the back end which names exist.
 */
import { type Builtin, type HostFunction, wrapBuiltin } from "./tagged.js";
import { sprintf } from "./sprintf.js";
import { stringBuiltins } from "./strings.js";
import { regexBuiltins } from "./regex.js";
import { globBuiltins } from "./glob.js";
import { unitsBuiltins } from "./units.js";
import { numberBuiltins } from "./numbers.js";
import { jsonBuiltins } from "./json.js";
import { encodingBuiltins } from "./encoding.js";
import { objectBuiltins } from "./objects.js";
import { extraBuiltins } from "./registry-extra.js";

/** The prefix that keeps our names apart from the SDK's own built-ins. */
export const HOST_PREFIX = "policyc.";

export function allBuiltins(): Record<string, Builtin> {
  return {
    sprintf: (f, a) => sprintf(f, a),
    ...stringBuiltins,
    ...regexBuiltins,
    ...globBuiltins,
    ...unitsBuiltins,
    ...numberBuiltins,
    ...jsonBuiltins,
    ...encodingBuiltins,
    ...objectBuiltins,
    ...extraBuiltins(),
  };
}

let table: Record<string, HostFunction> | undefined;

/** A fresh copy each call (the wrapped functions are shared), so callers may add or override. */
export function hostBuiltins(): Record<string, HostFunction> {
  if (!table) {
    table = {};
    for (const [name, fn] of Object.entries(allBuiltins())) table[HOST_PREFIX + name] = wrapBuiltin(fn);
  }
  return { ...table };
}

export function hostBuiltinNames(): Set<string> {
  return new Set(Object.keys(allBuiltins()));
}

export { wrapBuiltin, decode, encode } from "./tagged.js";
export { startEvaluation } from "./memo.js";
export { setRuntimeInfo, opaRuntimeInfo, OPA_COMPATIBLE_VERSION } from "./misc.js";
export type { Builtin, HostFunction } from "./tagged.js";
