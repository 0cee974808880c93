// Gatekeeper's rules at build time: one diagnostic per broken rule, at the property's origin.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkGatekeeperRules } from "../../src/emit/gatekeeper/rules.js";
import { check, constraint, project } from "./ir.js";

const codes = (p: ReturnType<typeof project>) => checkGatekeeperRules(p).map((d) => `${d.code}@${d.span?.file}:${d.span?.line}`);

test("valid checks and constraints pass", () => {
  const p = project({
    checks: [check("K8sAllowedRepos")],
    constraints: [constraint("K8sAllowedRepos", "prod-repo", { parameters: { repos: ["a"] }, match: { excludedNamespaces: ["kube-system", "d8-*"] } })],
  });
  assert.equal(checkGatekeeperRules(p), []);
});

test("PC2001 kind not a DNS-1035 label; PC2002 kind longer than 59", () => {
  const p = project({ checks: [check("K8s_Bad"), check("9Lives"), check(`K${"a".repeat(59)}`)] });
  assert.equal(codes(p), ["PC2001@p.ts:2", "PC2001@p.ts:2", "PC2002@p.ts:2"]);
  const exactly59 = project({ checks: [check(`K${"a".repeat(58)}`)] });
  assert.equal(codes(exactly59), []);
});

test("PC2016 docsUrl must be an absolute http(s) URL, reported at the property", () => {
  const at = { docsUrl: { file: "p.ts", line: 9, col: 3 } };
  for (const good of ["https://wiki.example.com/policies/repos", "http://intranet:8080/x?y#z"]) {
    assert.equal(codes(project({ checks: [check("K8sA", { docsUrl: good, fields: at })] })), [], good);
  }
  for (const bad of ["wiki/policies/repos", "ftp://example.com/x", "javascript:alert(1)", "https://", ""]) {
    assert.equal(codes(project({ checks: [check("K8sA", { docsUrl: bad, fields: at })] })), ["PC2016@p.ts:9"], bad);
  }
});

test("PC2003 short names must be lowercase DNS-1035 labels", () => {
  const p = project({ checks: [check("K8sA", { shortNames: ["ok", "Not_Ok"], fields: { "shortNames.1": { file: "p.ts", line: 7, col: 5 } } })] });
  assert.equal(codes(p), ["PC2003@p.ts:7"]);
});

test("PC2004 constraint names are DNS-1123 subdomains of at most 63 characters", () => {
  const p = project({
    checks: [check("K8sA")],
    constraints: [constraint("K8sA", "Bad_Name"), constraint("K8sA", "a".repeat(64)), constraint("K8sA", "ok.name-1")],
  });
  assert.equal(codes(p), ["PC2004@c.ts:11", "PC2004@c.ts:11"]);
});

test("PC2005 namespace and name globs follow Gatekeeper's pattern", () => {
  const c = constraint("K8sA", "a", {
    match: { namespaces: ["prod-*", "a*b"], excludedNamespaces: ["*-system", "Kube"], name: "x.y" },
    fields: { "match.namespaces.1": { file: "c.ts", line: 20, col: 1 }, "match.excludedNamespaces.1": { file: "c.ts", line: 21, col: 1 }, "match.name": { file: "c.ts", line: 22, col: 1 } },
  });
  assert.equal(codes(project({ checks: [check("K8sA")], constraints: [c] })), ["PC2005@c.ts:20", "PC2005@c.ts:21", "PC2005@c.ts:22"]);
});

test("PC2005 positions in excludedNamespaces skip the config's exempt namespaces added in front", () => {
  const c = constraint("K8sA", "a", {
    match: { excludedNamespaces: ["kube-system", "d8-*", "ok", "Bad"] },
    fields: { "match.excludedNamespaces.1": { file: "c.ts", line: 30, col: 1 } },
  });
  assert.equal(codes(project({ checks: [check("K8sA")], constraints: [c] })), ["PC2005@c.ts:30"]);
});

test("PC2006 scoped needs scopedEnforcementActions; PC2011 actions need scoped", () => {
  const p = project({
    checks: [check("K8sA")],
    constraints: [
      constraint("K8sA", "a", { enforcementAction: "scoped" }),
      constraint("K8sA", "b", { enforcementAction: "warn", scopedEnforcementActions: [{ action: "warn", enforcementPoints: [{ name: "*" }] }] }),
      constraint("K8sA", "c", { enforcementAction: "scoped", scopedEnforcementActions: [{ action: "deny", enforcementPoints: [{ name: "audit.gatekeeper.sh" }] }] }),
    ],
  });
  assert.equal(checkGatekeeperRules(p).map((d) => d.code), ["PC2006", "PC2011"]);
});

test("PC2007 duplicate kinds and PC2008 duplicate constraint names name the first definition", () => {
  const p = project({
    checks: [check("K8sA"), check("K8sA", { fields: { kind: { file: "q.ts", line: 9, col: 3 } } })],
    constraints: [constraint("K8sA", "x"), constraint("K8sA", "x", { fields: { name: { file: "d.ts", line: 4, col: 3 } } })],
  });
  const ds = checkGatekeeperRules(p);
  assert.equal(ds.map((d) => `${d.code}@${d.span?.file}:${d.span?.line}`), ["PC2007@q.ts:9", "PC2008@d.ts:4"]);
  assert.match(ds[0]!.message, /p\.ts:2:3/);
  assert.match(ds[1]!.message, /c\.ts:11:3/);
});

test("PC2012 parameters that do not match the derived schema", () => {
  const p = project({ checks: [check("K8sA")], constraints: [constraint("K8sA", "a", { parameters: { repos: "not-a-list" } })] });
  const ds = checkGatekeeperRules(p);
  assert.equal(ds.map((d) => d.code), ["PC2012"]);
  assert.match(ds[0]!.message, /\/repos must be array/);
});

test("PC2013 label selectors: In/NotIn need values, Exists takes none", () => {
  const p = project({
    checks: [check("K8sA")],
    constraints: [
      constraint("K8sA", "a", {
        match: {
          labelSelector: { matchExpressions: [{ key: "a", operator: "In" }] },
          namespaceSelector: { matchExpressions: [{ key: "b", operator: "Exists", values: ["x"] }] },
        },
      }),
    ],
  });
  assert.equal(checkGatekeeperRules(p).map((d) => d.code), ["PC2013", "PC2013"]);
});

test("PC2015 warns when apiGroups mixes `*` with other groups", () => {
  const p = project({
    checks: [check("K8sA")],
    constraints: [constraint("K8sA", "a", { match: { kinds: [{ apiGroups: ["*", "apps"], kinds: ["Deployment"] }, { apiGroups: ["*"], kinds: ["Pod"] }] } })],
  });
  const ds = checkGatekeeperRules(p);
  assert.equal(ds.map((d) => [d.code, d.severity]), [["PC2015", "warning"]]);
});

test("PC2014 duplicate resources", () => {
  const r = { apiVersion: "deckhouse.io/v1alpha1", kind: "SecurityPolicy", name: "x", object: {}, origin: { file: "r.ts", line: 1, col: 1 }, fields: {} };
  const p = project({ resources: [r, { ...r, origin: { file: "r.ts", line: 8, col: 1 } }] });
  assert.equal(codes(p), ["PC2014@r.ts:8"]);
});

test.run();
