#!/usr/bin/env node
// Builds runtime.wasm from this folder's C and assembly sources with clang + wasm-ld (Debian
// clang-14 and lld: `apt-get install clang lld`). The output is committed, so users and CI never
// need clang; test/engine/runtime rebuilds it and compares bytes when clang is installed.
// Deterministic: fixed flags, relative paths, no debug info, fixed file order.
// Usage: node src/engine/runtime/build.mjs [--out FILE]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export const CFLAGS = [
  "--target=wasm32",
  "-O2",
  "-std=c11",
  "-ffreestanding",
  "-nostdlib",
  "-mmutable-globals",
  "-fno-exceptions",
  "-Wall",
  "-Wextra",
  "-Wno-unused-parameter",
  "-Werror",
];

const PAGE = 65536;

export const LDFLAGS = [
  "--no-entry",
  "--import-memory",
  `--initial-memory=${2 * PAGE}`,
  "--stack-first",
  `-z`,
  `stack-size=${PAGE}`,
  "--export=policyc_heap_base",
  "--export=policyc_fuel",
  "--export=opa_wasm_abi_version",
  "--export=opa_wasm_abi_minor_version",
  "--export=__heap_base",
];

/** Initial values the assembler cannot express; policyc_heap_base is derived from __heap_base. */
const GLOBAL_INITS = { policyc_fuel: 1000000000, opa_wasm_abi_version: 1, opa_wasm_abi_minor_version: 2 };

/** The committed runtime.wasm was built with this clang major version (Debian's clang-14). */
export const CLANG_MAJOR = 14;

function tool(names) {
  for (const n of names) {
    try {
      return { name: n, version: execFileSync(n, ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }) };
    } catch {}
  }
  return undefined;
}

/** clang + wasm-ld, with `exact` telling whether clang is the version the committed binary came from. */
export function toolchain() {
  const clang = tool(["clang-14", "clang"]);
  const ld = tool(["wasm-ld-14", "wasm-ld"]);
  if (!clang || !ld) return undefined;
  const major = Number((/clang version (\d+)/.exec(clang.version) ?? [])[1]);
  return { clang: clang.name, ld: ld.name, exact: major === CLANG_MAJOR };
}

export function build(outFile = path.join(here, "runtime.wasm")) {
  const tc = toolchain();
  if (!tc) throw new Error("clang and wasm-ld are required (apt-get install clang lld)");
  const tmp = mkdtempSync(path.join(tmpdir(), "policyc-rt-"));
  try {
    const sources = readdirSync(here).filter((f) => f.endsWith(".c") || f.endsWith(".s")).sort();
    const objects = [];
    for (const src of sources) {
      const obj = path.join(tmp, src.replace(/\.[cs]$/, ".o"));
      const flags = src.endsWith(".s") ? ["--target=wasm32", "-mmutable-globals"] : [...CFLAGS, ...(src === "mem.c" ? ["-fno-builtin"] : [])];
      execFileSync(tc.clang, [...flags, "-c", src, "-o", obj], { cwd: here, stdio: ["ignore", "inherit", "inherit"] });
      objects.push(obj);
    }
    const linked = path.join(tmp, "runtime.wasm");
    execFileSync(tc.ld, [...LDFLAGS, "-o", linked, ...objects], { cwd: here, stdio: ["ignore", "inherit", "inherit"] });
    const bytes = setGlobalInits(readFileSync(linked));
    writeFileSync(outFile, bytes);
    return bytes;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- minimal binary rewriting: the global section's i32.const initialisers ----------------------

function readU32(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return [result >>> 0, pos];
}

function readS32(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  if (shift < 32 && b & 0x40) result |= ~0 << shift;
  return [result | 0, pos];
}

function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function s32(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function sections(buf) {
  const list = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos];
    const [size, start] = readU32(buf, pos + 1);
    list.push({ id, start, end: start + size, headerStart: pos });
    pos = start + size;
  }
  return list;
}

function setGlobalInits(buf) {
  const secs = sections(buf);
  const exportSec = secs.find((s) => s.id === 7);
  const globalSec = secs.find((s) => s.id === 6);
  const importSec = secs.find((s) => s.id === 2);
  let importedGlobals = 0;
  if (importSec) {
    let [n, p] = readU32(buf, importSec.start);
    for (let i = 0; i < n; i++) {
      let len;
      [len, p] = readU32(buf, p); p += len;
      [len, p] = readU32(buf, p); p += len;
      const kind = buf[p++];
      if (kind === 0) [, p] = readU32(buf, p);
      else if (kind === 1) { p++; const flags = buf[p++]; [, p] = readU32(buf, p); if (flags & 1) [, p] = readU32(buf, p); }
      else if (kind === 2) { const flags = buf[p++]; [, p] = readU32(buf, p); if (flags & 1) [, p] = readU32(buf, p); }
      else if (kind === 3) { p += 2; importedGlobals++; }
    }
  }
  const globalIndex = {};
  let [n, p] = readU32(buf, exportSec.start);
  for (let i = 0; i < n; i++) {
    let len;
    [len, p] = readU32(buf, p);
    const name = buf.subarray(p, p + len).toString("utf8");
    p += len;
    const kind = buf[p++];
    let idx;
    [idx, p] = readU32(buf, p);
    if (kind === 3) globalIndex[name] = idx - importedGlobals;
  }
  // decode globals
  let count;
  [count, p] = readU32(buf, globalSec.start);
  const globals = [];
  for (let i = 0; i < count; i++) {
    const type = buf[p], mut = buf[p + 1];
    p += 2;
    if (buf[p] !== 0x41) throw new Error(`global ${i}: unexpected init opcode ${buf[p]}`);
    let value;
    [value, p] = readS32(buf, p + 1);
    if (buf[p++] !== 0x0b) throw new Error(`global ${i}: unexpected init expression`);
    globals.push({ type, mut, value });
  }
  const heapBase = globals[globalIndex.__heap_base].value;
  const inits = { ...GLOBAL_INITS, policyc_heap_base: (heapBase + 15) & ~15 };
  for (const [name, value] of Object.entries(inits)) {
    if (globalIndex[name] === undefined) throw new Error(`global ${name} is not exported`);
    globals[globalIndex[name]].value = value;
  }
  const body = [...u32(count)];
  for (const g of globals) body.push(g.type, g.mut, 0x41, ...s32(g.value), 0x0b);
  return Buffer.concat([
    buf.subarray(0, globalSec.headerStart),
    Buffer.from([6, ...u32(body.length), ...body]),
    buf.subarray(globalSec.end),
  ]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--out");
  const out = i > 0 ? path.resolve(process.argv[i + 1]) : undefined;
  const bytes = build(out);
  console.log(`runtime.wasm: ${bytes.length} bytes`);
}
