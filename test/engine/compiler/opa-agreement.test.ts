// Real-world Rego the engine once disagreed with OPA on: each program below is evaluated through
// the whole pipeline (parse → compile → plan → Wasm) and compared with what `opa eval` gives.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateKeyPairSync } from "node:crypto";
import { compile, loadModule } from "../../../src/engine/index.js";
import { DiagnosticError, type Diagnostic } from "../../../src/diagnostics/index.js";

type Files = Record<string, string>;

function evalQuery(files: Files, query: string, opts: { v?: "v0" | "v1"; input?: unknown; data?: unknown } = {}): unknown[] {
  const modules = Object.entries(files).map(([file, text]) => ({ file, text }));
  const m = loadModule(compile({ modules, queries: [{ name: "q", text: `x := ${query}` }], regoVersion: opts.v ?? "v1" }));
  if (opts.data !== undefined) m.setData(opts.data);
  return m.evaluate(opts.input, "q").map((r) => (r as { x: unknown }).x);
}

function errorsOf(files: Files, v: "v0" | "v1" = "v1"): Diagnostic[] {
  try {
    compile({ modules: Object.entries(files).map(([file, text]) => ({ file, text })), entrypoints: ["p"], regoVersion: v });
  } catch (e) {
    if (e instanceof DiagnosticError) return e.diagnostics;
    throw e;
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// One package over several modules
// ---------------------------------------------------------------------------------------------

test("rules of one package in several modules see each other (v1 and v0)", () => {
  assert.equal(evalQuery({ "m1.rego": "package p\nq := 1\n", "m2.rego": "package p\nr := q + 1\n" }, "data.p.r"), [2]);
  assert.equal(evalQuery({ "m1.rego": "package p\nq = 1 { true }\n", "m2.rego": "package p\nr = x { x := q + 1 }\n" }, "data.p.r", { v: "v0" }), [2]);
  // Both directions, and a rule used before the module that defines it.
  assert.equal(evalQuery({ "a.rego": "package p\nr := q * 10\n", "b.rego": "package p\nq := s + 1\n", "c.rego": "package p\ns := 4\n" }, "data.p.r"), [50]);
});

test("a _test.rego module calls violation defined in the template's module of the same package", () => {
  const files = {
    "template.rego": 'package k8srequiredlabels\nviolation[{"msg": msg}] {\n  not input.review.object.metadata.labels.owner\n  msg := "missing owner"\n}\n',
    "template_test.rego":
      'package k8srequiredlabels\ntest_missing { count(violation) == 1 with input as {"review": {"object": {"metadata": {"labels": {}}}}} }\n' +
      'test_present { count(violation) == 0 with input as {"review": {"object": {"metadata": {"labels": {"owner": "me"}}}}} }\n',
  };
  assert.equal(evalQuery(files, "data.k8srequiredlabels.test_missing", { v: "v0" }), [true]);
  assert.equal(evalQuery(files, "data.k8srequiredlabels.test_present", { v: "v0" }), [true]);
});

test("functions, partial sets and objects, and default split across modules", () => {
  const files = {
    "m1.rego": "package p\ndefault allow := false\nf(x) := x + 1 if x < 10\ns contains 1\no.a := 1\n",
    "m2.rego": 'package p\nallow if input.ok\nf(x) := x if x >= 10\ns contains 2\no[k] := 2 if k := "b"\nuse := [f(1), f(20), count(s), o]\n',
  };
  assert.equal(evalQuery(files, "data.p.use"), [[2, 20, 2, { a: 1, b: 2 }]]);
  assert.equal(evalQuery(files, "data.p.allow"), [false]);
  assert.equal(evalQuery(files, "data.p.allow", { input: { ok: true } }), [true]);
});

test("imports stay per module; rule names of the package are shared", () => {
  const files = { "m1.rego": "package p\nimport data.lib.x\nq := x\n", "m2.rego": "package p\nr := q\n", "lib.rego": "package lib\nx := 7\n" };
  assert.equal(evalQuery(files, "data.p.r"), [7]);
  const ds = errorsOf({ "m1.rego": "package p\nimport data.lib.x\n", "m2.rego": "package p\nr := x\n", "lib.rego": "package lib\nx := 7\n" });
  assert.equal(ds.map((d) => [d.code, d.message, d.span?.file, d.span?.line]), [["PC5201", "var x is unsafe", "m2.rego", 2]]);
});

test("conflicts between modules are reported as within one module", () => {
  const fnRule = errorsOf({ "m1.rego": "package p\nf(x) := 1\n", "m2.rego": "package p\nf := 2\n" });
  assert.equal(fnRule.map((d) => [d.code, d.span?.file, d.span?.line]), [["PC5107", "m2.rego", 2]]);
  const defaults = errorsOf({ "m1.rego": "package p\ndefault a := 1\n", "m2.rego": "package p\ndefault a := 2\n" });
  assert.equal(defaults.map((d) => [d.code, d.span?.file]), [["PC5106", "m2.rego"]]);
  const prefix = errorsOf({ "m1.rego": "package p\nq := 1\n", "m2.rego": "package p.q\nr := 2\n" });
  assert.equal(prefix.map((d) => d.code), ["PC5110"]);
  const emptyPackage = errorsOf({ "m1.rego": "package p\nq := 1\n", "m2.rego": "package p.q\n" });
  assert.equal(emptyPackage.map((d) => [d.code, d.span?.file]), [["PC5110", "m1.rego"]]);
  // Two complete definitions with different values conflict when evaluated, as in OPA.
  assert.throws(() => evalQuery({ "m1.rego": "package p\nq := 1\n", "m2.rego": "package p\nq := 2\n" }, "data.p.q"), /eval_conflict_error/);
});

// ---------------------------------------------------------------------------------------------
// Variable keys into data
// ---------------------------------------------------------------------------------------------

function siblings(n: number, extra: Files = {}): Files {
  const files: Files = { ...extra };
  for (let i = 1; i <= n; i++) files[`t${i}.rego`] = `package t.T${i}\nd := ${i}\n`;
  files["u.rego"] = "package u\nget(k) := data.t[k].d\n";
  return files;
}

test("a bound variable key into data over many sibling packages evaluates only the named one", () => {
  for (const n of [3, 9, 40]) {
    assert.equal(evalQuery(siblings(n), 'data.u.get("T1")'), [1], `${n} siblings`);
    assert.equal(evalQuery(siblings(n), `data.u.get("T${n}")`), [n], `${n} siblings, last`);
    assert.equal(evalQuery(siblings(n), 'data.u.get("nope")'), [], `${n} siblings, missing`);
  }
  // An unrelated sibling whose rules conflict when evaluated is never evaluated.
  const conflicting = siblings(9, { "bad.rego": "package t.T5\nx := 1 if true\nx := 2 if true\n" });
  assert.equal(evalQuery(conflicting, 'data.u.get("T1")'), [1]);
  assert.throws(() => evalQuery(conflicting, "data.t.T5.x"), /eval_conflict_error/);
});

test("a variable key reaches base documents beside the rule tree, and deeper refs continue from it", () => {
  const files = siblings(9, { "w.rego": "package w\nget(k, f) := data.t[k][f]\nall(k) := [v | some v in data.t[k]]\n" });
  const data = { t: { B1: { d: "base" } } };
  assert.equal(evalQuery(files, 'data.u.get("B1")', { data }), ["base"]);
  assert.equal(evalQuery(files, 'data.w.get("T2", "d")', { data }), [2]);
  assert.equal(evalQuery(files, 'data.w.all("T3")', { data }), [[3]]);
  // Two variable keys over nested packages, and keys computed from input (one or iterated).
  const nested = {
    "ax.rego": 'package t.A.x\nd := "ax"\n', "ay.rego": 'package t.A.y\nd := "ay"\n', "bx.rego": 'package t.B.x\nd := "bx"\n',
    "u.rego": "package u\nget(k, j) := data.t[k][j].d\nkeys(k) := {j | data.t[k][j]}\nfrom_input := data.t[input.k][input.j].d\neach contains v if v := data.t[input.ks[_]].x.d\n",
  };
  assert.equal(evalQuery(nested, '[data.u.get("A", "y"), data.u.get("B", "x"), data.u.keys("A")]'), [["ay", "bx", ["x", "y"]]]);
  assert.equal(evalQuery(nested, "[data.u.from_input, data.u.each]", { input: { k: "B", j: "x", ks: ["A", "B", "C"] } }), [["bx", ["ax", "bx"]]]);
  // An unbound key still iterates over every child and the base documents.
  assert.equal(evalQuery(files, "{k | is_number(data.t[k].d); data.t[k].d > 7}", { data }), [["T8", "T9"]]);
  assert.equal(evalQuery(files, "{k | is_string(data.t[k].d)}", { data }), [["B1"]]);
});

// ---------------------------------------------------------------------------------------------
// with, comprehension heads, locals named input
// ---------------------------------------------------------------------------------------------

test("a with value that iterates gives one solution per value", () => {
  const files = { "p.rego": "package p\nxs := [1, 2]\nr[y] { y := input.a with input.a as xs[_] }\n" };
  assert.equal(evalQuery(files, "data.p.r", { v: "v0" }), [[1, 2]]);
  const v1 = { "p.rego": 'package p\nq := input.a\nr contains y if { y := q with input.a as [1, 2][_] }\ns contains y if { y := q with input.a as {"k": 3}[_] with data.x as 1 }\n' };
  assert.equal(evalQuery(v1, "data.p.r"), [[1, 2]]);
  assert.equal(evalQuery(v1, "data.p.s"), [[3]]);
  // The value is evaluated against the outer input, not the one an earlier `with` replaced.
  const outer = { "p.rego": "package p\nq := [input.a, input.b]\nr := x if { x := q with input.a as 1 with input.b as input.a }\n" };
  assert.equal(evalQuery(outer, "data.p.r", { input: { a: 9 } }), [[1, 9]]);
  // Values that are calls, sets built by comprehensions, objects holding iteration, under `not`.
  const shapes = {
    "w.rego": 'package w\nxs := [1, 2, 3]\nf(x) := x * 10\nq := input.v\nbig if input.v > 1\nb contains y if { some i; y := q with input.v as f(xs[i]) }\nc contains x if { some x in xs; not big with input.v as x }\nd := [y | y := q with input.v as {x | some x in xs}]\ne contains y if { y := q with input as {"v": xs[_]} }\n',
  };
  assert.equal(evalQuery(shapes, "[data.w.b, data.w.c, data.w.d, data.w.e]"), [[[10, 20, 30], [1], [[1, 2, 3]], [1, 2, 3]]]);
  // A function named as a with value is a replacement, not a value to evaluate.
  const fn = { "p.rego": "package p\nf(x) := x + 1\ng(x) := x * 10\nh(_) := 42\nr := x if { x := f(2) with f as g }\nc := x if { x := count([1, 2]) with count as h }\n" };
  assert.equal(evalQuery(fn, "[data.p.r, data.p.c]"), [[20, 42]]);
});

test("comprehension heads with _ and refs iterate, in functions, rules and queries", () => {
  const files = {
    "p.rego": 'package p\nf(t) := {t.a[_] | true}\ng(t) := [x.n | some x in t]\nh(t) := {k: t[k][_] | some k, _ in t}\nq := f({"a": [1, 2]})\n',
  };
  assert.equal(evalQuery(files, "data.p.q"), [[1, 2]]);
  assert.equal(evalQuery(files, 'data.p.g([{"n": 1}, {"n": 2}, {"m": 3}])'), [[1, 2]]);
  assert.equal(evalQuery(files, 'data.p.h({"a": [7]})'), [{ a: 7 }]);
  assert.equal(evalQuery({}, "{input.a[_] | true}", { input: { a: [3, 3, 4] } }), [[3, 4]]);
  // Heads that are comprehensions, calls and composites of refs.
  const more = {
    "h.rego": "package h\nys := [[1, 2], [3]]\nnested := [[x | some x in y] | some y in ys]\ncalls := [count(y) | some y in ys]\npairs := [[y[0], 1] | some y in ys]\nobj := {k: [v | v := ys[k][_]] | some k, _ in ys}\n",
  };
  assert.equal(evalQuery(more, "[data.h.nested, data.h.calls, data.h.pairs, data.h.obj]"), [[[[1, 2], [3]], [2, 1], [[1, 1], [3, 1]], { 0: [1, 2], 1: [3] }]]);
});

test("Rego v0 allows a local named input or data; v1 rejects it", () => {
  const v0 = { "p.rego": 'package p\nq { input.x == 1 }\nr { input := {"x": 1}; q with input as input }\ns = y { data := {"k": 2}; y := data.k }\n' };
  assert.equal(evalQuery(v0, "data.p.r", { v: "v0" }), [true]);
  assert.equal(evalQuery(v0, "data.p.s", { v: "v0" }), [2]);
  const ds = errorsOf({ "p.rego": 'package p\nr if { input := {"x": 1}; input.x == 1 }\n' });
  assert.equal(ds.map((d) => d.code), ["PC5207"]);
});
test("io.jwt.encode_sign and encode_sign_raw sign with a JWK set's first key, as OPA's jwk.Parse reads the key", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const priv = JSON.stringify(privateKey.export({ format: "jwk" }));
  const pub = JSON.stringify(publicKey.export({ format: "jwk" }));
  const files = {
    "p.rego": `package p
priv := ${priv}
pub := ${pub}
jwks := {"keys": [priv]}
one := io.jwt.encode_sign({"alg": "RS256"}, {"sub": "a"}, priv)
set := io.jwt.encode_sign({"alg": "RS256"}, {"sub": "a"}, jwks)
raw := io.jwt.encode_sign_raw(\`{"alg":"RS256"}\`, \`{"sub":"a"}\`, json.marshal(jwks))
ok := [set == one, raw == one, io.jwt.verify_rs256(set, json.marshal({"keys": [pub]}))]
# A rule that signs in a function, as a test helper does, and a key set under with.
sign(claims) := io.jwt.encode_sign({"alg": "RS256"}, claims, {"keys": [data.keys.k]})
claims := io.jwt.decode(sign({"iss": "x"}))[1] if true
claims_with := c if { c := claims with data.keys.k as priv }
`,
  };
  assert.equal(evalQuery(files, "data.p.ok"), [[true, true, true]]);
  assert.equal(evalQuery(files, "data.p.claims", { data: { keys: { k: JSON.parse(priv) } } }), [{ iss: "x" }]);
  assert.equal(evalQuery(files, "data.p.claims_with"), [{ iss: "x" }]);
  // An empty set, an unknown alg and (with no typ, or typ JWT) a payload that is not JSON are errors,
  // so the expression is undefined; any other typ signs any payload.
  assert.equal(evalQuery(files, 'io.jwt.encode_sign({"alg": "RS256"}, {}, {"keys": []})'), []);
  assert.equal(evalQuery(files, 'io.jwt.encode_sign({"alg": "none"}, {}, data.p.priv)'), []);
  assert.equal(evalQuery(files, 'io.jwt.encode_sign_raw(`{"alg":"RS256"}`, "not json", json.marshal(data.p.priv))'), []);
  assert.equal(evalQuery(files, 'io.jwt.encode_sign_raw(`{"alg":"RS256","typ":"JWT"}`, "not json", json.marshal(data.p.priv))'), []);
  assert.equal(evalQuery(files, 'count(io.jwt.encode_sign_raw(`{"alg":"RS256","typ":"text"}`, "not json", json.marshal(data.p.priv))) > 0'), [true]);
});
test.run();
