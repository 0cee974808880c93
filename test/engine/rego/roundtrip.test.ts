/**
 * parse(format(parse(x))) equals parse(x) up to locations for every corpus module; formatting is
 * idempotent and keeps every comment. Also across versions: v1 modules printed as v0 (and
 * Gatekeeper's v0 modules printed as v1) define the same rules (v1 output writes heads with `:=`).
 */
import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RegoVersion, Rule } from "../../../src/engine/rego/ast.js";
import { dumpModule, formatModule, parseModule, withoutLocations } from "../../../src/engine/rego/index.js";
import { conformanceSources, librarySources, type Source } from "./corpus.js";

function roundTrip(sources: Source[], version: RegoVersion): string[] {
  const bad: string[] = [];
  for (const s of sources) {
    const a = parseModule(s.text, { file: "a.rego", regoVersion: version });
    const out = formatModule(a, { regoVersion: version }, s.text);
    try {
      const b = parseModule(out, { file: "b.rego", regoVersion: version });
      if (!isDeepStrictEqual(withoutLocations(headOps(a, version)), withoutLocations(b))) bad.push(`${s.name}: AST differs\n${dumpModule(a)}\n---\n${dumpModule(b)}`);
      else if (!isDeepStrictEqual(a.comments.map((c) => c.text), b.comments.map((c) => c.text))) bad.push(`${s.name}: comments differ`);
      else if (formatModule(b, { regoVersion: version }, out) !== out) bad.push(`${s.name}: formatting is not idempotent`);
    } catch (e) {
      bad.push(`${s.name}: output does not parse: ${String(e)}\n${out}`);
    }
  }
  return bad;
}

/** v1 output writes every head value with `:=`, as `opa fmt` does: the only change it makes. */
function headOps<T extends { rules: Rule[] }>(m: T, version: RegoVersion): T {
  if (version !== "v1") return m;
  const fix = (r: Rule): Rule => ({ ...r, head: r.head.value ? { ...r.head, assign: true } : r.head, ...(r.else ? { else: fix(r.else) } : {}) });
  return { ...m, rules: m.rules.map(fix) };
}

/** A rule head without value means `true`; v0 output spells it out for `p[x] if ...` rules. */
function normalizeRules(rules: Rule[]): unknown {
  const norm = (r: Rule): unknown => {
    const h = { ...r.head };
    h.assign = false;
    if (h.value?.type === "boolean" && h.value.value && h.kind === "single") delete h.value;
    return { ...r, head: h, else: r.else ? norm(r.else) : undefined };
  };
  return withoutLocations(rules.map(norm));
}

function crossVersion(sources: Source[], from: RegoVersion, to: RegoVersion): string[] {
  const bad: string[] = [];
  for (const s of sources) {
    const a = parseModule(s.text, { file: "a.rego", regoVersion: from });
    const out = formatModule(a, { regoVersion: to });
    try {
      const b = parseModule(out, { file: "b.rego", regoVersion: to });
      if (!isDeepStrictEqual(normalizeRules(a.rules), normalizeRules(b.rules))) bad.push(`${s.name}: rules differ\n${out}`);
    } catch (e) {
      bad.push(`${s.name}: ${to} output does not parse: ${String(e)}\n${out}`);
    }
  }
  return bad;
}

const conformance = conformanceSources();
if (conformance) {
  test("conformance modules round-trip through the printer (v1)", () => {
    assert.equal(roundTrip(conformance.modules, "v1"), []);
  });
  test("conformance modules printed as v0 define the same rules", () => {
    assert.equal(crossVersion(conformance.modules, "v1", "v0"), []);
  });
}

const library = librarySources();
if (library) {
  const all = library.templates.flatMap((t) => t.sources);
  test("library templates round-trip through the printer (v0)", () => {
    assert.ok(all.length >= 49);
    assert.equal(roundTrip(all, "v0"), []);
  });
  test("library templates printed as v1 define the same rules", () => {
    assert.equal(crossVersion(all, "v0", "v1"), []);
  });
}

test.run();
