/**
 * Test helper: replaces the body of an exported function in runtime.wasm, as the Wasm back end does
 * with eval/builtins/entrypoints. Proves that the runtime reaches those stubs through their function
 * index (nothing inlined them) and lets tests install a builtins() table for host fallbacks. Built on
 * the back end's own binary reader/writer (src/engine/wasm/binary).
 */
import { decodeModule } from "../../../src/engine/wasm/binary/decode.js";
import { encodeModule } from "../../../src/engine/wasm/binary/encode.js";
import { ByteWriter } from "../../../src/engine/wasm/binary/leb.js";
import { importedFuncCount } from "../../../src/engine/wasm/binary/module.js";

export const leb = (n: number): number[] => [...new ByteWriter().u32(n).finish()];
export const sleb = (n: number): number[] => [...new ByteWriter().s32(n).finish()];

/** Function index of each exported function, and the number of imported functions. */
export function functionIndex(buf: Uint8Array): { exports: Record<string, number>; imported: number } {
  const m = decodeModule(buf);
  const exports: Record<string, number> = {};
  for (const e of m.exports) if (e.kind === 0) exports[e.name] = e.index;
  return { exports, imported: importedFuncCount(m) };
}

/** Returns a copy of the module with the body (locals + code, without the size) of `name` replaced. */
export function replaceBody(buf: Uint8Array, name: string, body: number[]): Uint8Array<ArrayBuffer> {
  const m = decodeModule(buf);
  const exp = m.exports.find((e) => e.kind === 0 && e.name === name);
  if (!exp) throw new Error(`no exported function ${name}`);
  m.codes[exp.index - importedFuncCount(m)] = Uint8Array.from(body);
  return new Uint8Array(encodeModule(m));
}
