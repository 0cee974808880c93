/**
 * `--engine opa`: builds the Wasm module with a real `opa build -t wasm` (when an `opa` binary is
 * on PATH) instead of policyc's compiler, so both engines run through the same SDK path.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Source } from "./engine.js";

export function opaAvailable(): boolean {
  const r = spawnSync("opa", ["version"], { encoding: "utf8" });
  return r.status === 0;
}

export function buildWithOpa(modules: Source[], entrypoints: string[], regoVersion: "v0" | "v1"): Uint8Array {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-opa-"));
  try {
    const files = modules.map((m, i) => {
      const f = path.join(dir, "src", `${i}-${path.basename(m.file).replace(/[^\w.-]/g, "_")}`);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, m.text);
      return f;
    });
    const bundle = path.join(dir, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", ...entrypoints.flatMap((e) => ["-e", e]), "-o", bundle, ...(regoVersion === "v0" ? ["--v0-compatible"] : []), ...files];
    const r = spawnSync("opa", args, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`opa build failed: ${(r.stderr || r.stdout).trim()}`);
    const x = spawnSync("tar", ["-xzf", bundle, "-C", dir, "/policy.wasm"], { encoding: "utf8" });
    if (x.status !== 0) throw new Error(`cannot extract policy.wasm from the opa bundle: ${x.stderr.trim()}`);
    return new Uint8Array(readFileSync(path.join(dir, "policy.wasm")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
