/**
 * What every generated function needs from the module being built: runtime function indices,
 * planned-function and host-built-in tables, interned constants and error messages.
 */
import type { BuiltinDecl, IrLocation, Policy } from "../../plan/ir.js";
import type { NativeBuiltin } from "../assets.js";
import type { DeclaredFunc, Linker } from "../link.js";
import { diag, DiagnosticError, type MessageDef } from "../../../diagnostics/index.js";
import { WasmDiagnostics } from "../diagnostics.js";

const OPA_STRING = 4;

export interface PlannedFunc {
  /** What callers call (the memo wrapper for input/data-only functions). */
  entry: DeclaredFunc;
  arity: number;
  path: string[];
}

export class GenContext {
  private readonly rtCache = new Map<string, DeclaredFunc>();
  /** Host built-in names (with the `policyc.` prefix) in id order. */
  readonly hostNames: string[] = [];
  readonly funcs = new Map<string, PlannedFunc>();
  readonly builtinDecls: Map<string, BuiltinDecl>;
  /** Index of the `policyc$const(i)` helper returning the interned constant i. */
  constFunc = -1;
  epochGlobal = -1;
  fuelGlobal = -1;
  /** Coverage mode: the byte of each (file, row) mark, from `coverageBase` on (see coverage.ts). */
  readonly coverageRows = new Map<string, number>();
  coverageBase = -1;

  constructor(
    readonly linker: Linker,
    readonly policy: Policy,
    readonly natives: Map<string, NativeBuiltin>,
  ) {
    this.builtinDecls = new Map(policy.static.builtin_funcs.map((b) => [b.name, b]));
  }

  rt(name: string): DeclaredFunc {
    let f = this.rtCache.get(name);
    if (!f) {
      f = name.startsWith("opa_builtin") || name === "opa_abort" ? this.linker.importedFunc(name) : this.linker.func(name);
      this.rtCache.set(name, f);
    }
    return f;
  }

  /** Returns true if runtime function `name` returns a value. */
  returns(name: string): boolean {
    return this.rt(name).type.results.length > 0;
  }

  hostId(regoName: string): number {
    const name = regoName.startsWith("policyc.") ? regoName : `policyc.${regoName}`;
    let id = this.hostNames.indexOf(name);
    if (id < 0) {
      this.hostNames.push(name);
      id = this.hostNames.length - 1;
    }
    return id;
  }

  private readonly stringValues = new Map<number, number>();

  /**
   * Address of string constant `index` as a value (`opa_string_t`: type, length, bytes, hash) in
   * static data: strings are immutable and the heap is a bump allocator whose `opa_free` does
   * nothing, so a constant outlives every evaluation's heap reset and keeps its cached hash.
   */
  stringValue(index: number): number {
    let addr = this.stringValues.get(index);
    if (addr === undefined) {
      const [bytes, len] = this.linker.string(this.string(index));
      const v = new DataView(new ArrayBuffer(16));
      v.setUint8(0, OPA_STRING);
      v.setUint32(4, len, true);
      v.setUint32(8, bytes, true);
      addr = this.linker.addData(new Uint8Array(v.buffer), 8);
      this.stringValues.set(index, addr);
    }
    return addr;
  }

  /** Constant index of a boolean (after the policy's strings). */
  boolConst(b: boolean): number {
    return this.policy.static.strings.length + (b ? 1 : 0);
  }

  string(index: number): string {
    const s = this.policy.static.strings[index];
    if (!s) throw this.error(WasmDiagnostics.badOperand, [`string_index ${index}`]);
    return s.value;
  }

  /** Address of the coverage byte of `loc`'s row (collected by `collectCoverageRows` first). */
  coverageAddress(loc: IrLocation): number {
    const i = this.coverageRows.get(`${loc.file}:${loc.row}`);
    if (i === undefined || this.coverageBase < 0) throw this.error(WasmDiagnostics.unknownStmt, ["CoverStmt outside the coverage table"]);
    return this.coverageBase + i;
  }

  /** Address of a NUL-terminated error message with OPA's `file:row:col: ` prefix. */
  message(text: string, loc?: IrLocation): number {
    let prefix = "";
    if (loc && loc.row > 0) {
      const file = this.policy.static.files[loc.file]?.value ?? "";
      prefix = `${file}:${loc.row}:${loc.col}: `;
    }
    return this.linker.string(prefix + text, true)[0];
  }

  error(def: MessageDef, args: unknown[]): DiagnosticError {
    return new DiagnosticError([diag(def, args)]);
  }
}
