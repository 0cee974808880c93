/**
 * A test case's mock of a Gatekeeper external data provider: the answer `external_data` gives the
 * Rego (`responses` as [key, value] pairs, `errors` as [key, error] pairs, `status_code`,
 * `system_error`). The front end and the suite reader check the shape with the same function.
 */

export interface ExternalDataMockIR {
  responses?: [unknown, unknown][];
  errors?: [unknown, unknown][];
  status_code?: number;
  system_error?: string;
}

/**
 * Checks a mock's shape (from a DSL test case or a suite file); returns a problem description, or
 * undefined when it is usable.
 */
export function externalDataMockProblem(provider: string, v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return `externalData.${provider} must be a map with responses, errors, status_code and/or system_error`;
  const m = v as Record<string, unknown>;
  for (const k of Object.keys(m)) {
    if (!["responses", "errors", "status_code", "system_error"].includes(k)) return `externalData.${provider}.${k} is not a field of an external data response (responses, errors, status_code, system_error)`;
  }
  for (const field of ["responses", "errors"] as const) {
    const list = m[field];
    if (list === undefined) continue;
    if (!Array.isArray(list) || !list.every((p) => Array.isArray(p) && p.length === 2)) {
      return `externalData.${provider}.${field} must be a list of [key, ${field === "responses" ? "value" : "error"}] pairs`;
    }
    if (field === "errors" && !list.every((p) => typeof (p as unknown[])[1] === "string")) return `externalData.${provider}.errors must pair each key with an error string`;
  }
  if (m.status_code !== undefined && !(typeof m.status_code === "number" && Number.isInteger(m.status_code))) return `externalData.${provider}.status_code must be an integer (e.g. 200)`;
  if (m.system_error !== undefined && typeof m.system_error !== "string") return `externalData.${provider}.system_error must be a string`;
  return undefined;
}
