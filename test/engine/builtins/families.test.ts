// time, net, semver/uuid, crypto, jwt, json schema and template built-ins through the SDK calling
// convention. Expected values follow Go OPA (documentation and OPA's conformance cases).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { generateKeyPairSync } from "node:crypto";
import { hostBuiltins } from "../../../src/engine/builtins/index.js";

const bi = hostBuiltins();
const call = (name: string, ...args: unknown[]) => {
  const f = bi[`policyc.${name}`];
  if (!f) throw new Error(`no built-in ${name}`);
  return f(...args);
};

test("time: Go layouts, zones, ranges, durations", () => {
  assert.equal(call("time.parse_ns", "2006-01-02T15:04:05Z07:00", "2017-06-02T19:00:00-07:00"), { $num: "1496455200000000000" });
  assert.equal(call("time.parse_ns", "RFC822Z", "02 Jun 17 19:00 -0700"), { $num: "1496455200000000000" });
  assert.equal(call("time.parse_rfc3339_ns", "1677-09-21T00:12:43.145224192-00:00"), { $num: "-9223372036854775808" });
  assert.is(call("time.parse_rfc3339_ns", "2262-04-11T23:47:16.854775808-00:00"), undefined);
  assert.is(call("time.parse_duration_ns", "1h2m3.5s"), 3723500000000);
  assert.is(call("time.parse_duration_ns", "100ms"), 100000000);
  assert.equal(call("time.date", [1517814000 * 1e9, "America/Los_Angeles"]), [2018, 2, 4]);
  assert.equal(call("time.clock", [1517832000 * 1e9, "America/New_York"]), [7, 0, 0]);
  assert.is(call("time.weekday", 1517918400 * 1e9), "Tuesday");
  assert.is(call("time.format", 1517832000 * 1e9), "2018-02-05T12:00:00Z");
  assert.is(call("time.format", [1517832000 * 1e9, "America/New_York", "Mon Jan _2 15:04:05 -0700 2006"]), "Mon Feb  5 07:00:00 -0500 2018");
  assert.equal(call("time.add_date", 1517832000 * 1e9, 0, 1, 0), { $num: "1520251200000000000" });
  assert.equal(call("time.diff", 1517832000 * 1e9, 0), [48, 1, 4, 12, 0, 0]);
  const a = call("time.now_ns");
  assert.equal(call("time.now_ns"), a, "one value per evaluation");
});

test("net: CIDR containment, merge, expand, IPv6 printing", () => {
  assert.is(call("net.cidr_contains", "10.0.0.0/8", "10.1.2.3"), true);
  assert.is(call("net.cidr_contains", "10.0.0.0/8", "11.0.0.0/24"), false);
  assert.is(call("net.cidr_intersects", "192.168.0.0/16", "192.168.1.0/24"), true);
  assert.is(call("net.cidr_contains", "2001:db8::/32", "2001:db8:1::1"), true);
  assert.equal(call("net.cidr_merge", ["192.0.128.0/24", "192.0.129.0/24"]), { $set: ["192.0.128.0/23"] });
  assert.equal(call("net.cidr_merge", ["2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64"]), { $set: ["2601:600:8a80:207e::/64"] });
  assert.equal(call("net.cidr_expand", "192.168.0.0/31"), { $set: ["192.168.0.0", "192.168.0.1"] });
  assert.equal(call("net.cidr_contains_matches", ["1.1.2.0/24", "1.1.1.0/24"], ["1.1.1.1", "1.1.2.1"]), { $set: [[0, 1], [1, 0]] });
  assert.is(call("net.cidr_is_valid", "10.0.0.0/33"), false);
  assert.equal(call("net.lookup_ip_addr", "::"), { $set: ["::"] });
});

test("semver and uuid", () => {
  assert.is(call("semver.compare", "1.0.0-alpha", "1.0.0"), -1);
  assert.is(call("semver.compare", "1.0.0-alpha.1", "1.0.0-alpha.beta"), -1);
  assert.is(call("semver.compare", "1", "1.0.0"), undefined);
  assert.is(call("semver.is_valid", "1.2.3+build"), true);
  assert.equal(call("uuid.parse", "000003e8-48b9-21ee-b200-325096b39f47"), {
    version: 2,
    variant: "RFC4122",
    time: { $num: "1693566990121469600" },
    clocksequence: 12800,
    nodeid: "32-50-96-b3-9f-47",
    macvariables: "local:unicast",
    domain: "Person",
    id: 1000,
  });
  assert.is(call("uuid.rfc4122", "k"), call("uuid.rfc4122", "k"));
});

