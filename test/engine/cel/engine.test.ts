import { test } from "uvu";
import * as assert from "uvu/assert";
import { compileCel, CelCompileError, fromCel, toCel } from "../../../src/engine/cel/index.js";
import { runConformanceSubset } from "../../../src/engine/cel/conformance.js";
import { evaluateK8sNativeValidation, compileK8sNativeValidation, CelSourceError } from "../../../src/testing/gatekeeper/k8s-native-validation.js";

function evalJson(expr: string, bindings: Record<string, unknown> = {}): unknown {
  const r = compileCel(expr).eval(Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, toCel(v)])));
  if ("error" in r) return { error: r.error };
  return fromCel(r.value);
}

const pod = {
  metadata: { name: "p", labels: { app: "web" } },
  spec: {
    containers: [
      { name: "a", image: "nginx:1.25", securityContext: { privileged: true, runAsUser: 0 } },
      { name: "b", image: "registry.example.com/b@sha256:00" },
    ],
  },
};

test("standard CEL over a JSON object: has, macros, ints from JSON, string conversion", () => {
  assert.is(evalJson("has(o.spec.containers) && !has(o.spec.initContainers)", { o: pod }), true);
  assert.equal(evalJson("o.spec.containers.filter(c, has(c.securityContext) && c.securityContext.privileged).map(c, c.name)", { o: pod }), ["a"]);
  assert.is(evalJson("o.spec.containers.all(c, c.image.matches('^[a-z.]+(/[a-z]+)?[:@]'))", { o: pod }), true);
  // JSON integers are CEL ints, so integer literals compare and convert as in the API server.
  assert.is(evalJson("o.spec.containers[0].securityContext.runAsUser == 0 && string(size(o.spec.containers)) == '2'", { o: pod }), true);
  assert.is(evalJson("'app' in o.metadata.labels && o.metadata.labels.app.startsWith('w')", { o: pod }), true);
  assert.equal(evalJson("o.spec.initContainers", { o: pod }), { error: "field not found: initContainers" });
});

test("Kubernetes strings, regex and list libraries", () => {
  assert.is(evalJson("['a', 'b'].join(', ')"), "a, b");
  assert.is(evalJson("'Registry.Example'.lowerAscii()"), "registry.example");
  assert.is(evalJson("'a*b*'.replace('*', '')"), "ab");
  assert.equal(evalJson("'a,b,c'.split(',')"), ["a", "b", "c"]);
  assert.is(evalJson("'image:v1.2'.find('v[0-9.]+')"), "v1.2");
  assert.is(evalJson("matches('image:v1.2', ':v[0-9]') && !matches('x', '^y')"), true);
  assert.equal(evalJson("'a1b22c333'.findAll('[0-9]+')"), ["1", "22", "333"]);
  assert.equal(evalJson("'a1b22c333'.findAll('[0-9]+', 2)"), ["1", "22"]);
  assert.is(evalJson("[1, 2, 2, 5].isSorted() && ![2, 1].isSorted()"), true);
  assert.is(evalJson("[1, 2, 3].sum()"), 6);
  assert.is(evalJson("[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3"), true);
  assert.is(evalJson("['x', 'y', 'x'].indexOf('x') == 0 && ['x', 'y', 'x'].lastIndexOf('x') == 2 && ['x'].indexOf('z') == -1"), true);
});

test("split and replace take cel-go's limits: at most n parts (the last holds the rest), the first n matches, every one when negative", () => {
  assert.equal(evalJson("'a b c'.split(' ', 2)"), ["a", "b c"]);
  assert.equal(evalJson("'k=v=w'.split('=', 2)"), ["k", "v=w"]);
  assert.equal(evalJson("'a b c'.split(' ', 0)"), []);
  assert.equal(evalJson("'a b c'.split(' ', 1)"), ["a b c"]);
  assert.equal(evalJson("'a b c'.split(' ', -1)"), ["a", "b", "c"]);
  assert.equal(evalJson("'a b c'.split(' ', 9)"), ["a", "b", "c"]);
  assert.equal(evalJson("'héllo'.split('', 3)"), ["h", "é", "llo"]);
  assert.is(evalJson("'a-a-a'.replace('a', 'b', -1)"), "b-b-b");
  assert.is(evalJson("'a-a-a'.replace('a', 'b', 2)"), "b-b-a");
  assert.is(evalJson("'a-a-a'.replace('a', 'b', 0)"), "a-a-a");
  assert.is(evalJson("'ab'.replace('', '_')"), "_a_b_");
  assert.is(evalJson("'ab'.replace('', '_', 2)"), "_a_b");
  assert.is(evalJson("'x.y.z'.replace('.', '')"), "xyz");
});

