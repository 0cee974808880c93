// AssignImage as Gatekeeper splits image references and validates its parts (facts from its image
// parser tests, restated): which parts a reference has, and which assignDomain/assignPath/assignTag
// values a mutator may carry.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { assignImage, parseImage } from "../../src/testing/gatekeeper/mutation/image.js";
import { imagePartsProblem } from "../../src/api/mutations/validate.js";

const parts: [string, string, string, string][] = [
  ["gcr.io/some-image/hello:latest", "gcr.io", "some-image/hello", ":latest"],
  ["some-image/hello@sha256:abcde", "", "some-image/hello", "@sha256:abcde"],
  ["some-image/hello:latest", "", "some-image/hello", ":latest"],
  ["some-image/hello", "", "some-image/hello", ""],
  ["some-image:tag123", "", "some-image", ":tag123"],
  ["alpine", "", "alpine", ""],
  ["_/alpine", "", "_/alpine", ""],
  ["_/alpine:latest", "", "_/alpine", ":latest"],
  ["library/busybox:v9", "", "library/busybox", ":v9"],
  ["this.that.com/repo/alpine:1.23", "this.that.com", "repo/alpine", ":1.23"],
  ["this.that.com:5000/repo/alpine:latest", "this.that.com:5000", "repo/alpine", ":latest"],
  ["localhost:5000/repo/alpine:latest", "localhost:5000", "repo/alpine", ":latest"],
  ["x.y.z/gcr.io/repo:latest", "x.y.z", "gcr.io/repo", ":latest"],
  ["gcr.io/repo:latest", "gcr.io", "repo", ":latest"],
  // Not a valid reference, but it still splits.
  ["x.io/get/ready4.//this/not.good:404@yikes/bad/string", "x.io", "get/ready4.//this/not.good", ":404@yikes/bad/string"],
];

for (const [ref, domain, path, tag] of parts) {
  test(`splits ${ref}`, () => assert.equal(parseImage(ref), { domain, path, tag }));
}

test("set parts replace, unset parts are kept", () => {
  assert.is(assignImage("nginx:1.14.2", { tag: ":latest" }), "nginx:latest");
  assert.is(assignImage("nginx", { domain: "my.reg.io" }), "my.reg.io/nginx");
  assert.is(assignImage("docker.io/library/nginx@sha256:abc", { domain: "mirror.io:5000", path: "lib/nginx" }), "mirror.io:5000/lib/nginx@sha256:abc");
});

// [domain, path, tag, accepted]
const validation: [string, string, string, boolean][] = [
  ["my.register.io:5000", "lib/stuff/app", ":latest", true],
  ["", "", "", false],
  ["localhost:5000", "", "", true],
  ["localhost", "", "", true],
  ["a.b.c", "", "", true],
  ["a-b-c.com:5000", "", "", true],
  ["a.b.c:123", "", "", true],
  ["foobar", "", "", false],
  [".foobar", "", "", false],
  ["foobar.", "", "", false],
  ["foobar.:5000", "", "", false],
  ["foobar/:5000", "", "", false],
  [".foobar.", "", "", false],
  ["a_b_c:123", "", "", false],
  ["/not.ok.io:2000", "", "", false],
  ["not.ok.io:2000/", "", "", false],
  ["not/ok/io", "", "", false],
  ["my.reg.io:abc2000", "", "", false],
  ["my.reg.io:2000:", "", "", false],
  ["my.reg.io::2000", "", "", false],
  ["my.reg.io:latest", "", "", false],
  ["my.reg.io@sha256:abcde123456789", "", "", false],
  [";!234.com", "", "", false],
  ["", "lib/stuff", "", true],
  ["my.reg.io:5000", "a.b.c/stuff", "", true],
  // A path that starts like a domain needs the domain set, or the mutation would not converge.
  ["", "a.b.c/stuff", ":latest", false],
  ["", "lib/stuff-app__thing/a/b--c/e", "", true],
  ["", "lib/stuff/app/", "", false],
  ["", "/lib/stuff/app", "", false],
  ["my.register.io:5000", ":lib/stuff/app", "", false],
  ["my.register.io:5000", "@lib/stuff/app", "", false],
  ["my.register.io:5000", "lib/stuff/app:", "", false],
  ["my.register.io:5000", "lib/stuff/app@", "", false],
  ["my.register.io:5000", "lib/stuff:things/app", "", false],
  ["", "", ":latest", true],
  ["", "", "@sha256:12345678901234567890123456789012", true],
  ["", "", "latest", false],
  ["", "", "sha256:12345678901234567890123456789012", false],
  ["", "", "@sha256:123456", false],
  ["", "", "@sha256:1XYZ5678901234567890123456789012", false],
  ["", "", "/:latest", false],
  ["", "", ":latest/", false],
  ["", "", ":latest:", false],
  ["", "", ":latest@", false],
  ["", "", ":lat:est", false],
  ["", "", "@sha256:12345678901234567890123456789012@sha256:12345678901234567890123456789012", false],
  ["", "", "::latest", false],
  ["", "", "@@sha256:1XYZ5678901234567890123456789012", false],
  ["", "", "@:latest", false],
];

for (const [domain, path, tag, ok] of validation) {
  test(`${ok ? "accepts" : "refuses"} domain=${JSON.stringify(domain)} path=${JSON.stringify(path)} tag=${JSON.stringify(tag)}`, () => {
    const problem = imagePartsProblem(domain, path, tag);
    assert.is(problem === undefined, ok, problem);
  });
}

test.run();
