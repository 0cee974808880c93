/**
 * Every template policyc emits passes the Regal rules that apply to generated code
 * (src/engine/lint.ts): the repo's generated/, the Deckhouse pack's generated/, and every expected
 * output of the transpiler's golden cases. The linter itself is checked on small modules that break
 * each rule.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { lintModule } from "../../src/engine/lint.js";
import { parseModule } from "../../src/engine/rego/parser.js";
import { readTemplate } from "../../src/testing/gatekeeper/template.js";
import { projectRoot } from "../support/shared.js";

function lintText(text: string, file: string, regoVersion: "v0" | "v1"): string[] {
  return lintModule(parseModule(text, { file, regoVersion })).map((f) => `${file}:${f.row}:${f.col}: ${f.rule}: ${f.message}`);
}

function templatesUnder(dir: string): { file: string; text: string; regoVersion: "v0" | "v1" }[] {
  const out: { file: string; text: string; regoVersion: "v0" | "v1" }[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith("constrainttemplate-")).sort()) {
    const info = readTemplate(YAML.parse(readFileSync(path.join(dir, f), "utf8")));
    const rel = path.relative(projectRoot, path.join(dir, f));
    if (info.rego) out.push({ file: `${rel}#rego`, text: info.rego, regoVersion: info.regoVersion });
    info.libs.forEach((text, i) => out.push({ file: `${rel}#libs[${i}]`, text, regoVersion: info.regoVersion }));
  }
  return out;
}

for (const dir of ["generated/manifests", "packs/deckhouse/generated/manifests"]) {
  test(`every template in ${dir} passes the lint`, () => {
    const templates = templatesUnder(path.join(projectRoot, dir));
    assert.ok(templates.length > 5);
    assert.equal(templates.flatMap((t) => lintText(t.text, t.file, t.regoVersion)), []);
  });
}

test("every expected transpiler output passes the lint", () => {
  const cases = path.join(projectRoot, "test", "transpile", "cases");
  const findings: string[] = [];
  let n = 0;
  for (const c of readdirSync(cases, { withFileTypes: true }).filter((e) => e.isDirectory())) {
    for (const f of ["expected.rego", "expected.v1.rego"]) {
      let text: string;
      try {
        text = readFileSync(path.join(cases, c.name, f), "utf8");
      } catch {
        continue;
      }
      n++;
      findings.push(...lintText(text, `${c.name}/${f}`, f === "expected.rego" ? "v0" : "v1"));
    }
  }
  assert.ok(n > 20);
  assert.equal(findings, []);
});

test("the linter finds each rule's mistake", () => {
  const src = `package p

count := 1

get_items := [1]

allItems := 2

f(x) = y if {
	y := x
}

violation contains msg if {
	some k, v in input.xs
	all := k
	input.a
	input.a == 1
	s := input.b
	s
	input.c[_] != 1
	1 == 1
	input.d == input.e[_]
	regex.match("a\\\\.b", input.f)
	_ = input.g
	msg := all
}

condition if {
	input.h[i]
}
#tight
`;
  const rules = lintModule(parseModule(src, { file: "p.rego", regoVersion: "v1" })).map((f) => `${f.row}:${f.rule}`);
  assert.equal(rules, [
    "3:bugs/rule-shadows-builtin",
    "5:style/avoid-get-and-list-prefix",
    "7:style/prefer-snake-case",
    "9:style/use-assignment-operator",
    "14:bugs/unused-output-variable",
    "15:bugs/var-shadows-builtin",
    "16:bugs/redundant-existence-check",
    "19:bugs/redundant-existence-check",
    "20:bugs/not-equals-in-loop",
    "21:bugs/constant-condition",
    "22:idiomatic/use-in-operator",
    "23:idiomatic/non-raw-regex-pattern",
    "24:policyc/wildcard-unification",
    "28:policyc/helper-name",
    "29:bugs/unused-output-variable",
    "31:style/no-whitespace-comment",
  ]);
});

test.run();
