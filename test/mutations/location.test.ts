// Gatekeeper's location grammar as policyc checks it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { changedKeyField, isMetadataLocation, LocationError, parseLocation, startsAtMetadata } from "../../src/api/mutations/location.js";

test("parses fields, keyed lists, globs and quoted keys", () => {
  assert.equal(parseLocation("spec.containers[name: *].image"), [
    { type: "object", name: "spec", offset: 0 },
    { type: "object", name: "containers", offset: 5 },
    { type: "list", keyField: "name", glob: true, offset: 15 },
    { type: "object", name: "image", offset: 25 },
  ]);
  const q = parseLocation('metadata.labels."app.kubernetes.io/name"');
  assert.equal(q.map((n) => (n.type === "object" ? n.name : "")), ["metadata", "labels", "app.kubernetes.io/name"]);
  const k = parseLocation("spec.containers[name: 'my-app'].ports");
  assert.equal(k[2], { type: "list", keyField: "name", keyValue: "my-app", glob: false, offset: 15 });
});

const rejects = (loc: string, fragment: string) => {
  try {
    parseLocation(loc);
  } catch (e) {
    assert.instance(e, LocationError);
    assert.ok((e as Error).message.includes(fragment), `${loc}: ${(e as Error).message}`);
    return;
  }
  assert.unreachable(`${loc} was accepted`);
};

test("rejects what Gatekeeper's parser rejects", () => {
  rejects("", "empty");
  rejects("spec.", "cannot end with `.`");
  rejects("metadata.annotations.kuma.io/sidecar", "`/`");
  rejects("spec.containers[name *]", "expected `:`");
  rejects("spec.containers[name: ]", "key value");
  rejects("spec.containers[name: a", "expected `]`");
  rejects("[name: a].b", "field name");
  rejects('spec."unterminated', "unterminated");
  rejects("spec..x", "field name");
});

test("kind rules: metadata root, metadata-only paths, changed key fields", () => {
  assert.ok(startsAtMetadata(parseLocation("metadata.labels.a")));
  assert.not.ok(startsAtMetadata(parseLocation("spec.metadata")));
  assert.ok(isMetadataLocation(parseLocation("metadata.annotations.owner")));
  assert.not.ok(isMetadataLocation(parseLocation("metadata.name.x")));
  assert.not.ok(isMetadataLocation(parseLocation("metadata.labels")));
  assert.not.ok(isMetadataLocation(parseLocation("metadata.labels.a.b")));
  assert.is(changedKeyField(parseLocation("spec.containers[name: a].name")), "name");
  assert.is(changedKeyField(parseLocation("spec.containers[name: a].image")), undefined);
});

test.run();