test("the list library orders and sums uints, durations and timestamps as well as ints and doubles", () => {
  assert.is(evalJson("[duration('1m'), duration('30s')].sum() == duration('90s')"), true);
  assert.is(evalJson("[duration('-1s'), duration('500ms')].sum() == duration('-500ms')"), true);
  assert.is(evalJson("[1u, 2u].sum() == 3u"), true);
  assert.is(evalJson("[0.5, 0.25].sum()"), 0.75);
  assert.is(evalJson("[duration('1h'), duration('2m')].min() == duration('2m') && [duration('1h'), duration('2m')].max() == duration('1h')"), true);
  assert.is(evalJson("[timestamp('2024-01-01T00:00:00Z'), timestamp('2025-01-01T00:00:00Z')].isSorted()"), true);
  assert.is(evalJson("[3u, 1u].min() == 1u && [2u, 3u].indexOf(3u) == 1"), true);
  // Durations, timestamps and the Kubernetes types compare by value in indexOf, the sets library and optionals.
  assert.is(evalJson("[duration('1s'), duration('2s')].indexOf(duration('2s'))"), 1);
  assert.is(evalJson("[timestamp('2024-01-01T00:00:00Z'), timestamp('2025-01-01T00:00:00Z')].lastIndexOf(timestamp('2024-01-01T00:00:00Z'))"), 0);
  assert.is(evalJson("sets.contains([duration('1s')], [duration('2s')]) || !sets.equivalent([duration('60s')], [duration('1m')])"), false);
  assert.is(evalJson("sets.contains([quantity('1k')], [quantity('1000')]) && !sets.intersects([quantity('1')], [quantity('2')])"), true);
  assert.is(evalJson("optional.of(duration('1s')) != optional.of(duration('2s')) && optional.of(duration('1s')) == optional.of(duration('1s'))"), true);
  assert.is(evalJson("[b'a', b'b'].isSorted() && ![true, false].isSorted()"), true);
  assert.ok((evalJson("[[1], [2]].min()") as { error?: string }).error);
  assert.ok((evalJson("['a', 1].sum()") as { error?: string }).error);
});

test("conversions between strings and numbers are cel-go's (Go's strconv and %g), not JavaScript's", () => {
  assert.is(evalJson("string(123456.0)"), "123456");
  assert.is(evalJson("string(1234567.0)"), "1.234567e+06");
  assert.is(evalJson("string(0.00001)"), "1e-05");
  assert.is(evalJson("string(-2.5e10)"), "-2.5e+10");
  assert.is(evalJson("string(123.456)"), "123.456");
  assert.is(evalJson("string(1.0 / 0.0)"), "+Inf");
  assert.is(evalJson("int('+5') + int('-5')"), 0);
  assert.is(evalJson("uint('300') == 300u && double('-84.32e7') == -843200000.0 && double('.5') == 0.5"), true);
  assert.is(evalJson("double('-Inf') < 0.0 && double('NaN') != double('NaN')"), true);
  for (const bad of ["int(' 10')", "int('')", "int('0x10')", "int('1_000')", "int('9223372036854775808')", "uint('+1')", "uint('-1')", "double('')", "double(' 1')", "double('0x10')"]) {
    assert.match((evalJson(bad) as { error?: string }).error ?? "", /strconv\.Parse(Int|Uint|Float): parsing .*: (invalid syntax|value out of range)/, bad);
  }
});

test("named formats: format.<name>().validate(s) is none when valid, else the problems in apimachinery's words; format.named is an optional", () => {
  assert.is(evalJson("format.dns1123Label().validate('web-1').hasValue()"), false);
  assert.equal(evalJson("format.dns1123Label().validate('Web_1').value()"), [
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
  ]);
  assert.equal(evalJson("format.dns1123Label().validate(s).value()", { s: "a".repeat(64) }), ["must be no more than 63 characters"]);
  assert.equal(evalJson("format.dns1035Label().validate(s).value().size()", { s: "1" + "a".repeat(63) }), 2);
  assert.is(evalJson("format.dns1123Subdomain().validate('apps.example.com').hasValue() || format.dns1123Subdomain().validate('-x.com').hasValue() == false"), false);
  assert.is(evalJson("format.dns1123LabelPrefix().validate('web-').hasValue() || !format.dns1123Label().validate('web-').hasValue()"), false);
  assert.is(evalJson("format.qualifiedName().validate('example.com/MyName').hasValue() || format.qualifiedName().validate('/x').hasValue() == false"), false);
  assert.is(evalJson("format.labelValue().validate('').hasValue() || format.labelValue().validate('-a').hasValue() == false"), false);
  assert.is(evalJson("format.named('uuid').value().validate('123e4567-e89b-12d3-a456-426614174000').hasValue() || format.named('nope').hasValue()"), false);
  assert.is(evalJson("format.date().validate('2024-02-29').hasValue() || !format.date().validate('2023-02-29').hasValue()"), false);
  assert.is(evalJson("format.datetime().validate('2024-01-01T10:00:00+02:00').hasValue() || !format.datetime().validate('2024-01-01 10:00').hasValue()"), false);
  assert.is(evalJson("format.byte().validate('aGVsbG8=').hasValue() || !format.byte().validate('aGVsbG8').hasValue()"), false);
  const policy = compileK8sNativeValidation({ validations: [{ expression: "!format.dns1123Label().validate(object.metadata.name).hasValue()", messageExpression: "format.dns1123Label().validate(object.metadata.name).value().join('; ')" }] });
  assert.equal(evaluateK8sNativeValidation(policy, review({ metadata: { name: "ok-name" } })), []);
  assert.match(evaluateK8sNativeValidation(policy, review({ metadata: { name: "Bad_Name" } }))[0]!.msg, /^a lowercase RFC 1123 label must consist/);
});

