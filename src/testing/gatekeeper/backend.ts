/**
 * The seam between Gatekeeper emulation and a Rego evaluator. The default back end is policyc's own
 * engine (Rego → Wasm, run by @open-policy-agent/opa-wasm), loaded lazily so that match semantics and
 * suite parsing work without it. Issue 5's `--differential` plugs a second back end in here (e.g. a
 * real `opa` on PATH) and compares the two.
 */
import { EXTERNAL_DATA, ExternalDataSession, ExternalDataUnmocked, type ExternalDataMocks } from "./external-data.js";

export interface RegoModuleSource {
  file: string;
  text: string;
  /** Where line 1, column 1 of `text` sits in the template file (mapping rows back to the YAML). */
  origin?: { line: number; col: number };
}

export interface CompileRequest {
  modules: RegoModuleSource[];
  /** `<package path with / separators>/violation`. */
  entrypoint: string;
  regoVersion: "v0" | "v1";
  /**
   * Wall-clock limit of each evaluation in ms (default `TEMPLATE_TIMEOUT_MS`): past it the
   * evaluation throws an error with code `eval_cancel_error` (see `isEvaluationTimeout`).
   */
  timeoutMs?: number;
}

/**
 * Gatekeeper's validating webhook gives up after 3 s (its `timeoutSeconds`), so a template that
 * evaluates longer never judges anything in a cluster: test, verify and check stop each template
 * evaluation there unless told otherwise (`--timeout`).
 */
export const TEMPLATE_TIMEOUT_MS = 3000;

/** Whether an evaluation error is a stop at the deadline (the engine's `eval_cancel_error`). */
export function isEvaluationTimeout(e: unknown): e is Error & { code: "eval_cancel_error"; timeoutMs: number } {
  return e instanceof Error && (e as { code?: unknown }).code === "eval_cancel_error";
}

/** A compiled template, ready to evaluate against fresh data per case. */
export interface PreparedPolicy {
  /**
   * Evaluates the entrypoint; returns the rule's value (a set arrives as an array), or undefined.
   * With `externalData` (a test case's mocks, possibly none), `external_data` answers from them and a
   * call to a provider they lack throws `ExternalDataUnmocked`; without it, every provider answers as
   * unreachable (as for objects checked outside a test).
   */
  evaluate(input: unknown, data: unknown, externalData?: ExternalDataMocks, context?: EvaluationContext): Promise<unknown>;
  /** `evaluate` without the promise, where the back end evaluates synchronously (throws what `evaluate` rejects with). */
  evaluateSync?(input: unknown, data: unknown, externalData?: ExternalDataMocks, context?: EvaluationContext): unknown;
}

/** What the API server gives an admission policy beside the request (Rego back ends ignore it). */
export interface EvaluationContext {
  /** The Namespace the object is in, when known (CEL's `namespaceObject`). */
  namespaceObject?: unknown;
  /**
   * The Constraint as the API server stores it (its `spec.parameters` with schema defaults): what
   * CEL's `params` is, in Gatekeeper's CEL driver and as a ValidatingAdmissionPolicy's `paramKind`.
   */
  constraint?: unknown;
}

export interface RegoBackend {
  readonly name: string;
  prepare(req: CompileRequest): Promise<PreparedPolicy>;
}

/** opa-wasm answers `[{ result }]` (empty when undefined); other engines may answer the value itself. */
export function unwrapResult(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    if (raw.length === 0) return undefined;
    const first = raw[0] as unknown;
    if (typeof first === "object" && first !== null && !Array.isArray(first) && "result" in first && Object.keys(first).length === 1) {
      return (first as { result: unknown }).result;
    }
  }
  return raw;
}

type EngineModule = typeof import("../../engine/index.js");
let enginePromise: Promise<EngineModule> | undefined;

/** Loaded on first use: commands that never evaluate Rego do not pay for the engine. */
export function loadEngine(): Promise<EngineModule> {
  enginePromise ??= import("../../engine/index.js");
  return enginePromise;
}

/** policyc's engine: compile to Wasm once per template, instantiate once, reset data per case. */
export const wasmBackend: RegoBackend = engineBackend("policyc-wasm", "policyc");

/** The same evaluation path with the module built by a real `opa build` (must be on PATH). */
export const opaBuildBackend: RegoBackend = engineBackend("opa-build", "opa");

function engineBackend(name: string, engineKind: "policyc" | "opa"): RegoBackend {
  return {
    name,
    async prepare(req) {
      const engine = await loadEngine();
      const wasm = await engine.compile({
        modules: req.modules,
        entrypoints: [req.entrypoint],
        regoVersion: req.regoVersion,
        engine: engineKind,
        // Gatekeeper's own built-in; a real `opa build` does not know it.
        ...(engineKind === "policyc" ? { extraBuiltins: [EXTERNAL_DATA] } : {}),
      });
      const external = new ExternalDataSession();
      const mod = await engine.loadModule(wasm, { builtins: external.builtins(), timeoutMs: req.timeoutMs ?? TEMPLATE_TIMEOUT_MS });
      // One instance per template; evaluation is synchronous, so cases cannot interleave their data
      // or their external data mocks. The same data object twice in a row (one case's inventory) is loaded once.
      let loaded: unknown;
      return {
        async evaluate(input, data, externalData) {
          if (data !== loaded) mod.setData(data);
          loaded = data;
          external.begin(externalData);
          const value = unwrapResult(mod.evaluate(input, req.entrypoint));
          if (external.unmocked.length > 0) throw new ExternalDataUnmocked(external.unmocked);
          return value;
        },
      };
    },
  };
}
