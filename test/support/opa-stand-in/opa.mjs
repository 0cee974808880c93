/**
 * A stand-in for OPA's CLI, for tests of policyc's `opa` engine plumbing on machines without `opa`
 * (none can be installed here). It accepts exactly the `opa build` form policyc uses, rejects
 * anything else as opa would, and builds the bundle OPA writes (a gzipped tar holding /policy.wasm,
 * /data.json and /.manifest) with policyc's own compiler, from the built `dist/`. It proves the
 * plumbing (finding opa, its arguments, reading its bundle, its failures), never OPA's semantics:
 * that cross-check runs whenever a real `opa` is on PATH.
 *
 * Environment: OPA_STAND_IN_LOG appends each argv as a JSON line; OPA_STAND_IN_SABOTAGE=1 builds
 * every module with its rule bodies replaced by `false` (a second engine that disagrees).
 */
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { tarArchive } from "../tar.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const argv = process.argv.slice(2);
if (process.env.OPA_STAND_IN_LOG) appendFileSync(process.env.OPA_STAND_IN_LOG, `${JSON.stringify(argv)}\n`);

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

if (argv[0] === "version") {
  process.stdout.write("Version: 1.0.0-policyc-stand-in\n");
  process.exit(0);
}
if (argv[0] !== "build") fail(`unknown command "${argv[0]}" for "opa"`);

let target;
let out = "bundle.tar.gz";
let v0 = false;
const entrypoints = [];
const files = [];
for (let i = 1; i < argv.length; i++) {
  const a = argv[i];
  if (a === "-t" || a === "--target") target = argv[++i];
  else if (a === "-o" || a === "--output") out = argv[++i];
  else if (a === "-e" || a === "--entrypoint") entrypoints.push(argv[++i]);
  else if (a === "--v0-compatible") v0 = true;
  else if (a.startsWith("-")) fail(`unknown flag: ${a}`);
  else files.push(a);
}
if (target !== "wasm") fail(`the stand-in builds only -t wasm (got ${target ?? "no target"})`);
if (entrypoints.length === 0) fail("wasm compilation requires at least one entrypoint");
if (entrypoints.some((e) => e.includes(".") || e.startsWith("data/"))) fail(`entrypoint ${entrypoints.find((e) => e.includes("."))} must be a slash-separated path`);

const { compile } = await import(path.join(root, "dist", "engine", "index.js"));
const sabotage = process.env.OPA_STAND_IN_SABOTAGE === "1";
const modules = files.map((file) => {
  let text = readFileSync(file, "utf8");
  if (sabotage) text = text.replace(/\{\s*\n/g, "{\n  false\n");
  return { file: path.relative(process.cwd(), file), text };
});
let wasm;
try {
  wasm = compile({ modules, entrypoints, regoVersion: v0 ? "v0" : "v1" });
} catch (e) {
  const lines = (e.diagnostics ?? []).map((d) => `${d.span?.file ?? "?"}:${d.span?.line ?? 0}: rego_parse_error: ${d.message}`);
  fail(`${lines.length || 1} error${lines.length === 1 ? "" : "s"} occurred:\n${lines.join("\n") || e.message}`);
}

const text = (s) => new TextEncoder().encode(s);
const manifest = { revision: "", roots: [""], wasm: [{ entrypoint: entrypoints[0], module: "/policy.wasm" }] };
const archive = tarArchive([
  ["/data.json", text("{}\n")],
  ["/policy.wasm", wasm],
  ["/.manifest", text(`${JSON.stringify(manifest)}\n`)],
]);
writeFileSync(out, gzipSync(archive));
