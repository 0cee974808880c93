/**
 * The `opa` engine: when a real `opa` binary is on PATH, builds the Wasm module with
 * `opa build -t wasm` so that both engines are evaluated through the same SDK path.
 */
import { execFileSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readTar } from "./tar.js";
import { makeDirs } from "../../build/make-dirs.js";

/** The path of an executable `opa` on PATH, or undefined. */
export function findOpa(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, process.platform === "win32" ? "opa.exe" : "opa");
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export interface OpaCompileInput {
  modules: { file: string; text: string }[];
  /** Entrypoints as OPA writes them: `test/p` (a leading `data.` and dots are accepted). */
  entrypoints: string[];
  regoVersion?: "v0" | "v1";
}

export function compileWithOpa(input: OpaCompileInput, opaPath = findOpa()): Uint8Array {
  if (!opaPath) throw new Error("the opa engine needs an `opa` binary on PATH");
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-opa-"));
  try {
    const files = input.modules.map((m, i) => {
      const rel = `m${i}_${path.basename(m.file).replace(/[^A-Za-z0-9_.-]/g, "_")}`;
      const name = rel.endsWith(".rego") ? rel : `${rel}.rego`;
      const p = path.join(dir, "src", name);
      makeDirs(path.dirname(p));
      writeFileSync(p, m.text);
      return p;
    });
    const out = path.join(dir, "bundle.tar.gz");
    const args = ["build", "-t", "wasm", "-o", out];
    for (const e of input.entrypoints) args.push("-e", toOpaEntrypoint(e));
    if (input.regoVersion === "v0") args.push("--v0-compatible");
    args.push(...files);
    try {
      execFileSync(opaPath, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    } catch (e) {
      // opa's own message names the module and line; the temporary paths mean nothing to the user.
      const err = e as { status?: number | null; stderr?: string; message: string };
      const modulesBack = input.modules.reduce((text, m, i) => text.split(files[i]!).join(m.file).split(path.relative(dir, files[i]!)).join(m.file), (err.stderr ?? "").trim());
      throw new Error(`opa build failed (${err.status == null ? err.message : `exit ${err.status}`}):\n${modulesBack}`);
    }
    const wasm = readTar(new Uint8Array(readFileSync(out))).find((e) => e.name.replace(/^\.?\//, "") === "policy.wasm");
    if (!wasm) throw new Error("opa build produced no policy.wasm");
    return wasm.data;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function toOpaEntrypoint(e: string): string {
  return e.replace(/^data\./, "").replace(/\./g, "/");
}
