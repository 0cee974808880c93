import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileCel, fromCel, toCel, CelCompileError } from "../../../src/engine/cel/index.js";
import { checkCel } from "../../../src/engine/cel/check.js";

function ev(expr: string, bindings: Record<string, unknown> = {}): unknown {
  const r = compileCel(expr).eval(Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCel(v)])));
  return "error" in r ? { error: r.error } : fromCel(r.value);
}
const isError = (v: unknown) => typeof v === "object" && v !== null && "error" in v;

const pod = {
  metadata: { name: "p", labels: { app: "web", tier: "front" }, annotations: { "team.example.com/owner": "a" } },
  spec: { containers: [{ name: "a", image: "nginx:1.25" }, { name: "b", image: "b:2", securityContext: { privileged: true } }] },
};

// Expectations from the Kubernetes 1.33 announcement of two-variable comprehensions and cel-go's documentation.
test("two-variable comprehensions over lists (index, value) and maps (key, value)", () => {
  assert.is(ev("o.spec.containers.all(i, c, i < 2 && c.name != '')", { o: pod }), true);
  assert.is(ev("o.spec.containers.exists(i, c, i == 1 && has(c.securityContext))", { o: pod }), true);
  assert.is(ev("o.spec.containers.existsOne(i, c, c.image.startsWith('nginx'))", { o: pod }), true);
  assert.is(ev("o.metadata.labels.all(k, v, k.size() > 2 && v != '')", { o: pod }), true);
  assert.is(ev("o.metadata.labels.exists(k, v, k == 'tier' && v == 'front')", { o: pod }), true);
  assert.equal(ev("o.spec.containers.transformList(i, c, string(i) + ':' + c.name)", { o: pod }), ["0:a", "1:b"]);
  assert.equal(ev("o.spec.containers.transformList(i, c, i > 0, c.name)", { o: pod }), ["b"]);
  assert.equal(ev("{'a': 1, 'b': 2}.transformMap(k, v, v * 10)"), { a: 10, b: 20 });
  assert.equal(ev("{'a': 1, 'b': 2}.transformMap(k, v, v > 1, k + string(v))"), { b: "b2" });
  assert.equal(ev("o.metadata.annotations.transformMapEntry(k, v, {k.replace('/', '_'): v})", { o: pod }), { "team.example.com_owner": "a" });
  assert.ok(isError(ev("{'a': 1, 'b': 1}.transformMapEntry(k, v, {'x': v})")), "duplicate keys are an error");
  // Shadowing: the inner one-variable macro rebinds `v`; the outer `i` stays visible.
  assert.is(ev("[10, 20].all(i, v, [1, 2].exists(v, v == i + 1))"), true);
  assert.is(ev("[[1], [2, 3]].all(i, xs, xs.all(j, x, x > i))"), true);
  assert.throws(() => compileCel("[1].all(1, v, true)"), (e: unknown) => e instanceof CelCompileError);
  assert.throws(() => compileCel("[1].all(v, v, true)"), (e: unknown) => e instanceof CelCompileError);
});

test("optional values and syntax: .?, [?], {?}, [?x], orValue, or, optMap", () => {
  assert.is(ev("o.?spec.?hostNetwork.orValue(false)", { o: pod }), false);
  assert.equal(ev("o.metadata.?labels.app.orValue('none')", { o: pod }), "web");
  assert.equal(ev("o.metadata.labels[?'missing'].orValue('none')", { o: pod }), "none");
  assert.equal(ev("o.spec.containers[?5].orValue({'name': 'x'}).name", { o: pod }), "x");
  assert.is(ev("o.spec.containers[?1].securityContext.privileged.orValue(false)", { o: pod }), true);
  assert.is(ev("has(o.metadata.?labels.tier)", { o: pod }), true);
  assert.equal(ev("[?o.metadata.?labels.app, ?o.metadata.?labels.nope, 'x']", { o: pod }), ["web", "x"]);
  assert.equal(ev("{?'owner': o.metadata.?annotations.?owner, 'n': 1}", { o: pod }), { n: 1 });
  assert.is(ev("optional.none().or(optional.of(3)).value() == 3 && optional.ofNonZeroValue('').hasValue() == false"), true);
  assert.is(ev("optional.of(2).optMap(x, x * 3).value()"), 6);
  assert.ok(isError(ev("optional.none().value()")));
  // A `?` in a string or a ternary is left alone.
  assert.equal(ev("true ? '.?x [?y]' : 'n'"), ".?x [?y]");
});