test("crypto hashes", () => {
  assert.is(call("crypto.sha256", "hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  assert.is(call("crypto.md5", ""), "d41d8cd98f00b204e9800998ecf8427e");
  assert.is(call("crypto.hmac.sha256", "msg", "key"), "2d93cbc1be167bcb1637a4a23cbff01a7878f0c50ee833954ea5221bb1b8c628");
  assert.is(call("crypto.hmac.equal", "a", "a"), true);
});

test("jwt: sign, decode, verify and decode_verify constraints", () => {
  const tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";
  assert.equal(call("io.jwt.decode", tok), [{ alg: "HS256", typ: "JWT" }, { iss: "opa", sub: "0" }, "5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576"]);
  assert.is(call("io.jwt.decode", "abc"), undefined);
  const jwk = { kty: "oct", k: Buffer.from("secret").toString("base64url") };
  const signed = call("io.jwt.encode_sign", { alg: "HS256", typ: "JWT" }, { iss: "me", exp: 2000000000 }, jwk) as string;
  assert.is(call("io.jwt.verify_hs256", signed, "secret"), true);
  assert.is(call("io.jwt.verify_hs256", signed, "other"), false);
  assert.equal(call("io.jwt.decode_verify", signed, { secret: "secret", iss: "me", time: 1e18 }), [true, { alg: "HS256", typ: "JWT" }, { iss: "me", exp: 2000000000 }]);
  assert.equal(call("io.jwt.decode_verify", signed, { secret: "secret", iss: "you", time: 1e18 }), [false, {}, {}]);
  assert.equal(call("io.jwt.decode_verify", signed, { secret: "secret", time: 3e18 }), [false, {}, {}], "expired");
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const es = call("io.jwt.encode_sign", { alg: "ES256" }, { a: 1 }, privateKey.export({ format: "jwk" })) as string;
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  assert.is(call("io.jwt.verify_es256", es, pem), true);
  assert.is(call("io.jwt.verify_es256", es, JSON.stringify({ keys: [publicKey.export({ format: "jwk" })] })), true);
  assert.is(call("io.jwt.verify_rs256", es, pem), false);
});

test("json schema and templates", () => {
  const schema = { properties: { id: { type: "integer" } }, required: ["id"] };
  assert.equal(call("json.match_schema", { id: 5 }, schema), [true, []]);
  assert.equal(call("json.match_schema", { id: "foo" }, schema), [
    false,
    [{ error: "id: Invalid type. Expected: integer, given: string", type: "invalid_type", field: "id", desc: "Invalid type. Expected: integer, given: string" }],
  ]);
  assert.equal(call("json.verify_schema", '{"type": "boolean"}'), [true, null]);
  assert.equal(call("json.verify_schema", { type: "unknown_type" }), [
    false,
    "jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]",
  ]);
  // gojsonschema's shapes as OPA reports them: root context `(Root)`, nested fields joined with dots.
  const errs = (doc: unknown, sch: unknown) => (call("json.match_schema", doc, sch) as [boolean, { error: string; type: string }[]])[1].map((e) => [e.type, e.error]);
  assert.equal(errs({ a: 3, b: "x" }, { properties: { a: { type: "number" } }, additionalProperties: false }), [
    ["additional_property_not_allowed", "(Root): Additional property b is not allowed"],
  ]);
  assert.equal(errs({}, { required: ["name"] }), [["required", "(Root): name is required"]]);
  assert.equal(errs('[{"a": "b"}]', { type: "array", items: { properties: { a: { type: "number" } } } }), [
    ["invalid_type", "0.a: Invalid type. Expected: number, given: string"],
  ]);
  // Sibling properties' errors come in no promised order (gojsonschema walks a Go map).
  assert.equal(errs({ n: 1, s: "ab", l: [1] }, { properties: { n: { minimum: 2 }, s: { maxLength: 1, pattern: "^z" }, l: { minItems: 2 } } }).sort(), [
    ["array_min_items", "l: Array must have at least 2 items"],
    ["number_gte", "n: Must be greater than or equal to 2"],
    ["pattern", "s: Does not match pattern '^z'"],
    ["string_lte", "s: String length must be less than or equal to 1"],
  ]);
  assert.equal(errs({ t: true }, { properties: { t: { type: ["string", "number"] } } }), [["invalid_type", "t: Invalid type. Expected: [string,number], given: boolean"]]);
  assert.equal(call("json.verify_schema", ["something"]), [false, "jsonschema: wrong type, expected string or object"]);
  assert.is(call("json.match_schema", [{ a: 1 }], {}), undefined, "an array document is a built-in error (undefined)");
  assert.is(call("strings.render_template", "{{range $i, $name := .n}}{{if $i}},{{end}}hello {{$name}}{{end}}", { n: ["a", "b"] }), "hello a,hello b");
  assert.is(call("strings.render_template", "test {{.foo}} {{.baz}}", { baz: 1 }), "test <undefined> 1");
  // Go's text/template: else-if chains, with, pipelines, variables, functions, Go's %v of maps and slices.
  const rt = (t: string, v: unknown) => call("strings.render_template", t, v);
  assert.is(rt('{{if eq .k "a"}}A{{else if eq .k "b"}}B{{else}}C{{end}}', { k: "b" }), "B");
  assert.is(rt("{{with .m}}{{.x}}{{else}}none{{end}}|{{with .n}}{{.}}{{else}}none{{end}}", { m: { x: 5 } }), "5|none");
  assert.is(rt('{{.s | printf "%q"}} {{len .l}} {{printf "%s-%d" .s 3}} {{index .l 1}}', { s: "hi", l: [1, 2, 3] }), '"hi" 3 hi-3 2');
  assert.is(rt('{{$x := .a}}{{$x}}{{$x = "z"}}{{$x}} {{$.a}}', { a: "y" }), "yz y");
  assert.is(rt("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}{{range .e}}{{.}}{{else}}empty{{end}}", { m: { b: 2, a: 1 }, e: [] }), "a=1;b=2;empty");
  assert.is(rt("{{range .l}}{{if eq . 3}}{{break}}{{end}}{{.}}{{end}}", { l: [1, 2, 3, 4] }), "12");
  assert.is(rt("{{.m}} {{.l}} {{.n}} {{and .a .b}} {{or .c .a}} {{not .c}}", { m: { b: [1], a: "x" }, l: ["p", 2], n: null, a: "x", b: "y", c: "" }), "map[a:x b:[1]] [p 2] <nil> y x true");
  assert.is(rt("a  {{- .x -}}  b{{/* note */}}", { x: 1 }), "a1b");
  assert.is(rt("{{if .z}}data numbers are json.Number text, never false{{end}}", { z: 0 }), "data numbers are json.Number text, never false");
  assert.is(rt("{{nosuch .a}}", { a: 1 }), undefined, "an undefined function is an error");
  // Named templates: define/template/block, the argument as dot and $, Go's definition rules.
  assert.is(rt('{{define "item"}}<{{.}}>{{end}}{{range .xs}}{{template "item" .}}{{end}}', { xs: [1, 2] }), "<1><2>");
  assert.is(rt('{{block "greet" .name}}Hello {{.}}{{end}}!', { name: "bob" }), "Hello bob!");
  assert.is(rt('{{define "t"}}[{{.}}|{{$}}]{{end}}{{template "t"}} {{template "t" .x}}', { x: 1 }), "[<nil>|<nil>] [1|1]");
  assert.is(rt('{{define "list"}}{{range $i, $v := .}}{{if $i}}, {{end}}{{$v.name}}{{end}}{{end}}Users: {{template "list" .users}}', { users: [{ name: "a" }, { name: "b" }] }), "Users: a, b");
  assert.is(rt('{{define "a"}} {{end}}{{define "a"}}y{{end}}{{template "a"}}', {}), "y", "an empty definition is replaced");
  assert.is(rt('{{define "a"}}x{{end}}{{define "a"}}y{{end}}', {}), undefined, "two definitions of one name are an error");
  assert.is(rt('{{template "missing"}}', {}), undefined, "a template that is not defined is an error");
  assert.is(rt('{{if true}}{{define "a"}}x{{end}}{{end}}', {}), undefined, "define only at the top level");
  assert.is(rt('{{define "r"}}{{template "r" .}}{{end}}{{template "r" 1}}', {}), undefined, "endless recursion stops with an error");
});

test("graphql: AST shape, schema and query validation", () => {
  assert.equal(call("graphql.parse_query", "{hero {name}}"), {
    Operations: [{ Name: "", Operation: "query", SelectionSet: [{ Alias: "hero", Name: "hero", SelectionSet: [{ Alias: "name", Name: "name" }] }] }],
  });
  assert.equal(call("graphql.parse_schema", "type Hello { world(flag: Boolean = true): String }"), {
    Definitions: [
      {
        BuiltIn: false,
        Description: "",
        Kind: "OBJECT",
        Name: "Hello",
        Fields: [
          {
            Description: "",
            Name: "world",
            Type: { NamedType: "String", NonNull: false },
            Arguments: [{ Description: "", Name: "flag", Type: { NamedType: "Boolean", NonNull: false }, DefaultValue: { Raw: "true", Kind: 5, ExpectedTypeHasDefault: false } }],
          },
        ],
      },
    ],
  });
  assert.is(call("graphql.parse_query", "{"), undefined);
  assert.is(call("graphql.schema_is_valid", "type Hello implements World { field: String }"), false);
  assert.is(call("graphql.schema_is_valid", "enum Hello { WO, RLD }"), true);
  const schema = "type Query { a(x: Int!): Int, b: B } type B { c: String }";
  assert.is(call("graphql.is_valid", "{ a(x: 1) b { c } }", schema), true);
  assert.is(call("graphql.is_valid", "{ a }", schema), false, "required argument missing");
  assert.is(call("graphql.is_valid", "{ b }", schema), false, "composite field needs a selection");
  assert.is(call("graphql.is_valid", "query($v: Int!) { a(x: 1) }", schema), false, "unused variable");
  const [ok] = call("graphql.parse_and_verify", "{ a(x: 2) }", schema) as [boolean];
  assert.is(ok, true);
});

test("providers.aws.sign_req: SigV4 headers, deterministic, keyed by the secret", () => {
  const req = { method: "get", url: "https://example.com/a/b?x=1", headers: { foo: "bar" } };
  const cfg = { aws_access_key: "AK", aws_secret_access_key: "SK", aws_service: "s3", aws_region: "eu-west-1" };
  const a = call("providers.aws.sign_req", req, cfg, 1451311705000000000) as { headers: Record<string, string> };
  assert.is(a.headers["x-amz-date"], "20151228T140825Z");
  assert.is(a.headers["x-amz-content-sha256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.is(a.headers.foo, "bar");
  assert.match(a.headers.Authorization!, /^AWS4-HMAC-SHA256 Credential=AK\/20151228\/eu-west-1\/s3\/aws4_request,SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=[0-9a-f]{64}$/);
  assert.equal(call("providers.aws.sign_req", req, cfg, 1451311705000000000), a);
  const b = call("providers.aws.sign_req", req, { ...cfg, aws_secret_access_key: "other" }, 1451311705000000000) as { headers: Record<string, string> };
  assert.is.not(b.headers.Authorization, a.headers.Authorization);
  const unsigned = call("providers.aws.sign_req", req, { ...cfg, disable_payload_signing: true }, 1451311705000000000) as { headers: Record<string, string> };
  assert.is(unsigned.headers["x-amz-content-sha256"], "UNSIGNED-PAYLOAD");
  assert.is(call("providers.aws.sign_req", { url: "x" }, cfg, 0), undefined);
});

test("rego.parse_module, private keys, legacy casts, sandboxed http.send", () => {
  const m = call("rego.parse_module", "x.rego", "package foo.bar\n\np if { input.a = 1 }\n") as { package: { path: { type: string; value: unknown }[] }; rules: unknown[] };
  assert.equal(m.package.path, [{ type: "var", value: "data" }, { type: "string", value: "foo" }, { type: "string", value: "bar" }]);
  assert.is(m.rules.length, 1);
  assert.is(call("rego.parse_module", "x.rego", "package foo."), undefined);
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
  const pem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const jwk = call("crypto.x509.parse_rsa_private_key", pem) as Record<string, string>;
  assert.is(jwk.kty, "RSA");
  assert.is(jwk.n, (privateKey.export({ format: "jwk" }) as Record<string, string>).n);
  assert.equal(call("crypto.parse_private_keys", ""), null);
  assert.equal(call("crypto.parse_private_keys", "nope"), []);
  assert.equal(call("cast_array", { $set: [2, 1] }), [1, 2]);
  assert.equal(call("set_diff", { $set: [1, 2] }, { $set: [2] }), { $set: [1] });
  assert.is(call("http.send", { method: "get", url: "http://example.com" }), undefined);
  // raise_error: false turns a request that cannot be sent into OPA's response object (status 0).
  assert.equal(call("http.send", { method: "post", url: "https://example.com/x", raise_error: false }), {
    status_code: 0,
    error: { code: "eval_http_send_network_error", message: 'Post "https://example.com/x": network access is not available in policyc evaluations' },
  });
  assert.equal(call("http.send", { method: "get", url: 7, raise_error: false }), {
    status_code: 0,
    error: { code: "eval_http_send_internal_error", message: '"url" must be a string' },
  });
  // Malformed requests are built-in errors whatever raise_error says.
  assert.is(call("http.send", { method: "get", raise_error: false }), undefined, "url missing");
  assert.is(call("http.send", { method: "get", url: "http://x", nope: 1, raise_error: false }), undefined, "unknown parameter");
  assert.is(call("http.send", { method: "get", url: "http://x", raise_error: "no" }), undefined, "raise_error not a boolean");
});

test.run();
