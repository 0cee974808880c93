/**
 * The in-memory shape of a decoded Wasm module. Only what the linker edits is structured; function
 * bodies, constant expressions and element segments stay raw bytes, so decoding and re-encoding an
 * untouched module reproduces it byte for byte.
 */

export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f } as const;
export type ValType = number;

export const ExternKind = { func: 0, table: 1, memory: 2, global: 3 } as const;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  /** The raw flags byte (bit 0: has maximum; bit 1: shared; bit 2: memory64). */
  flags: number;
  min: number;
  max?: number;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ImportDesc =
  | { kind: 0; type: number }
  | { kind: 1; elemType: ValType; limits: Limits }
  | { kind: 2; limits: Limits }
  | { kind: 3; global: GlobalType };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export interface Table {
  elemType: ValType;
  limits: Limits;
}

export interface Global {
  type: GlobalType;
  /** The constant initialiser expression including its final `end` (0x0b). */
  init: Uint8Array;
}

export interface Export {
  name: string;
  kind: number;
  index: number;
}

export interface DataSegment {
  /** 0 active memory 0, 1 passive, 2 active with explicit memory index. */
  flags: number;
  memory?: number;
  /** The offset expression of active segments, including its `end`. */
  offset?: Uint8Array;
  bytes: Uint8Array;
}

export interface CustomSection {
  name: string;
  payload: Uint8Array;
  /** Id of the last standard section before it (0 = before all), so it is re-emitted in place. */
  after: number;
  /** True for the placeholder that marks where the decoded `name` section goes. */
  isNames?: boolean;
}

export interface NameSection {
  /** Function names by function index (subsection 1). */
  functions: Map<number, string>;
  /** Other subsections, kept raw by id. */
  others: { id: number; payload: Uint8Array }[];
}

export interface WasmModule {
  types: FuncType[];
  imports: Import[];
  /** Type index of each defined (non-imported) function. */
  functions: number[];
  tables: Table[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  start?: number;
  /** Element segments, raw (encoded exactly as in the element section). */
  elements: Uint8Array[];
  /** Present iff the module had a data count section. */
  dataCount?: number;
  /** Function bodies (locals + expression), raw, one per defined function. */
  codes: Uint8Array[];
  data: DataSegment[];
  customs: CustomSection[];
  names?: NameSection;
}

export function importedFuncCount(m: WasmModule): number {
  return m.imports.filter((i) => i.desc.kind === 0).length;
}

export function importedGlobalCount(m: WasmModule): number {
  return m.imports.filter((i) => i.desc.kind === 3).length;
}

/** The type of function `index` in the function index space (imports first). */
export function funcTypeOf(m: WasmModule, index: number): FuncType {
  const imported = m.imports.filter((i) => i.desc.kind === 0);
  if (index < imported.length) return m.types[(imported[index]!.desc as { type: number }).type]!;
  const t = m.functions[index - imported.length];
  if (t === undefined) throw new Error(`no function ${index}`);
  return m.types[t]!;
}

export function sameType(a: FuncType, b: FuncType): boolean {
  return (
    a.params.length === b.params.length &&
    a.results.length === b.results.length &&
    a.params.every((p, i) => p === b.params[i]) &&
    a.results.every((r, i) => r === b.results[i])
  );
}

/** Returns the index of `t` in the type section, appending it if absent. */
export function internType(m: WasmModule, t: FuncType): number {
  const i = m.types.findIndex((u) => sameType(u, t));
  if (i >= 0) return i;
  m.types.push({ params: [...t.params], results: [...t.results] });
  return m.types.length - 1;
}
