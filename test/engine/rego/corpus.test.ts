/**
 * Every module, query and input_term of the OPA conformance corpus parses as v1, and the Rego and
 * libs of every Gatekeeper library template parse as v0.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { requireShared } from "../../support/shared.js";
import { parseModule, parseQuery, parseTerm, RegoParseError } from "../../../src/engine/rego/index.js";
import { loadLibraryRego } from "../../../src/engine/rego/bench.js";
import { conformanceSources, librarySources, type Source } from "./corpus.js";

function failures(sources: Source[], parse: (s: Source) => unknown): string[] {
  const out: string[] = [];
  for (const s of sources) {
    try {
      parse(s);
    } catch (e) {
      out.push(`${s.name}: ${e instanceof RegoParseError ? e.message : String(e)}`);
    }
  }
  return out;
}

const conformance = conformanceSources();
if (conformance) {
  test("all conformance modules parse (v1)", () => {
    assert.ok(conformance.modules.length > 2000, `only ${conformance.modules.length} modules found`);
    const bad = failures(conformance.modules, (s) => parseModule(s.text, { file: s.name, regoVersion: "v1" }));
    assert.equal(bad, []);
  });
  test("all conformance queries parse (v1)", () => {
    assert.is(conformance.queries.length, 2067);
    assert.equal(failures(conformance.queries, (s) => parseQuery(s.text, { file: s.name, regoVersion: "v1" })), []);
  });
  test("all conformance input_terms parse", () => {
    assert.ok(conformance.terms.length > 50);
    assert.equal(failures(conformance.terms, (s) => parseTerm(s.text, { file: s.name, regoVersion: "v1" })), []);
  });
}

const library = librarySources();
if (library) {
  test("all 49 Gatekeeper library templates and their libs parse (v0)", () => {
    assert.is(library.templates.length, 49);
    assert.equal(library.templates.filter((t) => t.sources.length === 0).map((t) => t.name), []);
    const all = library.templates.flatMap((t) => t.sources);
    assert.equal(failures(all, (s) => parseModule(s.text, { file: s.name, regoVersion: "v0" })), []);
  });
  test("the benchmark hook loads the same library sources", () => {
    const root = requireShared("corpora/gatekeeper-library/library", "bench loader")!;
    const loaded = loadLibraryRego(root);
    assert.is(loaded.templates, 49);
    assert.equal(loaded.sources.map((s) => s.text), library.templates.flatMap((t) => t.sources.map((s) => s.text)));
  });
}

test.run();
