/**
 * The one program per build: parsed files are reused by the next program in the same process only
 * while their text is unchanged, and reuse never changes what the checker reports.
 */
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createPolicyProgram } from "../../src/frontend/program.js";
import ts from "../../src/frontend/typescript.js";
import { projectRoot } from "../support/shared.js";

const file = path.join(projectRoot, "policyc-program-test.ts");
const good = `import { defineCheck, rego } from "policyc";
/** Params. */
export interface P {
  /** Allowed. */
  repos: string[];
}
export const c = defineCheck<P>({ kind: "K8sReuse", description: "d", rego: rego\`package k\` });
`;
const bad = good.replace("repos: string[]", "repos: Strin[]");

function program(text: string) {
  return createPolicyProgram(projectRoot, [file], new Map([[file, text]]));
}

test("unchanged files (the user's and TypeScript's lib) are the same parsed files in the next program; a changed one is parsed again", () => {
  const a = program(good);
  const b = program(good);
  assert.equal(a.diagnostics, []);
  assert.equal(b.diagnostics, []);
  assert.ok(a.program.getSourceFile(file) === b.program.getSourceFile(file));
  const lib = a.program.getSourceFiles().find((sf) => /lib\.es5\.d\.ts$/.test(sf.fileName))!;
  assert.ok(lib && b.program.getSourceFiles().includes(lib));
  const c = program(bad);
  assert.ok(c.program.getSourceFile(file) !== a.program.getSourceFile(file));
  assert.equal(c.diagnostics.map((d) => d.message.slice(0, 7)), ["TS2552:"]);
  // Back to the first text: parsed again (only the latest text is kept), and clean again.
  const d = program(good);
  assert.equal(d.diagnostics, []);
});

test("a reused file's TSDoc and types still resolve through the new program's checker", () => {
  program(good);
  const { program: p, checker } = program(good);
  const sf = p.getSourceFile(file)!;
  const decl = sf.statements.find(ts.isInterfaceDeclaration)!;
  const type = checker.getTypeAtLocation(decl);
  const repos = type.getProperty("repos")!;
  assert.is(checker.typeToString(checker.getTypeOfSymbol(repos)), "string[]");
  assert.is(repos.getDocumentationComment(checker).map((x) => x.text).join(""), "Allowed.");
});

test.run();
