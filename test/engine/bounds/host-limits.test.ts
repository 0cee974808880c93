// Built-ins written in JavaScript spend the module's evaluation budget and respect its memory
// limit; integers past float64 come out exact, as OPA prints its big integers.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { compile, loadModule, EvalError } from "../../../src/engine/index.js";
import { runEval } from "../../../src/engine/eval/command.js";

function evalError(query: string): EvalError {
  const wasm = compile({ modules: [], queries: [{ name: "q", text: `x := ${query}` }] });
  const started = Date.now();
  try {
    loadModule(wasm).evaluate(undefined);
  } catch (e) {
    assert.ok(Date.now() - started < 1000, `${query} stopped within a second`);
    assert.instance(e, EvalError);
    return e as EvalError;
  }
  throw new Error(`${query} evaluated`);
}

test("bits.lsh past the memory limit is a memory-limit error, at once", () => {
  assert.is(evalError("bits.lsh(1, 1000000000)").code, "eval_memory_limit");
});

test("printing a 100-million-bit integer exceeds the evaluation budget, at once", () => {
  assert.is(evalError(`sprintf("%v", [bits.lsh(1, 100000000)])`).code, "eval_budget_exceeded");
  assert.is(evalError(`bits.lsh(3, 100000000)`).code, "eval_budget_exceeded");
});

async function evalText(query: string): Promise<string> {
  let stdout = "";
  const code = await runEval([query], { stdout: (s) => (stdout += s), stderr: () => {}, cwd: process.cwd() });
  assert.is(code, 0);
  return stdout;
}

test("integers beyond float64 print exactly", async () => {
  const exact = (1n << 1100n).toString();
  assert.ok((await evalText("x := bits.lsh(1, 1100)")).includes(`"x": ${exact}\n`));
  assert.ok((await evalText("x := bits.lsh(1, 70)")).includes(`"x": 1180591620717411303424\n`));
  assert.ok((await evalText("x := [bits.lsh(5, 80), 1.5]")).includes(`${(5n << 80n).toString()},\n`));
});

test.run();
