// Bad Deckhouse input through a whole `policyc build`: a diagnostic at the position in the user's
// file, a failed build, and the previous output left intact.
import { readFileSync } from "node:fs";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { build } from "../../src/build/stages.js";
import { renderDiagnostics } from "../../src/diagnostics/index.js";
import { makeProject, positionOf, removeProject } from "../build/fixture.js";

const key = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString().trim();

const policy = (publicKey: string, action: string) => `import { securityPolicy } from "policyc";

securityPolicy({
  name: "signed-images",
  enforcementAction: ${action},
  match: { namespaceSelector: { matchNames: ["prod-*"] } },
  policies: {
    verifyImageSignatures: [
      {
        reference: "registry.example.com/*",
        publicKeys: [${JSON.stringify(publicKey)}],
      },
    ],
  },
});
`;

test("a bad PEM key and a wrong-case enforcementAction fail the build at their lines; the old output stays", async () => {
  const dir = makeProject({ "policies/p.ts": policy(key, '"Deny"') });
  try {
    const ok = await build({ cwd: dir });
    assert.equal(ok.diagnostics.filter((d) => d.severity === "error"), []);
    const written = path.join(dir, "generated/manifests/securitypolicy-signed-images.yaml");
    const before = readFileSync(written, "utf8");
    assert.match(before, /BEGIN PUBLIC KEY/);

    const bad = policy(key.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!"), '"deny" as any');
    const file = path.join(dir, "policies/p.ts");
    (await import("node:fs")).writeFileSync(file, bad);
    const r = await build({ cwd: dir });
    const text = renderDiagnostics(r.diagnostics);
    const pem = r.diagnostics.find((d) => d.code === "PC6011");
    assert.ok(pem, text);
    assert.is(pem!.span!.file, "policies/p.ts");
    assert.is(pem!.span!.line, positionOf(bad, "publicKeys:").line);
    const enumDiag = r.diagnostics.find((d) => d.code === "PC6002");
    assert.ok(enumDiag, text);
    assert.is(enumDiag!.span!.line, positionOf(bad, "enforcementAction").line);
    assert.ok(enumDiag!.notes?.some((n) => n.includes("`Deny`")));
    assert.is(readFileSync(written, "utf8"), before, "a failed build must not touch the output");
  } finally {
    removeProject(dir);
  }
});

test.run();
