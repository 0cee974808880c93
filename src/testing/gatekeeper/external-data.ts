/**
 * Gatekeeper's `external_data({"provider": p, "keys": [...]})` built-in. Gatekeeper sends the keys to
 * the provider and answers the Rego with `{"responses": [[key, value]...], "errors": [[key, error]...],
 * "status_code": n, "system_error": s}`. Offline there is no provider to call: a test case gives the
 * provider's answer as a mock of that same shape (`externalData: {<provider>: {...}}`), and the call
 * answers with the mocked entries for the keys it asks for. A call to a provider the case does not
 * mock is recorded, and the test runner reports it as a diagnostic rather than a result; other
 * callers (cluster checks) get the answer Gatekeeper gives when a provider cannot be reached.
 */

import type { ExternalDataMockIR } from "../../ir/external-data.js";

export { externalDataMockProblem } from "../../ir/external-data.js";

/** The built-in as the compiler declares it. */
export const EXTERNAL_DATA = { name: "external_data", arity: 1 };

/** The answer `external_data` gives the Rego (Gatekeeper's external data response). */
export interface ExternalDataResponse {
  responses: [unknown, unknown][];
  errors: [unknown, unknown][];
  status_code: number;
  system_error: string;
}

/** What a test case says a provider answers; omitted fields default to an empty, successful answer. */
export type ExternalDataMock = ExternalDataMockIR;

/** Mocks by provider name. */
export type ExternalDataMocks = Record<string, ExternalDataMock>;

/** A provider was called that the case gives no mock for. */
export class ExternalDataUnmocked extends Error {
  constructor(readonly providers: string[]) {
    super(`external_data was called for provider${providers.length > 1 ? "s" : ""} ${providers.map((p) => JSON.stringify(p)).join(", ")}, which the case does not mock`);
  }
}

function request(arg: unknown): { provider: string; keys: unknown[] } {
  const r = typeof arg === "object" && arg !== null ? (arg as { provider?: unknown; keys?: unknown }) : {};
  return { provider: typeof r.provider === "string" ? r.provider : String(r.provider ?? ""), keys: Array.isArray(r.keys) ? r.keys : [] };
}

export function unreachable(provider: string): ExternalDataResponse {
  return { responses: [], errors: [], status_code: 0, system_error: `external data provider ${JSON.stringify(provider)} is not reachable offline` };
}

/**
 * The mocked answer to one call: the entries of `responses` and `errors` whose key the call asks for,
 * in the order of the call's keys (a real provider answers only what it is asked), and the mock's
 * status code and system error (default 200 and "").
 */
export function mockedAnswer(mock: ExternalDataMock, keys: readonly unknown[]): ExternalDataResponse {
  const id = (k: unknown) => JSON.stringify(k);
  const pick = (pairs: [unknown, unknown][] | undefined): [unknown, unknown][] => {
    const byKey = new Map<string, [unknown, unknown]>();
    for (const p of pairs ?? []) if (!byKey.has(id(p[0]))) byKey.set(id(p[0]), p);
    const out: [unknown, unknown][] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      const hit = byKey.get(id(k));
      if (hit && !seen.has(id(k))) out.push(hit);
      seen.add(id(k));
    }
    return out;
  };
  return { responses: pick(mock.responses), errors: pick(mock.errors), status_code: mock.status_code ?? 200, system_error: mock.system_error ?? "" };
}

/**
 * The host side of `external_data` for one compiled template: set `mocks` before an evaluation
 * (undefined: answer as an unreachable provider), read `unmocked` after it.
 */
export class ExternalDataSession {
  mocks: ExternalDataMocks | undefined;
  unmocked: string[] = [];

  begin(mocks: ExternalDataMocks | undefined): void {
    this.mocks = mocks;
    this.unmocked = [];
  }

  call(arg: unknown): ExternalDataResponse {
    const { provider, keys } = request(arg);
    if (this.mocks === undefined) return unreachable(provider);
    const mock = Object.prototype.hasOwnProperty.call(this.mocks, provider) ? this.mocks[provider] : undefined;
    if (!mock) {
      if (!this.unmocked.includes(provider)) this.unmocked.push(provider);
      return unreachable(provider);
    }
    return mockedAnswer(mock, keys);
  }

  /** Host implementations for `loadModule(..., { builtins })`. */
  builtins(): Record<string, (arg: unknown) => unknown> {
    return { "policyc.external_data": (arg) => this.call(arg) };
  }
}
