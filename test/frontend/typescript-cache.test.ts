/**
 * The install-time V8 code cache of the TypeScript compiler: used when it matches, ignored (and
 * TypeScript compiled as usual) when it does not.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const cacheFile = path.join(root, "dist", ".cache", "typescript.v8cache");

/** Loads TypeScript the way a build does, in a fresh process, and reports where it came from. */
function load(env: Record<string, string> = {}): { fromCache: boolean; works: boolean } {
  const script = `
    const ts = require("./dist/frontend/typescript-api.cjs");
    const cache = require("./dist/frontend/typescript-cache.cjs");
    const sf = ts.createSourceFile("x.ts", "const a: number = 1;", ts.ScriptTarget.ES2022);
    console.log(JSON.stringify({ fromCache: cache.loadedFromCache, works: sf.statements.length === 1 && typeof ts.createProgram === "function" }));
  `;
  const r = spawnSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, ...env } });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim()) as { fromCache: boolean; works: boolean };
}

test("the install step wrote a cache that a fresh process uses", () => {
  // `npm install`/`npm ci` run `prepare`, which writes it; a missing cache is a broken install step.
  assert.ok(existsSync(cacheFile), "dist/.cache/typescript.v8cache is missing: run `npm run prepare`");
  assert.equal(load(), { fromCache: true, works: true });
});

test("with the cache switched off TypeScript loads and works as usual", () => {
  assert.equal(load({ POLICYC_TS_CODE_CACHE: "off" }), { fromCache: false, works: true });
});

test("V8 flags that differ from the cache's make it unused, not harmful", () => {
  const r = spawnSync(
    process.execPath,
    ["--max-lazy", "-e", `const ts = require("./dist/frontend/typescript-api.cjs"); console.log(String(require("./dist/frontend/typescript-cache.cjs").loadedFromCache) + " " + typeof ts.createProgram);`],
    { cwd: root, encoding: "utf8" },
  );
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout.trim(), "false function");
});

test.run();
