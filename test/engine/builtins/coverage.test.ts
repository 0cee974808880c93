// Every built-in the compiler accepts is either native in the runtime or has a host
// implementation here (a gap would only show up at evaluation time as "not implemented").
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { BUILTINS } from "../../../src/engine/compiler/builtins-table.js";
import { hostBuiltinNames } from "../../../src/engine/builtins/index.js";

/** Resolved by the compiler itself, never called at run time. */
const COMPILE_TIME = new Set(["eq", "assign", "print", "rego.metadata.chain", "rego.metadata.rule"]);

test("every compiler-known built-in is native or a host built-in", () => {
  const natives = new Set(
    (JSON.parse(readFileSync(fileURLToPath(new URL("../../../src/engine/runtime/natives.json", import.meta.url)), "utf8")) as { name: string }[]).map((n) => n.name),
  );
  const host = hostBuiltinNames();
  const missing = [...BUILTINS.keys()].filter((n) => !natives.has(n) && !host.has(n) && !COMPILE_TIME.has(n));
  assert.equal(missing, []);
  // And the runtime's host fallbacks exist on this side.
  const fallbacks = (JSON.parse(readFileSync(fileURLToPath(new URL("../../../src/engine/runtime/natives.json", import.meta.url)), "utf8")) as { host?: string }[])
    .flatMap((n) => (n.host ? [n.host.replace(/^policyc\./, "")] : []));
  assert.ok(fallbacks.length > 0);
  assert.equal(fallbacks.filter((n) => !host.has(n)), []);
});

test.run();
