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

test("a long line is cut to a window around the span, marked with …", () => {
  const line = `${"x".repeat(500)}BAD${"y".repeat(500)}`;
  const out = renderDiagnostics([diag(Def, ["v"], { file: "a.json", line: 1, col: 501, endLine: 1, endCol: 504 })], { readSource: () => line });
  const [, src, caret] = out.split("\n");
  assert.ok(src!.length < 200, `frame line of ${src!.length} characters`);
  assert.match(src!, /^1 \| …x+BADy+…$/);
  assert.is(caret!.indexOf("~"), src!.indexOf("BAD"));
  assert.is(caret!.trim(), "~~~");
});

test("NUL and invisible characters are escaped; look-alike letters in a quoted name are pointed at", () => {
  const Named = { code: "PC2004", text: "constraint name `{0}` is invalid" };
  const out = renderDiagnostics([diag(Named, ["pr\u043ed\u0000x\u200b"], { file: "a.ts", line: 1, col: 1 })]);
  assert.not.match(out, /[\u0000\u200b\u043e]/);
  assert.match(out, /constraint name `pr\\u\{043E\}d\\u\{0000\}x\\u\{200B\}` is invalid/);
  assert.match(out, /note: `.*` has U\+043E at position 3 looks like `o` but is not ASCII, an invisible U\+0000 at position 5, an invisible U\+200B at position 7/);
});

test.run();
