/**
 * Prepares a query for evaluation and runs it through `@open-policy-agent/opa-wasm` with our host
 * built-ins. With policyc (default) the query is compiled as a query plan beside the modules; with
 * `opa` the query is wrapped as a rule (see query.ts) because `opa build` takes entrypoints only.
 * Shared by `policyc eval` and the conformance runner.
 */
import { parseJson } from "../builtins/json.js";
import { loadModule, type LoadedModule } from "../runner/load.js";
import { startEvaluation } from "../builtins/index.js";
import { wrapQuery, type WrappedQuery } from "./query.js";
import { compileQueryWithPolicyc, compileWithOpaBuild, QUERY_ENTRYPOINT } from "./compile.js";

export interface Source {
  file: string;
  text: string;
}

export type Bindings = Record<string, unknown>;

export interface PreparedQuery {
  query: WrappedQuery;
  setData(data: unknown): void;
  /** Rows of variable bindings; `input` undefined means no input. */
  evaluate(input?: unknown): Bindings[];
}

export interface PrepareOptions {
  modules: Source[];
  query: string;
  regoVersion: "v0" | "v1";
  engine?: "policyc" | "opa";
  /** Capture expression values for `opa eval`-style output. */
  captureExpressions?: boolean;
  fuel?: number;
  memoryLimitPages?: number;
  /** Wall-clock limit of each evaluation in ms (default none, as `opa eval`). */
  timeoutMs?: number;
  /** Caller-supplied built-ins (policyc engine only), e.g. the conformance suite's `test.sleep`. */
  extraBuiltins?: { name: string; arity: number; impl: (...args: unknown[]) => unknown }[];
  /** The data the query will run with, when known: rules at its paths are refused, as by `opa eval -d`. */
  baseData?: unknown;
}

export const QUERY_FILE = "query.rego";

export function prepareQuery(opts: PrepareOptions): PreparedQuery {
  const query = wrapQuery(opts.query, { file: "query", regoVersion: opts.regoVersion, captureExpressions: opts.captureExpressions });
  const viaOpa = opts.engine === "opa";
  const wasm = viaOpa
    ? compileWithOpaBuild([...opts.modules, { file: QUERY_FILE, text: query.module }], [query.entrypoint], opts.regoVersion)
    : compileQueryWithPolicyc(opts.modules, query.queryText, opts.regoVersion, opts.extraBuiltins, opts.baseData);
  const builtins = Object.fromEntries((opts.extraBuiltins ?? []).map((b) => [`policyc.${b.name}`, b.impl]));
  const loaded: LoadedModule = loadModule(wasm, { fuel: opts.fuel, memoryLimitPages: opts.memoryLimitPages, timeoutMs: opts.timeoutMs, builtins });
  loaded.setData({});
  const keep = [...query.vars, ...query.expressions.flatMap((e) => (e.valueVar ? [e.valueVar] : []))];
  return {
    query,
    setData: (data) => loaded.setData(data ?? {}),
    evaluate(input?: unknown): Bindings[] {
      startEvaluation();
      if (viaOpa) {
        const rs = loaded.evaluate(input, query.entrypoint);
        const first = rs[0] as { result?: unknown } | undefined;
        return first && Array.isArray(first.result) ? (first.result as Bindings[]) : [];
      }
      // The module's own JSON text, parsed keeping numbers exact (the SDK's JSON.parse would turn
      // integers past 2^53 into doubles and past 1e308 into null).
      const rows = parseJson(loaded.evaluateJsonText(input, QUERY_ENTRYPOINT)) as Bindings[];
      return rows.map((r) => {
        const out: Bindings = {};
        for (const k of keep) if (k in r) out[k] = r[k];
        return out;
      });
    },
  };
}
