/**
 * The planner's static tables: interned string constants, declared built-ins and source files,
 * in first-use order so that plans are deterministic for the same input.
 */
import type { BuiltinDecl, Policy } from "./ir.js";
import { BUILTINS } from "../compiler/builtins-table.js";

export class Statics {
  private strings = new Map<string, number>();
  private stringList: { value: string }[] = [];
  private builtins = new Map<string, BuiltinDecl>();
  private files = new Map<string, number>();
  private fileList: { value: string }[] = [];

  string(s: string): number {
    let i = this.strings.get(s);
    if (i === undefined) {
      i = this.stringList.length;
      this.stringList.push({ value: s });
      this.strings.set(s, i);
    }
    return i;
  }

  file(f: string): number {
    let i = this.files.get(f);
    if (i === undefined) {
      i = this.fileList.length;
      this.fileList.push({ value: f });
      this.files.set(f, i);
    }
    return i;
  }

  builtin(name: string, nargs: number): void {
    if (this.builtins.has(name)) return;
    const info = BUILTINS.get(name);
    const decl: BuiltinDecl = { name, arity: info && info.arity >= 0 ? info.arity : nargs };
    if (info?.void) decl.void = true;
    this.builtins.set(name, decl);
  }

  toStatic(): Policy["static"] {
    return { strings: this.stringList, builtin_funcs: [...this.builtins.values()], files: this.fileList };
  }
}
