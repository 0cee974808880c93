import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build as b, formatModule, parseModule, withoutLocations } from "../../../src/engine/rego/index.js";

const containers = b.ref("input.review.object.spec.containers", [b.v("_")]);
const allowedRepos = b.module("k8sallowedrepos", [
  b.rule({
    name: "violation",
    contains: b.obj([["msg", b.v("msg")]]),
    body: [
      b.assign(b.v("container"), containers),
      b.assign(b.v("ok"), b.call("strings.any_prefix_match", [b.ref("container", ["image"]), b.ref("input.parameters.repos")])),
      b.not(b.v("ok")),
      b.assign(b.v("msg"), b.call("sprintf", [b.str("bad repo <%v> <%v>"), b.arr([b.ref("container", ["name"]), b.ref("container", ["image"])])])),
    ],
  }),
  b.rule({ name: "limit", default: true, value: b.num(10) }),
  b.rule({ name: "size", args: [b.v("x")], value: b.call("count", [b.v("x")]), body: [b.expr(b.call("gt", [b.call("count", [b.v("x")]), b.num(0)]))], else: [{ value: b.num(0) }] }),
  b.rule({ name: "names", contains: b.v("n"), body: [b.someIn([b.v("c")], containers), b.assign(b.v("n"), b.ref("c", ["name"]))] }),
]);

test("built modules print as the expected v1 Rego", () => {
  assert.is(
    formatModule(allowedRepos, { regoVersion: "v1" }),
    `package k8sallowedrepos

violation contains {"msg": msg} if {
	container := input.review.object.spec.containers[_]
	ok := strings.any_prefix_match(container.image, input.parameters.repos)
	not ok
	msg := sprintf("bad repo <%v> <%v>", [container.name, container.image])
}

default limit := 10

size(x) := count(x) if {
	count(x) > 0
} else := 0

names contains n if {
	some c in input.review.object.spec.containers[_]
	n := c.name
}
`,
  );
});

test("built modules print as v0 and v1 and parse back to the same rules", () => {
  for (const regoVersion of ["v0", "v1"] as const) {
    const text = formatModule(allowedRepos, { regoVersion });
    const back = parseModule(text, { file: "gen.rego", regoVersion });
    assert.ok(isDeepStrictEqual(withoutLocations(back.rules), withoutLocations(allowedRepos.rules)), `${regoVersion}:\n${text}`);
  }
});

test.run();
