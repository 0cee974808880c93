// Golden tests of the transpiler: every folder under cases/ holds a supported construct's
// `input.ts` and the Rego it compiles to (`expected.rego` in v0, `expected.v1.rego` in v1); every
// folder under errors/ an unsupported construct and its diagnostics (`expected.diagnostics`).
// Rewrite the expected files with UPDATE_GOLDEN=1 (or `--update`); files without an input fail.
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderDiagnostic } from "../../src/diagnostics/index.js";
import { createPolicyProgram } from "../../src/frontend/program.js";
import { spanOf } from "../../src/frontend/locate.js";
import { findViolationFunction, isFunctionNode, transpileViolation } from "../../src/transpile/index.js";
import { projectRoot } from "../support/shared.js";

const update = process.env.UPDATE_GOLDEN === "1" || process.argv.includes("--update");
const here = path.join(projectRoot, "test", "transpile");
const groups = ["cases", "errors"] as const;
const EXPECTED = ["expected.rego", "expected.v1.rego", "expected.diagnostics"];

const folders = groups.flatMap((g) =>
  readdirSync(path.join(here, g))
    .filter((d) => statSync(path.join(here, g, d)).isDirectory())
    .sort()
    .map((d) => ({ group: g, name: d, dir: path.join(here, g, d) })),
);
const inputs = folders.map((f) => path.join(f.dir, "input.ts")).filter((f) => existsSync(f));
const { program, checker } = createPolicyProgram(here, inputs);

function defineCheckCall(sf: ts.SourceFile): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "defineCheck") found = n;
    n.forEachChild(visit);
  };
  visit(sf);
  return found;
}

function compare(file: string, actual: string | undefined): void {
  if (update) {
    if (actual === undefined) {
      if (existsSync(file)) unlinkSync(file);
    } else writeFileSync(file, actual);
    return;
  }
  const rel = path.relative(projectRoot, file);
  if (actual === undefined) {
    assert.not.ok(existsSync(file), `${rel} is orphaned (this case produces no such output); delete it or run with UPDATE_GOLDEN=1`);
    return;
  }
  assert.ok(existsSync(file), `${rel} is missing; run with UPDATE_GOLDEN=1`);
  assert.fixture(actual, readFileSync(file, "utf8"), `${rel} differs; run with UPDATE_GOLDEN=1 if the change is intended`);
}

for (const f of folders) {
  test(`${f.group}/${f.name}`, () => {
    const input = path.join(f.dir, "input.ts");
    if (!existsSync(input)) {
      const stray = EXPECTED.filter((e) => existsSync(path.join(f.dir, e)));
      assert.unreachable(`${path.relative(projectRoot, f.dir)} has ${stray.join(", ") || "no files"} but no input.ts (orphaned golden)`);
    }
    const sf = program.getSourceFile(input)!;
    const tsErrors = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
    assert.equal(tsErrors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")), [], "the input must type-check");
    const call = defineCheckCall(sf);
    const fn = call && findViolationFunction(call);
    assert.ok(fn && isFunctionNode(fn), "input.ts must call defineCheck with a violation function");
    const file = path.relative(here, input).split(path.sep).join("/");
    const run = (regoVersion: "v0" | "v1") =>
      transpileViolation({
        checker,
        fn: fn as ts.FunctionLikeDeclaration,
        packageName: (call!.arguments[0] as ts.ObjectLiteralExpression).properties
          .filter(ts.isPropertyAssignment)
          .find((p) => ts.isIdentifier(p.name) && p.name.text === "kind")!
          .initializer.getText(sf)
          .slice(1, -1)
          .toLowerCase(),
        regoVersion,
        file: path.basename(path.dirname(file)) + "/input.ts",
        originOf: (n) => spanOf(path.basename(path.dirname(file)) + "/input.ts", n.getSourceFile(), n),
      });
    const v0 = run("v0");
    const v1 = run("v1");
    if (f.group === "cases") {
      assert.equal(v0.diagnostics.map((d) => renderDiagnostic(d)), [], "a supported construct compiles without diagnostics");
      compare(path.join(f.dir, "expected.rego"), v0.text);
      compare(path.join(f.dir, "expected.v1.rego"), v1.text);
      compare(path.join(f.dir, "expected.diagnostics"), undefined);
    } else {
      assert.ok(v0.diagnostics.length > 0, "an unsupported construct must be reported");
      assert.ok(v0.diagnostics.every((d) => /^PC7\d{3}$/.test(d.code) && d.span), "PC7xxx diagnostics with spans");
      compare(path.join(f.dir, "expected.diagnostics"), v0.diagnostics.map((d) => renderDiagnostic(d)).join("\n") + "\n");
      compare(path.join(f.dir, "expected.rego"), undefined);
      compare(path.join(f.dir, "expected.v1.rego"), undefined);
    }
  });
}

test("every case folder is listed and the supported constructs are all covered", () => {
  const names = folders.filter((f) => f.group === "cases").map((f) => f.name);
  for (const construct of ["for-of-array", "for-of-object", "if-else", "early-return", "continue", "const-locals", "logical-operators", "comparisons", "optional-chaining", "template-literals", "array-methods", "string-methods", "regexp", "number-conversion", "array-spread", "helper-functions", "pod-templates"]) {
    assert.ok(names.includes(construct), `no golden case for ${construct}`);
  }
  void program;
});

test.run();
