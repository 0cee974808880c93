// The differential generators: objects follow the recorded shape of a check (required fields always
// present, optional ones sometimes missing), pod specs land where each workload kind keeps them, and
// parameters follow the check's schema.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { inputArbitrary } from "../../src/differential/generate.js";
import type { CheckShapes } from "../../src/transpile/shape.js";

const shapes: CheckShapes = {
  podSpec: true,
  object: {
    type: "object",
    props: {
      spec: {
        type: "object",
        props: {
          containers: {
            type: "array",
            items: { type: "object", required: ["name"], props: { name: { type: "string", samples: [] }, image: { type: "string", samples: ["nginx"] } } },
          },
        },
        required: ["containers"],
      },
    },
  },
  params: { type: "object", props: {} },
};

const seed = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "a", image: "reg.io/a:1" }] } };

test("pod-spec shapes generate every workload kind with the spec where podSpecOf reads it", () => {
  const samples = fc.sample(inputArbitrary({ shapes, parameters: { type: "object", properties: { repos: { type: "array", items: { type: "string" } } }, required: ["repos"] }, objects: [seed], params: [] }), { numRuns: 300, seed: 3 });
  const kinds = new Set(samples.map((s) => s.object.kind));
  for (const k of ["Pod", "Deployment", "CronJob"]) assert.ok(kinds.has(k), `no ${k} generated`);
  const specOf = (o: Record<string, any>) =>
    o.kind === "Pod" ? o.spec : o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
  let missingImage = 0;
  for (const s of samples) {
    const spec = specOf(s.object);
    assert.ok(Array.isArray(spec?.containers), `${s.object.kind}: containers where podSpecOf reads them`);
    for (const c of spec.containers) {
      assert.type(c.name, "string", "a required field is always generated");
      if (c.image === undefined) missingImage++;
    }
    assert.ok(Array.isArray(s.params.repos), "required parameters are always generated");
  }
  assert.ok(missingImage > 0, "optional fields are sometimes missing");
  assert.ok(samples.some((s) => specOf(s.object).containers.some((c: { image?: string }) => c.image === "nginx" || c.image?.startsWith("reg.io"))), "strings come from the check's literals and the seeds");
});

test.run();
