/**
 * Coverage instrumentation of a module (compile option `coverage`): every distinct source row that
 * a `CoverStmt` marks gets one byte in the static data area, set to 1 when evaluation reaches it.
 * The module describes its table itself: the exported global `policyc_coverage` holds the first
 * byte's address and the custom section `policyc.coverage` lists the rows in byte order, so a
 * loader needs nothing but the module (src/engine/runner/coverage.ts reads them back).
 * Modules compiled without coverage have no CoverStmt, hence no table, section or cost.
 */
import type { Block, Policy } from "../../plan/ir.js";
import { ValType } from "../binary/module.js";
import type { GenContext } from "./context.js";

export const COVERAGE_GLOBAL = "policyc_coverage";
export const COVERAGE_SECTION = "policyc.coverage";

/** Assigns a byte to every marked row and reserves the table; no-op for uninstrumented plans. */
export function reserveCoverageTable(ctx: GenContext, policy: Policy): void {
  const visit = (blocks: Block[]): void => {
    for (const b of blocks) {
      for (const s of b.stmts) {
        switch (s.type) {
          case "CoverStmt": {
            const key = `${s.loc.file}:${s.loc.row}`;
            if (!ctx.coverageRows.has(key)) ctx.coverageRows.set(key, ctx.coverageRows.size);
            break;
          }
          case "BlockStmt": visit(s.blocks); break;
          case "ScanStmt": case "NotStmt": case "WithStmt": visit([s.block]); break;
          default: break;
        }
      }
    }
  };
  for (const p of policy.plans.plans) visit(p.blocks);
  for (const f of policy.funcs.funcs) visit(f.blocks);
  if (ctx.coverageRows.size === 0) return;
  ctx.coverageBase = ctx.linker.reserve(ctx.coverageRows.size, 1);
  ctx.linker.addGlobal(ValType.i32, false, ctx.coverageBase, COVERAGE_GLOBAL);
  const files = policy.static.files.map((f) => f.value);
  const rows = [...ctx.coverageRows.keys()].map((k) => {
    const [file, row] = k.split(":").map(Number) as [number, number];
    return [files[file] ?? "", row];
  });
  ctx.linker.addCustomSection(COVERAGE_SECTION, new TextEncoder().encode(JSON.stringify({ rows })));
}
