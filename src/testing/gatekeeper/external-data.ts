/**
 * Gatekeeper's `external_data({"provider": p, "keys": [...]})` built-in. Offline there is no
 * provider to call, so every call answers as Gatekeeper does when a provider cannot be reached: no
 * responses and a `system_error` naming the provider. Templates that mock providers in tests
 * (Deckhouse's image-signature template reads its mock from the inventory) never reach it.
 */

/** The built-in as the compiler declares it. */
export const EXTERNAL_DATA = { name: "external_data", arity: 1 };

export function externalData(request: unknown): unknown {
  const provider = typeof request === "object" && request !== null ? String((request as { provider?: unknown }).provider ?? "") : "";
  return {
    responses: [],
    errors: [],
    status_code: 0,
    system_error: `external data provider ${JSON.stringify(provider)} is not reachable offline`,
  };
}

/** Host implementations for `loadModule(..., { builtins })`. */
export const externalDataBuiltins = { "policyc.external_data": externalData };
