/**
 * Loads a policy module through `@open-policy-agent/opa-wasm` (the same path for modules built by
 * policyc and by `opa build`), with our host built-ins, a memory ceiling and an evaluation budget.
 */
import * as opaModule from "@open-policy-agent/opa-wasm";
import { hostBuiltins } from "../builtins/index.js";
import { requiredPages } from "../wasm/link.js";
import { EvalError, toEvalError } from "./errors.js";
import { FUEL_SLICE, Meter, useBudget, type FuelGlobal } from "../builtins/budget.js";
import { coverageTable, type CoverageTable } from "./coverage.js";

const PAGE = 65536;

export interface LoadOptions {
  /** Maximum Wasm memory in 64 KiB pages (default 4096 = 256 MiB). */
  memoryLimitPages?: number;
  /** Evaluation budget: function entries plus loop iterations per evaluation (policyc modules only; default 1e9). */
  fuel?: number;
  /**
   * Wall-clock limit of each evaluation in milliseconds (default: none). Past it the evaluation
   * stops with `EvalError` code `eval_cancel_error` (policyc modules: within ~1 ms of generated code
   * or at the next built-in charge; modules from `opa build`: at the next built-in that charges).
   */
  timeoutMs?: number;
  /** Extra host built-ins by their full name, e.g. `policyc.sprintf` (tests). */
  builtins?: Record<string, (...args: unknown[]) => unknown>;
  /**
   * The module already compiled from these bytes (e.g. in another thread: a WebAssembly.Module is
   * shared with worker threads, its machine code included), so loading only instantiates it.
   */
  compiled?: WebAssembly.Module;
}

export type ResultSet = Record<string, unknown>[];

/**
 * A document given as JSON text, loaded by the module's own parser: numbers keep every digit and
 * nothing is built or re-serialised on the JavaScript side (large inputs stay cheap).
 */
export class RawJson {
  constructor(readonly text: string) {}
  bytes(): Uint8Array {
    return new TextEncoder().encode(this.text);
  }
}

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
  /**
   * Like `evaluate`, but returns the result set as the module's JSON text, so numbers keep every
   * digit (JSON.parse would round integers beyond 2^53).
   */
  evaluateJsonText(input: unknown, entrypoint?: string | number): string;
  /**
   * Evaluates with input `{[shared.key]: …, [own.key]: …}`, each part given as JSON bytes. While
   * consecutive calls pass the same `shared.json` array, it is parsed once and kept on the heap
   * below the evaluations' own allocations: one object reviewed by many templates of a module is
   * parsed once, only each template's small parameters per evaluation.
   */
  evaluateComposed(shared: InputPart, own: InputPart, entrypoint?: string | number): ResultSet;
  /** The rows reached so far, for modules compiled with `coverage: true` (else undefined). */
  readonly coverage?: CoverageTable;
  /**
   * The wall-clock limit of each following evaluation in ms (`LoadOptions.timeoutMs`; undefined:
   * none). Settable between evaluations. Modules without policyc's budget tick ignore it.
   */
  timeoutMs: number | undefined;
}

interface SdkPolicy {
  entrypoints: Record<string, number>;
  wasmInstance: { exports: Record<string, unknown> };
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  dataAddr: number;
  dataHeapPtr: number;
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint?: string | number): ResultSet;
  /**
   * Evaluates with `input` given as Rego value text (sets, non-string keys: what JSON cannot carry),
   * parsed by the module's `opa_value_parse`, through the ABI's eval-context calls.
   */
  evaluateRegoInput(inputText: string | undefined, entrypoint?: string | number): ResultSet;
  /**
   * Like `evaluate`, but returns the result set as the module's JSON text, so numbers keep every
   * digit (JSON.parse would round integers beyond 2^53).
   */
  evaluateJsonText(input: unknown, entrypoint?: string | number): string;
}

/** A named part of a composed input (`LoadedModule.evaluateComposed`). */
export interface InputPart {
  key: string;
  json: Uint8Array;
}

type LoadPolicySync = (wasm: Uint8Array | WebAssembly.Module, memory: { initial: number; maximum: number }, builtins: object) => SdkPolicy;

