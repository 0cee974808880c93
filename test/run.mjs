#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (under tsx) and ends with the line CI reads:
// "N passed, N failed[, N skipped]". Extra args are passed to uvu as its pattern, e.g.
// `node test/run.mjs engine` runs only test files whose path matches /engine/.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pattern = process.argv[2] ? `${process.argv[2]}.*\\.test\\.ts$` : "\\.test\\.ts$";
const child = spawn(
  process.execPath,
  ["--import", "tsx", path.join(root, "node_modules/uvu/bin.js"), "test", pattern],
  { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, FORCE_COLOR: "0" } },
);
let out = "";
child.stdout.on("data", (chunk) => {
  out += chunk;
  process.stdout.write(chunk);
});
child.on("close", (code) => {
  const num = (label) => Number((out.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? 0);
  const total = num("Total");
  const passed = num("Passed");
  const skipped = num("Skipped");
  let failed = total - passed - skipped;
  // A file that crashed before uvu could count it still fails the run.
  if (code !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  process.exit(failed > 0 ? 1 : 0);
});
