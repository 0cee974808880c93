/**
 * Helpers for hand-written IR policies in tests: interned strings, operands, and a runner that
 * generates the module and evaluates it through the SDK.
 */
import type { Block, Func, Operand, Plan, Policy, Stmt } from "../../../src/engine/plan/ir.js";
import { generateModule } from "../../../src/engine/wasm/codegen/module.js";
import { loadModule, type LoadOptions } from "../../../src/engine/runner/load.js";

export class IrBuilder {
  readonly strings: { value: string }[] = [];
  readonly plans: Plan[] = [];
  readonly funcs: Func[] = [];
  readonly builtins: { name: string; arity: number }[] = [];

  s(value: string): Operand {
    let i = this.strings.findIndex((x) => x.value === value);
    if (i < 0) {
      this.strings.push({ value });
      i = this.strings.length - 1;
    }
    return { type: "string_index", value: i };
  }

  idx(value: string): number {
    return (this.s(value) as { value: number }).value;
  }

  /** A plan whose single block computes `stmts` and then adds {"result": local r}. */
  plan(name: string, r: number, stmts: Stmt[], extraBlocks: Block[] = []): void {
    this.plans.push({
      name,
      blocks: [
        ...extraBlocks,
        {
          stmts: [
            ...stmts,
            { type: "MakeObjectStmt", target: 99 },
            { type: "ObjectInsertStmt", key: this.s("result"), value: L(r), object: 99 },
            { type: "ResultSetAddStmt", value: 99 },
          ],
        },
      ],
    });
  }

  policy(): Policy {
    return {
      static: { strings: this.strings, builtin_funcs: this.builtins, files: [{ value: "test.rego" }] },
      plans: { plans: this.plans },
      funcs: { funcs: this.funcs },
    };
  }

  load(options: LoadOptions = {}) {
    return loadModule(generateModule(this.policy()), options);
  }
}

export const L = (value: number): Operand => ({ type: "local", value });
export const B = (value: boolean): Operand => ({ type: "bool", value });