test("cel.bind, the sets extension and Kubernetes' semver library", () => {
  assert.is(ev("cel.bind(names, o.spec.containers.map(c, c.name), 'a' in names && !('z' in names))", { o: pod }), true);
  assert.is(ev("cel.bind(x, 2, cel.bind(y, x * 3, [x, y].all(v, v > 1)))"), true);
  assert.is(ev("sets.contains(['a', 'b', 'c'], ['c', 'a']) && !sets.contains(['a'], ['a', 'b'])"), true);
  assert.is(ev("sets.equivalent([1, 2, 2], [2, 1]) && sets.equivalent([1], [1.0]) && !sets.equivalent([1], [1, 3])"), true);
  assert.is(ev("sets.intersects(o.spec.containers.map(c, c.name), ['b', 'x']) && !sets.intersects([1], [])", { o: pod }), true);
  assert.is(ev("isSemver('1.2.3-rc.1+build.5') && !isSemver('v1.2.3') && !isSemver('1.02.3') && !isSemver('1.2')"), true);
  assert.is(ev("isSemver('v1.2', true) && semver('v01.2', true) == semver('1.2.0')"), true);
  assert.equal(ev("[semver('1.2.3').major(), semver('1.2.3').minor(), semver('1.2.3').patch()]"), [1, 2, 3]);
  // SemVer 2.0.0 precedence: pre-releases before the release, numeric identifiers numerically, build ignored.
  assert.is(ev("semver('1.0.0-alpha').isLessThan(semver('1.0.0-alpha.1')) && semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta')) && semver('1.0.0-beta.2').isLessThan(semver('1.0.0-beta.11')) && semver('1.0.0-rc.1').isLessThan(semver('1.0.0'))"), true);
  assert.is(ev("semver('2.0.0').isGreaterThan(semver('1.99.99')) && semver('1.0.0+a').compareTo(semver('1.0.0+b')) == 0 && semver('1.0.0+a') == semver('1.0.0')"), true);
  assert.ok(isError(ev("semver('not')")));
  assert.equal(checkCel("cel.bind(xs, [1, 2], xs.all(x, x > 0)) && sets.contains(['a'], ['a']) && semver('1.0.0').isLessThan(semver('2.0.0'))", new Map()).errors, []);
});

test("format: cel-go's verbs, precision, lists and maps", () => {
  assert.equal(ev(`"%s has %d containers, %.2f%% used, %x %X %o %b %e".format(["p", 2, 12.3456, 255, 255, 8, 5, 1234.5])`), "p has 2 containers, 12.35% used, ff FF 10 101 1.234500e+03");
  assert.equal(ev(`"%s %s".format([[1, "a"], {"k": true}])`), `[1, a] {k: true}`);
  assert.ok(isError(ev(`"%d".format(["x"])`)));
  assert.ok(isError(ev(`"%s %s".format(["x"])`)));
});

test("the checker reads the same syntax, with positions in the user's text", () => {
  assert.equal(checkCel("object.spec.containers.all(i, c, i < 3 && c.name != '')", new Map()).errors, []);
  assert.equal(checkCel("object.?metadata.?labels.orValue({})", new Map()).errors, []);
  const bad = checkCel("object.?metadata.orValue(1) + [1].transformList(i, v, v + 'x').size()", new Map());
  assert.is(bad.errors.length, 1);
  assert.match(bad.errors[0]!.message, /no matching overload for '\+'/);
  // The offset is the one the same text gets without the optional syntax before it: the `?` rewrite shifts nothing.
  const alone = checkCel("[1].transformList(i, v, v + 'x').size()", new Map());
  assert.is(bad.errors[0]!.offset, "object.?metadata.orValue(1) + ".length + alone.errors[0]!.offset);
});

test("list and map literals are homogeneous, as the API server's CEL validates them: two scalar kinds do not compile", () => {
  const errs = (src: string) => checkCel(src, new Map()).errors.map((e) => e.message);
  assert.equal(errs("[1, 'a'].size() > 0"), ["expected type 'int' but found 'string'"]);
  assert.equal(errs("1.5 in [1, 2.0]"), ["expected type 'int' but found 'double'"]);
  assert.equal(errs("{'a': 1, 'b': true}.size() == 2"), ["expected type 'int' but found 'bool'"]);
  assert.equal(errs("{'a': 1, 2: 1}.size() == 2"), ["expected type 'string' but found 'int'"]);
  // One kind, dyn values and objects of any shape are fine.
  assert.equal(errs("['a', 'b'] + [dyn(1), 'x'] == [] && [object.metadata, object.spec].size() == 2 && {'k': [1], 'l': []}.size() > 0"), []);
});

test("constant regular expressions, durations and timestamps are validated when the CEL is checked, as the API server does", () => {
  const errs = (src: string) => checkCel(src, new Map()).errors.map((e) => e.message);
  assert.equal(errs("'a'.matches('[')"), ["invalid regular expression \"[\" given to 'matches': error parsing regexp: missing closing ]: `[`"]);
  assert.equal(errs("matches('a', '(')").length, 1);
  assert.equal(errs("'a'.findAll('+', 2).size() == 0").length, 1);
  assert.equal(errs("duration('1x') > duration('90s')"), ["invalid duration literal \"1x\""]);
  assert.equal(errs("timestamp('2024-13') < timestamp('2024-01-01T00:00:00Z')"), ["invalid timestamp literal \"2024-13\""]);
  // Valid literals, the global form of matches, and patterns that are not constants.
  assert.equal(errs("matches('abc', '^a') && 'x'.matches('^(?i)X$') && duration('1h30m') > duration('-1.5s') && timestamp('2024-01-01T00:00:00.5+02:00') > timestamp('2023-01-01T00:00:00Z') && 'a'.matches(string(1))"), []);
});

test.run();