// The package's ESM entry exports `loadPolicySync` only on its default export (its types disagree).
const sdk = ((opaModule as unknown as { default?: { loadPolicySync: LoadPolicySync } }).default ??
  (opaModule as unknown as { loadPolicySync: LoadPolicySync })) as { loadPolicySync: LoadPolicySync };

export const DEFAULT_MEMORY_LIMIT_PAGES = 4096;
/** Function entries plus loop iterations one evaluation may spend (the runtime's own default). */
export const DEFAULT_FUEL = 1_000_000_000;

export function loadModule(wasm: Uint8Array, options: LoadOptions = {}): LoadedModule {
  const maximum = options.memoryLimitPages ?? DEFAULT_MEMORY_LIMIT_PAGES;
  let min = 5;
  try {
    min = Math.max(5, requiredPages(wasm));
  } catch {
    // Not decodable by us (e.g. an unusual `opa build` output): let the SDK decide.
  }
  if (min > maximum) throw new EvalError("eval_memory_limit", `module needs ${min} pages, limit is ${maximum}`);
  // The tick is bound to this module's meter below, once the instance (and its fuel global) exists.
  let tickMeter: Meter | undefined;
  const custom = {
    ...(hostBuiltins() as Record<string, (...args: unknown[]) => unknown>),
    ...options.builtins,
    "policyc.tick": () => {
      tickMeter?.refill(0);
    },
  };
  let policy: SdkPolicy;
  try {
    policy = sdk.loadPolicySync(options.compiled ?? wasm, { initial: min, maximum }, custom);
  } catch (e) {
    throw toEvalError(e);
  }
  const exports = policy.wasmInstance.exports;
  const fuelGlobal = typeof exports.policyc_fuel === "object" && exports.policyc_fuel !== null ? (exports.policyc_fuel as FuelGlobal) : undefined;
  const setFuel = exports.policyc_set_fuel as ((n: number) => void) | undefined;
  const setTick = exports.policyc_set_tick as ((on: number) => void) | undefined;
  // policyc modules meter their budget in slices through the host tick (budget.ts), which also
  // enforces the deadline; older ones without the tick get the whole budget in the global.
  let meter: Meter | undefined;
  if (fuelGlobal && typeof setFuel === "function" && typeof setTick === "function") {
    meter = new Meter(fuelGlobal, options.fuel ?? DEFAULT_FUEL, options.timeoutMs);
    tickMeter = meter;
    setTick(1);
    setFuel(Math.min(FUEL_SLICE, meter.limit));
  } else if (options.fuel !== undefined && typeof setFuel === "function") setFuel(Math.min(options.fuel, 0x7fffffff));
  // Host built-ins charge this module's fuel and respect its memory limit while it evaluates.
  const budget = () => useBudget(meter ?? fuelGlobal, maximum * PAGE);
  const coverage = coverageTable(wasm, exports, () => policy.mem.buffer);
  // evaluateComposed's parsed shared part; every other path resets the heap below it.
  let composed: Composed | undefined;
  // Values evaluateComposed keeps across evaluations, above the data document.
  let kept: KeptValues | undefined;
  /**
   * Allocates a value that outlives evaluations: right above the data document and the values kept
   * before it (the SDK's `dataHeapPtr` moves up with them, so its own calls keep them too).
   */
  function keep(p: KeptValues, alloc: () => number, remember: (addr: number) => void): number {
    const x = policy.wasmInstance.exports as Record<string, Fn>;
    composed = undefined;
    x.opa_heap_ptr_set!(p.base);
    const addr = alloc();
    p.base = x.opa_heap_ptr_get!();
    policy.dataHeapPtr = p.base;
    remember(addr);
    return addr;
  }
  return {
    entrypoints: policy.entrypoints,
    ...(coverage ? { coverage } : {}),
    get timeoutMs() {
      return meter?.timeoutMs;
    },
    set timeoutMs(ms: number | undefined) {
      if (meter) meter.timeoutMs = ms;
    },
    setData(data: unknown) {
      composed = undefined;
      kept = undefined;
      try {
        policy.setData(data instanceof RawJson ? bufferOf(data.bytes()) : data);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluateRegoInput(inputText: string | undefined, entrypoint: string | number = 0) {
      composed = undefined;
      try {
        budget();
        return evaluateViaContext(policy, inputText, entrypoint);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluateJsonText(input: unknown, entrypoint: string | number = 0) {
      composed = undefined;
      try {
        budget();
        return evaluateToText(policy, input, entrypoint);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluate(input: unknown, entrypoint: string | number = 0) {
      // The SDK treats any falsy input as "no input"; raw JSON bytes keep false, 0, "" and null.
      const arg = input instanceof RawJson ? bufferOf(input.bytes()) : input === undefined || input ? input : jsonBytes(input);
      composed = undefined;
      try {
        budget();
        return policy.evaluate(arg, entrypoint);
      } catch (e) {
        throw toEvalError(e);
      }
    },
    evaluateComposed(shared: InputPart, own: InputPart, entrypoint: string | number = 0) {
      try {
        budget();
        const x = policy.wasmInstance.exports as Record<string, Fn>;
        const id = entrypointId(policy, entrypoint);
        const p = (kept ??= keptValues(policy));
        const sharedKey = p.strings.get(shared.key) ?? keep(p, () => stringValue(policy, shared.key), (a) => p.strings.set(shared.key, a));
        const ownKey = p.strings.get(own.key) ?? keep(p, () => stringValue(policy, own.key), (a) => p.strings.set(own.key, a));
        // A part given again and again (a constraint's parameters) is parsed once and kept.
        let ownValue = p.parts.get(own.json);
        if (ownValue === undefined && p.parts.size < KEPT_PARTS) ownValue = keep(p, () => parseJson(policy, own.json), (a) => p.parts.set(own.json, a));
        if (!composed || composed.json !== shared.json) {
          composed = undefined;
          x.opa_heap_ptr_set!(p.base);
          const value = parseJson(policy, shared.json);
          composed = { json: shared.json, value, mark: x.opa_heap_ptr_get!() };
        } else x.opa_heap_ptr_set!(composed.mark);
        const input = x.opa_object!();
        x.opa_object_insert!(input, sharedKey, composed.value);
        x.opa_object_insert!(input, ownKey, ownValue ?? parseJson(policy, own.json));
        const ctx = x.opa_eval_ctx_new!();
        x.opa_eval_ctx_set_input!(ctx, input);
        x.opa_eval_ctx_set_data!(ctx, policy.dataAddr);
        x.opa_eval_ctx_set_entrypoint!(ctx, id);
        x.eval!(ctx);
        return readResultSet(policy, p, x.opa_eval_ctx_get_result!(ctx));
      } catch (e) {
        // An evaluation stopped midway may leave anything on the heap: parse the shared part again.
        composed = undefined;
        throw toEvalError(e);
      }
    },
  };

}

/** How many distinct `own` parts a module keeps parsed (beyond it, they are parsed per evaluation). */
const KEPT_PARTS = 4096;

/** Values kept on a module's heap across evaluations (forgotten when its data is set again). */
interface KeptValues {
  /** The heap pointer above the data document and every kept value: each evaluation starts here. */
  base: number;
  strings: Map<string, number>;
  parts: Map<Uint8Array, number>;
  /** The string `result`, for reading result sets in place; 0 when the module lacks the exports for it. */
  resultKey: number;
}

/** Starts keeping values right above the data document. */
function keptValues(policy: SdkPolicy): KeptValues {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  const inPlace = ["opa_value_type", "opa_value_length", "opa_value_iter", "opa_value_get"].every((f) => typeof x[f] === "function");
  x.opa_heap_ptr_set!(policy.dataHeapPtr);
  const resultKey = inPlace ? stringValue(policy, "result") : 0;
  const base = x.opa_heap_ptr_get!();
  policy.dataHeapPtr = base;
  return { base, strings: new Map(), parts: new Map(), resultKey };
}

const OPA_ARRAY = 5;
const OPA_OBJECT = 6;
const OPA_SET = 7;

/**
 * The result set of an evaluation. Most evaluations of a check find nothing: a result set that is
 * one `{"result": <empty set or array>}` (a partial set rule without elements) is recognised in
 * place, without dumping it to JSON and parsing that; anything else goes through JSON.
 */
function readResultSet(policy: SdkPolicy, p: KeptValues, rs: number): ResultSet {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  if (p.resultKey && x.opa_value_type!(rs) === OPA_SET) {
    const n = x.opa_value_length!(rs);
    if (n === 0) return [];
    const row = n === 1 ? x.opa_value_iter!(rs, 0) : 0;
    if (row && x.opa_value_type!(row) === OPA_OBJECT && x.opa_value_length!(row) === 1) {
      const value = x.opa_value_get!(row, p.resultKey);
      const type = value ? x.opa_value_type!(value) : 0;
      if ((type === OPA_SET || type === OPA_ARRAY) && x.opa_value_length!(value) === 0) return [{ result: [] }];
    }
  }
  return JSON.parse(readCString(policy, x.opa_json_dump!(rs))) as ResultSet;
}

interface Composed {
  json: Uint8Array;
  value: number;
  /** The heap pointer after the shared part: each evaluation starts here. */
  mark: number;
}

const utf8 = new TextEncoder();

/** Copies JSON bytes into the module's heap and parses them there (the module's own parser: exact numbers). */
function parseJson(policy: SdkPolicy, json: Uint8Array): number {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  const buf = x.opa_malloc!(json.length);
  new Uint8Array(policy.mem.buffer).set(json, buf);
  const addr = x.opa_json_parse!(buf, json.length);
  if (!addr) throw new EvalError("eval_internal_error", "input is not valid JSON");
  return addr;
}

/** A string value on the module's heap. */
function stringValue(policy: SdkPolicy, s: string): number {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  const bytes = utf8.encode(s);
  const buf = x.opa_malloc!(bytes.length);
  new Uint8Array(policy.mem.buffer).set(bytes, buf);
  return x.opa_string!(buf, bytes.length);
}

type Fn = (...args: number[]) => number;

function entrypointId(policy: SdkPolicy, entrypoint: string | number): number {
  if (typeof entrypoint === "number") return entrypoint;
  if (!Object.prototype.hasOwnProperty.call(policy.entrypoints, entrypoint)) {
    throw new EvalError("eval_internal_error", `entrypoint ${entrypoint} is not valid in this module`);
  }
  return policy.entrypoints[entrypoint]!;
}

const utf8Decoder = new TextDecoder();

function readCString(policy: SdkPolicy, addr: number): string {
  const mem = new Uint8Array(policy.mem.buffer);
  const end = mem.indexOf(0, addr);
  return utf8Decoder.decode(mem.subarray(addr, end < 0 ? mem.length : end));
}

/** The ABI 1.2 path the SDK takes (input bytes at the data heap pointer, `opa_eval`), as text. */
function evaluateToText(policy: SdkPolicy, input: unknown, entrypoint: string | number): string {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  const id = entrypointId(policy, entrypoint);
  let inputAddr = 0;
  let inputLen = 0;
  if (input !== undefined) {
    const bytes = input instanceof RawJson ? input.bytes() : new TextEncoder().encode(JSON.stringify(input));
    inputAddr = policy.dataHeapPtr;
    inputLen = bytes.length;
    const missing = inputAddr + inputLen - policy.mem.buffer.byteLength;
    if (missing > 0) policy.mem.grow(Math.ceil(missing / PAGE));
    new Uint8Array(policy.mem.buffer).set(bytes, inputAddr);
  }
  const out = x.opa_eval!(0, id, policy.dataAddr, inputAddr, inputLen, policy.dataHeapPtr + inputLen, 0);
  return readCString(policy, out);
}

function evaluateViaContext(policy: SdkPolicy, inputText: string | undefined, entrypoint: string | number): ResultSet {
  const x = policy.wasmInstance.exports as Record<string, Fn>;
  const id = entrypointId(policy, entrypoint);
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
  return JSON.parse(readCString(policy, x.opa_json_dump!(x.opa_eval_ctx_get_result!(ctx)))) as ResultSet;
}

function jsonBytes(value: unknown): ArrayBuffer {
  return bufferOf(new TextEncoder().encode(JSON.stringify(value)));
}

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
}

export { PAGE };