test("a syntax error is a CelCompileError", () => {
  assert.throws(() => compileCel("a &&"), (e: unknown) => e instanceof CelCompileError);
});

const review = (object: unknown, operation = "CREATE") => ({ review: { operation, object, kind: { kind: "Pod" } }, parameters: { exempt: ["b"] } });

test("K8sNativeValidation: Gatekeeper's variables, message precedence, errors as violations", () => {
  const policy = compileK8sNativeValidation({
    variables: [
      { name: "bad", expression: "variables.anyObject.spec.containers.filter(c, !(c.name in variables.params.exempt)).map(c, c.name)" },
      { name: "broken", expression: "variables.anyObject.spec.nothing" },
    ],
    validations: [
      { expression: "size(variables.bad) == 0", messageExpression: "'not exempt: ' + variables.bad.join(', ')", message: "fallback" },
      { expression: "size(variables.bad) == 0", messageExpression: "''", message: "blank message expressions fall back" },
      { expression: "request.operation == 'UPDATE'" },
      { expression: "size(variables.broken) == 0" },
      { expression: "object.metadata.name == 'p'" },
    ],
  });
  const got = evaluateK8sNativeValidation(policy, review(pod)).map((r) => r.msg);
  assert.is(got.length, 4);
  assert.is(got[0], "not exempt: a");
  assert.is(got[1], "blank message expressions fall back");
  assert.is(got[2], "failed expression: request.operation == 'UPDATE'");
  assert.match(got[3]!, /^size\(variables\.broken\) == 0: /);
  // On DELETE without an object, anyObject is the old object.
  const del = { review: { operation: "DELETE", object: null, oldObject: pod }, parameters: { exempt: ["a", "b"] } };
  const onlyFirst = compileK8sNativeValidation({ variables: [{ name: "n", expression: "variables.anyObject.metadata.name" }], validations: [{ expression: "variables.n != 'p'", message: "old" }] });
  assert.equal(evaluateK8sNativeValidation(onlyFirst, del).map((r) => r.msg), ["old"]);
});

test("K8sNativeValidation: bad sources name the field", () => {
  assert.throws(() => compileK8sNativeValidation({ validations: [{ expression: "a ||" }] }), (e: unknown) => e instanceof CelSourceError && e.path === "validations[0].expression");
  assert.throws(() => compileK8sNativeValidation({ variables: [{ name: "x-y", expression: "1" }] }), (e: unknown) => e instanceof CelSourceError && e.path === "variables[0].name");
});

test("CEL conformance subset (@bufbuild/cel-spec): every claimed test passes", () => {
  const results = runConformanceSubset();
  const failed = results.filter((r) => !r.ok);
  console.log(`  CEL conformance subset: ${results.length - failed.length}/${results.length} passed`);
  assert.ok(results.length > 500, `the subset has ${results.length} tests`);
  assert.equal(failed.map((f) => `${f.name}: ${f.expr} (${f.detail})`), []);
});

test("K8sNativeValidation: namespaceObject is the object's Namespace when known, else null", () => {
  const policy = compileK8sNativeValidation({
    validations: [{ expression: "namespaceObject == null || !has(namespaceObject.metadata.labels) || !('restricted' in namespaceObject.metadata.labels)", messageExpression: "'namespace ' + namespaceObject.metadata.name + ' is restricted'" }],
  });
  const input = review({ ...pod, metadata: { ...pod.metadata, namespace: "team" } });
  assert.equal(evaluateK8sNativeValidation(policy, input).map((r) => r.msg), []);
  const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "team", labels: { restricted: "yes" } } };
  assert.equal(evaluateK8sNativeValidation(policy, input, { namespaceObject: ns }).map((r) => r.msg), ["namespace team is restricted"]);
});

test.run();
