/**
 * Loads a policy module through `@open-policy-agent/opa-wasm` (the same path for modules built by
 * policyc and by `opa build`), with our host built-ins, a memory ceiling and an evaluation budget.
 */
import * as opaModule from "@open-policy-agent/opa-wasm";
import { hostBuiltins } from "../builtins/index.js";
import { requiredPages } from "../wasm/link.js";
import { EvalError, toEvalError } from "./errors.js";

const PAGE = 65536;

export interface LoadOptions {
  /** Maximum Wasm memory in 64 KiB pages (default 4096 = 256 MiB). */
  memoryLimitPages?: number;
  /** Evaluation budget: function entries plus loop iterations per evaluation (policyc modules only). */
  fuel?: number;
  /** Extra host built-ins by their full name, e.g. `policyc.sprintf` (tests). */
  builtins?: Record<string, (...args: unknown[]) => unknown>;
}

export type ResultSet = Record<string, unknown>[];

export interface LoadedModule {
  readonly entrypoints: Record<string, number>;
  setData(data: unknown): void;
  /** Evaluates an entrypoint (name or id; default 0). `input` undefined means no input. */
  evaluate(input: unknown, entrypoint?: string | number): ResultSet;
  /**
   * Evaluates with `input` given as Rego value text (sets, non-string keys: what JSON cannot carry),
   * parsed by the module's `opa_value_parse`, through the ABI's eval-context calls.
   */
  evaluateRegoInput(inputText: string | undefined, entrypoint?: string | number): ResultSet;
}

interface SdkPolicy {
  entrypoints: Record<string, number>;
  wasmInstance: { exports: Record<string, unknown> };
  mem: { buffer: ArrayBuffer };
  dataAddr: number;
  dataHeapPtr: number;
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): ResultSet;
  /**
   * Evaluates with `input` given as Rego value text (sets, non-string keys: what JSON cannot carry),
   * parsed by the module's `opa_value_parse`, through the ABI's eval-context calls.
   */
  evaluateRegoInput(inputText: string | undefined, entrypoint?: string | number): ResultSet;
}

type LoadPolicySync = (wasm: Uint8Array, memory: { initial: number; maximum: number }, builtins: object) => SdkPolicy;

// The package's ESM entry exports `loadPolicySync` only on its default export (its types disagree).
const sdk = ((opaModule as unknown as { default?: { loadPolicySync: LoadPolicySync } }).default ??
  (opaModule as unknown as { loadPolicySync: LoadPolicySync })) as { loadPolicySync: LoadPolicySync };

export const DEFAULT_MEMORY_LIMIT_PAGES = 4096;

export function loadModule(wasm: Uint8Array, options: LoadOptions = {}): LoadedModule {
  const maximum = options.memoryLimitPages ?? DEFAULT_MEMORY_LIMIT_PAGES;
  let min = 5;
  try {
    min = Math.max(5, requiredPages(wasm));
  } catch {
    // Not decodable by us (e.g. an unusual `opa build` output): let the SDK decide.
  }
  if (min > maximum) throw new EvalError("eval_memory_limit", `module needs ${min} pages, limit is ${maximum}`);
  const custom = { ...(hostBuiltins() as Record<string, (...args: unknown[]) => unknown>), ...options.builtins };
  let policy: SdkPolicy;
  try {
    policy = sdk.loadPolicySync(wasm, { initial: min, maximum }, custom);
  } catch (e) {
    throw toEvalError(e);
  }
  const exports = policy.wasmInstance.exports;
  if (options.fuel !== undefined) {
    const setFuel = exports.policyc_set_fuel;
    if (typeof setFuel === "function") (setFuel as (n: number) => void)(Math.min(options.fuel, 0x7fffffff));
  }
  return {
    entrypoints: policy.entrypoints,
    setData(data: unknown) {
      try {
        policy.setData(data);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluateRegoInput(inputText: string | undefined, entrypoint: string | number = 0) {
      try {
        return evaluateViaContext(policy, inputText, entrypoint);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluate(input: unknown, entrypoint: string | number = 0) {
      // The SDK treats any falsy input as "no input"; raw JSON bytes keep false, 0, "" and null.
      const arg = input === undefined || input ? input : jsonBytes(input);
      try {
        return policy.evaluate(arg, entrypoint);
      } catch (e) {
        throw toEvalError(e);
      }
    },
  };
}

type Fn = (...args: number[]) => number;

function evaluateViaContext(policy: SdkPolicy, inputText: string | undefined, entrypoint: string | number): ResultSet {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  let id = entrypoint;
  if (typeof id === "string") {
    if (!Object.prototype.hasOwnProperty.call(policy.entrypoints, id)) throw new EvalError("eval_internal_error", `entrypoint ${id} is not valid in this module`);
    id = policy.entrypoints[id]!;
  }
  x.opa_heap_ptr_set!(policy.dataHeapPtr);
  let inputAddr = 0;
  if (inputText !== undefined) {
    const bytes = new TextEncoder().encode(inputText);
    const buf = x.opa_malloc!(bytes.length);
    new Uint8Array(policy.mem.buffer).set(bytes, buf);
    inputAddr = x.opa_value_parse!(buf, bytes.length);
    if (!inputAddr) throw new EvalError("eval_internal_error", "input is not a valid Rego value");
  }
  const ctx = x.opa_eval_ctx_new!();
  x.opa_eval_ctx_set_input!(ctx, inputAddr);
  x.opa_eval_ctx_set_data!(ctx, policy.dataAddr);
  x.opa_eval_ctx_set_entrypoint!(ctx, id);
  x.eval!(ctx);
  const out = x.opa_json_dump!(x.opa_eval_ctx_get_result!(ctx));
  const mem = new Uint8Array(policy.mem.buffer);
  const end = mem.indexOf(0, out);
  return JSON.parse(new TextDecoder().decode(mem.subarray(out, end))) as ResultSet;
}

function jsonBytes(value: unknown): ArrayBuffer {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}

export { PAGE };
