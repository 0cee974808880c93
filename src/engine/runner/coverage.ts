/**
 * Reads back the coverage table of a module compiled with `coverage: true`
 * (src/engine/wasm/codegen/coverage.ts): which source rows evaluation reached so far. The bytes
 * live in the module's static data, so they accumulate over every evaluation of the instance.
 */
import { COVERAGE_GLOBAL, COVERAGE_SECTION } from "../wasm/codegen/coverage.js";

export interface CoveredRow {
  file: string;
  row: number;
}

export interface CoverageTable {
  /** Every instrumented row, in table order. */
  rows: CoveredRow[];
  /** The rows whose byte is set. */
  hits(): CoveredRow[];
}

/** The table of an instantiated module, or undefined when it was compiled without coverage. */
export function coverageTable(
  wasm: Uint8Array,
  exports: Record<string, unknown>,
  memory: () => ArrayBuffer,
): CoverageTable | undefined {
  const section = customSection(wasm, COVERAGE_SECTION);
  const global = exports[COVERAGE_GLOBAL] as { value: unknown } | undefined;
  if (!section || !global) return undefined;
  const parsed = JSON.parse(new TextDecoder().decode(section)) as { rows: [string, number][] };
  const rows = parsed.rows.map(([file, row]) => ({ file, row }));
  const base = global.value as number;
  return {
    rows,
    hits() {
      const bytes = new Uint8Array(memory(), base, rows.length);
      return rows.filter((_, i) => bytes[i] !== 0);
    },
  };
}

/** The payload of the first custom section called `name` (a walk over section headers only). */
function customSection(wasm: Uint8Array, name: string): Uint8Array | undefined {
  let p = 8;
  const leb = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = wasm[p++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  };
  while (p < wasm.length) {
    const id = wasm[p++]!;
    const size = leb();
    const end = p + size;
    if (id === 0) {
      const len = leb();
      const n = new TextDecoder().decode(wasm.subarray(p, p + len));
      if (n === name) return wasm.subarray(p + len, end);
    }
    p = end;
  }
  return undefined;
}
