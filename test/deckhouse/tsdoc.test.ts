// Every field of the public Deckhouse, mutation and Kyverno types carries TSDoc (the DSL's
// autocomplete is its manual).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { projectRoot } from "../support/shared.js";

function undocumented(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const missing: string[] = [];
  const visit = (node: ts.Node, trail: string[]): void => {
    if (ts.isPropertySignature(node)) {
      const name = node.name.getText(sf);
      const docs = ts.getJSDocCommentsAndTags(node);
      // A doc comment on the same line as the `{` before it is not attached by TypeScript (and so
      // never shown by the editor); it counts as missing.
      if (docs.length === 0) missing.push([...trail, name].join("."));
      trail = [...trail, name];
    } else if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) {
      trail = [node.name.text];
    }
    ts.forEachChild(node, (c) => visit(c, trail));
  };
  visit(sf, []);
  return missing;
}

for (const rel of ["src/api/deckhouse/types.ts", "src/api/deckhouse/builders.ts", "src/api/mutations/types.ts", "src/api/kyverno/types.ts", "src/api/kyverno/builders.ts"]) {
  test(`${rel}: every field has TSDoc`, () => {
    assert.equal(undocumented(path.join(projectRoot, rel)), []);
  });
}

test.run();
