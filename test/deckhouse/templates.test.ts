// `policyc deckhouse templates` writes the pack for review; `policyc deckhouse compare` holds the
// pack against templates exported from a cluster. With POLICYC_DECKHOUSE_TEMPLATES=DIR (the output
// of `kubectl get constrainttemplates -o yaml` from a Deckhouse cluster) the last test compares the
// pack with the real templates; without it, it skips.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import YAML from "yaml";
import { command } from "../../src/cli/commands/deckhouse.js";
import { comparePack, packTemplates, readTemplatesFrom } from "../../src/deckhouse/index.js";
import { comparePack as compareDirect } from "../../src/deckhouse/compare.js";

async function run(args: string[], cwd: string) {
  let out = "";
  let err = "";
  const code = await command.run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd });
  return { code, out, err };
}

test("templates --out writes one file per pack kind, and is idempotent", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-dh-templates-"));
  try {
    const first = await run(["templates", "--out", "out"], dir);
    assert.is(first.code, 0, first.err);
    const files = readdirSync(path.join(dir, "out")).sort();
    assert.is(files.length, packTemplates().size);
    const t = YAML.parse(readFileSync(path.join(dir, "out", "d8allowedrepos.yaml"), "utf8"));
    assert.equal(t, packTemplates().get("D8AllowedRepos"));
    const second = await run(["templates", "--out", "out"], dir);
    assert.match(second.out, /wrote 0 of/);
    assert.is((await run(["templates"], dir)).code, 1);
    assert.is((await run(["nonsense"], dir)).code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("compare finds schema and decision differences, and none against the pack itself", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-dh-compare-"));
  try {
    await run(["templates", "--out", "same"], dir);
    const same = await run(["compare", "--templates", "same"], dir);
    assert.is(same.code, 0, same.out + same.err);
    assert.match(same.out, /40 same, 0 differ/);
    // A "cluster" template that never reports privileged containers and takes an extra parameter.
    const t = structuredClone(packTemplates().get("D8PrivilegedContainer")!);
    t.spec.crd.spec.validation = { openAPIV3Schema: { type: "object", properties: { exemptImages: { type: "array", items: { type: "string" } } } } };
    const code = t.spec.targets[0].code[0].source;
    code.rego = code.rego.replace("c.securityContext.privileged == true", "c.securityContext.privileged == \"never\"");
    const list = { apiVersion: "v1", kind: "List", items: [t] };
    writeFileSync(path.join(dir, "cluster.yaml"), YAML.stringify(list));
    const read = readTemplatesFrom(path.join(dir, "cluster.yaml"));
    assert.equal([...read.templates.keys()], ["D8PrivilegedContainer"]);
    const [r] = await compareDirect(read.templates);
    assert.equal(r!.schema, ["+exemptImages"]);
    assert.ok(r!.decisions.length >= 5, JSON.stringify(r!.decisions));
    assert.ok(r!.decisions.some((d) => d.case === "privileged"));
    const cli = await run(["compare", "--templates", "cluster.yaml"], dir);
    assert.is(cli.code, 1);
    assert.match(cli.out, /DIFFERS {2}D8PrivilegedContainer/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the pack against a cluster's templates (POLICYC_DECKHOUSE_TEMPLATES)", async () => {
  const dir = process.env.POLICYC_DECKHOUSE_TEMPLATES;
  if (!dir) {
    console.log("  skipped: set POLICYC_DECKHOUSE_TEMPLATES to a folder of `kubectl get constrainttemplates -o yaml` output from a Deckhouse cluster");
    return;
  }
  const read = readTemplatesFrom(dir);
  assert.equal(read.errors, []);
  const results = await comparePack(read.templates);
  assert.ok(results.length > 0, "the folder defines no kind of the pack");
  const differing = results.filter((r) => r.schema.length > 0 || r.decisions.length > 0);
  assert.equal(differing, [], "the pack decides like the cluster's templates");
});

test.run();
