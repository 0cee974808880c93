import { test } from "uvu";
import * as assert from "uvu/assert";
import { diag, renderDiagnostics } from "../../src/diagnostics/index.js";

const Def = { code: "PC9999", text: "field '{0}' is wrong" };

test("renders file:line:col: severity code: message", () => {
  const out = renderDiagnostics([diag(Def, ["x"], { file: "a.ts", line: 3, col: 7 })]);
  assert.is(out, "a.ts:3:7: error PC9999: field 'x' is wrong");
});

test("sorts by file and position and draws a code frame", () => {
  const ds = [
    diag(Def, ["b"], { file: "b.ts", line: 1, col: 1 }),
    diag(Def, ["a2"], { file: "a.ts", line: 2, col: 3, endLine: 2, endCol: 6 }),
  ];
  const out = renderDiagnostics(ds, { readSource: (f) => (f === "a.ts" ? "one\nt  abc\n" : undefined) });
  assert.is(out, "a.ts:2:3: error PC9999: field 'a2' is wrong\n2 | t  abc\n      ~~~\nb.ts:1:1: error PC9999: field 'b' is wrong");
});

test.run();
