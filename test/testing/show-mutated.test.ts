// The --show-mutated rendering of the examples' mutators over a small application, against a golden
// file beside its input (rewrite it with UPDATE_GOLDEN=1 or `--update`).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { LineCounter, parseAllDocuments } from "yaml";
import { MutationSystem } from "../../src/testing/gatekeeper/mutation/system.js";
import { renderMutated } from "../../src/testing/gatekeeper/mutation/show.js";

const update = process.env.UPDATE_GOLDEN === "1" || process.argv.includes("--update");
const dir = "test/testing/show-mutated";
const manifests = "generated/manifests";

test("--show-mutated prints each object the mutators changed, with where it was read and by which mutators", () => {
  const mutators = readdirSync(manifests)
    .filter((f) => /^(assign|assignimage|assignmetadata|modifyset)-/.test(f))
    .map((f) => ({ object: parseAllDocuments(readFileSync(`${manifests}/${f}`, "utf8"))[0]!.toJS() }));
  const system = new MutationSystem(mutators);
  assert.equal(system.diagnostics, []);
  const text = readFileSync(`${dir}/app.yaml`, "utf8");
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines });
  const out = renderMutated(
    docs.map((d) => {
      const r = system.mutate(d.toJS(), { operation: "CREATE" });
      return { origin: { file: `${dir}/app.yaml`, line: lines.linePos(d.contents!.range[0]).line }, object: r.object, mutatedBy: r.applied };
    }),
  );
  if (update) writeFileSync(`${dir}/expected.yaml`, out);
  assert.fixture(out, readFileSync(`${dir}/expected.yaml`, "utf8"));
  // The labelled Pod already is what the mutators would make it, so it is left out, as are the
  // kube-system Pod (the mutators exclude it) and the Service (no mutator applies to Services).
  assert.equal(out.match(/^# .*$/gm), [
    `# Pod shop/web from ${dir}/app.yaml:1, mutated by Assign/always-pull-images, AssignImage/use-registry-mirror, AssignMetadata/default-team-label, ModifySet/drop-debug-args`,
  ]);
});

test.run();
