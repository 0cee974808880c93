// AdmissionReview case files as gator reads them (facts from gator's runner tests and its review
// code, restated): both objects must name their kind, and a DELETE reviews the deleted object,
// which the API server sends as oldObject.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ReviewError, reviewForAdmissionReview } from "../../src/testing/gatekeeper/review.js";

const pod = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name } });
const ar = (request: Record<string, unknown>) => ({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request });
const refused = (request: Record<string, unknown>, fragment: RegExp) =>
  assert.throws(
    () => reviewForAdmissionReview(ar(request)),
    (e: unknown) => e instanceof ReviewError && fragment.test((e as Error).message),
  );

test("a DELETE reviews its oldObject as the object, even when an object is given", () => {
  assert.equal(reviewForAdmissionReview(ar({ operation: "DELETE", oldObject: pod("old") })).object, pod("old"));
  assert.equal(reviewForAdmissionReview(ar({ operation: "DELETE", object: pod("new"), oldObject: pod("old") })).object, pod("old"));
  assert.equal(reviewForAdmissionReview(ar({ operation: "DELETE", object: null, oldObject: pod("old") })).oldObject, pod("old"));
});

test("a DELETE without oldObject is refused, whatever else it carries", () => {
  refused({ operation: "DELETE", object: pod("new") }, /DELETE request needs the deleted object as oldObject/);
  refused({ operation: "DELETE", object: pod("new"), userInfo: { username: "system:foo" } }, /oldObject/);
  refused({ operation: "DELETE", object: { kind: "Pod", labels: [{ app: "bar" }] } }, /oldObject/);
});

test("an object or oldObject without kind is refused; one with a kind but no apiVersion is read", () => {
  refused({ userInfo: { username: "system:foo" }, object: { labels: [{ app: "bar" }] } }, /request\.object has no kind/);
  refused({ operation: "DELETE", object: pod("p"), oldObject: { labels: [{ app: "bar" }] } }, /request\.oldObject has no kind/);
  refused({ operation: "UPDATE", object: pod("p"), oldObject: { metadata: { name: "p" }, kind: "" } }, /request\.oldObject has no kind/);
  const r = reviewForAdmissionReview(ar({ oldObject: { kind: "Pod", labels: [{ app: "bar" }] } }));
  assert.equal(r.oldObject, { kind: "Pod", labels: [{ app: "bar" }] });
});

test.run();
