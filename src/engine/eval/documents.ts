/**
 * Merging data documents loaded from files into one `data` tree, as OPA's loader does: objects
 * merge key by key; two files defining the same non-object value conflict.
 */

/** Merges b into a; returns the conflicting path (dotted) when both define a non-object value. */
export function mergeInto(a: Record<string, unknown>, b: Record<string, unknown>, at: string[] = []): string | undefined {
  for (const [k, v] of Object.entries(b)) {
    const cur = a[k];
    if (cur === undefined) a[k] = v;
    else if (isRecord(cur) && isRecord(v)) {
      const c = mergeInto(cur, v, [...at, k]);
      if (c) return c;
    } else return [...at, k].join(".");
  }
  return undefined;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
