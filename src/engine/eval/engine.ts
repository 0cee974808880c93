/**
 * Prepares a query for evaluation: the modules plus the query (wrapped as a rule, see query.ts)
 * compiled by policyc into one Wasm module, loaded through `@open-policy-agent/opa-wasm` with our
 * host built-ins. Shared by `policyc eval` and the conformance runner.
 */
import { loadModule, type LoadedModule } from "../runner/load.js";
import { wrapQuery, type WrappedQuery } from "./query.js";
import { compileWithPolicyc } from "./compile.js";

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
  /** Capture expression values for `opa eval`-style output. */
  captureExpressions?: boolean;
  fuel?: number;
  memoryLimitPages?: number;
  /** Builds the Wasm module; defaults to policyc's own compiler. */
  build?: (modules: Source[], entrypoints: string[], regoVersion: "v0" | "v1") => Uint8Array;
}

export const QUERY_FILE = "query.rego";

export function prepareQuery(opts: PrepareOptions): PreparedQuery {
  const query = wrapQuery(opts.query, { file: "query", regoVersion: opts.regoVersion, captureExpressions: opts.captureExpressions });
  const modules = [...opts.modules, { file: QUERY_FILE, text: query.module }];
  const build = opts.build ?? compileWithPolicyc;
  const wasm = build(modules, [query.entrypoint], opts.regoVersion);
  const loaded: LoadedModule = loadModule(wasm, { fuel: opts.fuel, memoryLimitPages: opts.memoryLimitPages });
  loaded.setData({});
  return {
    query,
    setData: (data) => loaded.setData(data ?? {}),
    evaluate(input?: unknown): Bindings[] {
      const rs = loaded.evaluate(input, query.entrypoint);
      const first = rs[0] as { result?: unknown } | undefined;
      if (!first || !Array.isArray(first.result)) return [];
      return first.result as Bindings[];
    },
  };
}
