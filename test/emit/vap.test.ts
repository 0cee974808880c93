import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { kubeconformSchemaFiles } from "../../src/emit/kubeconform-schemas.js";
import { normalizeConfig } from "../../src/frontend/config.js";
import type { Diagnostic } from "../../src/diagnostics/index.js";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { schemaValidator } from "../../src/emit/schema-validators.js";
import { celLiteral } from "../../src/emit/vap/cel-literal.js";
import { celSourceOf, readsParamsDirectly, validationActions, vapEmitter, vapObjects } from "../../src/emit/vap/emitter.js";
import { compileCel, fromCel } from "../../src/engine/cel/index.js";
import { compileK8sNativeValidation, evaluateK8sNativeValidation } from "../../src/testing/gatekeeper/k8s-native-validation.js";
import { check, config, constraint, project } from "./ir.js";
import { runPolicy } from "./vap-run.js";
import { constraintObject } from "../../src/emit/gatekeeper/constraints.js";
import { parametersWithDefaults } from "../../src/testing/gatekeeper/parameters.js";
import { requireShared } from "../support/shared.js";

const source = {
  variables: [{ name: "images", expression: "variables.anyObject.spec.containers.map(c, c.image)" }],
  validations: [
    {
      expression: "variables.images.all(i, variables.params.repos.exists(r, i.startsWith(r)))",
      messageExpression: "'images from unapproved repos: ' + variables.images.filter(i, !variables.params.repos.exists(r, i.startsWith(r))).join(', ')",
      message: "unapproved repository",
    },
  ],
};
const allowedRepos = check("K8sAllowedRepos", { parameters: { type: "object", properties: { repos: { type: "array", items: { type: "string" }, default: ["registry.example.com/"] } } } });

const validate = (schema: string, object: unknown) => {
  const v = schemaValidator(schema);
  const ok = v(object);
  return ok ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

const pod = (ns: string, images: string[]) => ({
  kind: { group: "", version: "v1", kind: "Pod" },
  operation: "CREATE",
  name: "p",
  namespace: ns,
  object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: ns }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } },
});

test("constraint parameters: paramKind + paramRef; match → resourceRules, namespace selector and glob conditions; valid against the upstream-derived schemas", () => {
  const c = constraint("K8sAllowedRepos", "prod-repos", {
    match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }, { apiGroups: ["apps"], kinds: ["Deployment", "StatefulSet"] }], namespaces: ["prod", "payments"], excludedNamespaces: ["kube-system", "d8-*"] },
    parameters: { repos: ["registry.example.com/"] },
  });
  const { policy, binding } = vapObjects(allowedRepos, c, source, config({ validatingAdmissionPolicy: { parameters: "constraint", failurePolicy: "Fail" } }), ["Deny"]);
  assert.equal(validate("kubernetes/validatingadmissionpolicy.json", policy), []);
  assert.equal(validate("kubernetes/validatingadmissionpolicybinding.json", binding), []);
  const spec = policy.spec as Record<string, any>;
  assert.equal(spec.paramKind, { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: "K8sAllowedRepos" });
  assert.equal(spec.matchConstraints.resourceRules, [
    { apiGroups: [""], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["pods"], scope: "*" },
    { apiGroups: ["apps"], apiVersions: ["*"], operations: ["CREATE", "UPDATE"], resources: ["deployments", "statefulsets"], scope: "*" },
  ]);
  assert.equal(spec.matchConstraints.namespaceSelector.matchExpressions, [
    { key: "kubernetes.io/metadata.name", operator: "In", values: ["payments", "prod"] },
    { key: "kubernetes.io/metadata.name", operator: "NotIn", values: ["kube-system"] },
  ]);
  assert.equal(spec.variables.map((v: { name: string }) => v.name), ["anyObject", "params", "images"]);
  assert.equal((binding.spec as Record<string, unknown>).paramRef, { name: "prod-repos", parameterNotFoundAction: "Allow" });
  assert.equal((binding.spec as Record<string, unknown>).validationActions, ["Deny"]);
  assert.is((policy.metadata as { name: string }).name, "policyc-k8sallowedrepos-prod-repos");

  // The API server's view: params is the Constraint; d8-* is excluded by a match condition.
  const params = { spec: { parameters: { repos: ["registry.example.com/"] } } };
  assert.equal(runPolicy(policy, pod("prod", ["registry.example.com/a", "docker.io/b"]), params), ["images from unapproved repos: docker.io/b"]);
  assert.equal(runPolicy(policy, pod("prod", ["registry.example.com/a"]), params), []);
  assert.is(runPolicy(policy, pod("d8-system", ["docker.io/b"]), params), "not matched");
});

test("inline parameters: no paramKind or paramRef, the parameters (with schema defaults) are a CEL literal in variables.params", () => {
  const settings = config({ validatingAdmissionPolicy: { parameters: "inline", failurePolicy: "Ignore" } });
  const withParams = constraint("K8sAllowedRepos", "team", { parameters: { repos: ["quay.io/team/"] }, match: { namespaces: ["team-*"] } });
  const { policy, binding } = vapObjects(allowedRepos, withParams, source, settings, ["Warn"]);
  assert.equal(validate("kubernetes/validatingadmissionpolicy.json", policy), []);
  assert.equal(validate("kubernetes/validatingadmissionpolicybinding.json", binding), []);
  const spec = policy.spec as Record<string, any>;
  assert.is(spec.paramKind, undefined);
  assert.is(spec.failurePolicy, "Ignore");
  assert.is((binding.spec as Record<string, unknown>).paramRef, undefined);
  assert.is(spec.variables[1].expression, '{"repos": ["quay.io/team/"]}');
  assert.equal(runPolicy(policy, pod("team-a", ["docker.io/x"]), undefined), ["images from unapproved repos: docker.io/x"]);
  assert.is(runPolicy(policy, pod("other", ["docker.io/x"]), undefined), "not matched");
  // Without parameters, the schema's default applies, as the API server defaults a stored Constraint.
  const defaults = vapObjects(allowedRepos, constraint("K8sAllowedRepos", "defaults"), source, settings, ["Deny"]);
  assert.equal(runPolicy(defaults.policy, pod("x", ["registry.example.com/ok", "evil/x"]), undefined), ["images from unapproved repos: evil/x"]);
});

test("params is the whole Constraint: a template reading its name and enforcement action decides alike in Gatekeeper's driver and in the emitted policy", () => {
  const named = {
    validations: [
      {
        expression: "variables.anyObject.metadata.name.startsWith(variables.params.prefix)",
        messageExpression: "'[' + params.metadata.name + '/' + params.spec.enforcementAction + '] name must start with ' + variables.params.prefix",
      },
    ],
  };
  const prefixed = check("K8sNamePrefix", { parameters: { type: "object", properties: { prefix: { type: "string", default: "app-" } } } });
  const c = constraint("K8sNamePrefix", "web-prefix", { enforcementAction: "warn", parameters: {} });
  const settings = config({ validatingAdmissionPolicy: { parameters: "constraint", failurePolicy: "Fail" } });
  const { policy } = vapObjects(prefixed, c, named, settings, ["Warn"]);
  // The Constraint as stored: the API server applies the CRD's schema default to spec.parameters.
  const stored = constraintObject({ ...c, parameters: parametersWithDefaults(c.parameters, prefixed.parameters) }, settings);
  const request = pod("prod", ["registry.example.com/a"]);
  assert.equal(runPolicy(policy, request, stored), ["[web-prefix/warn] name must start with app-"]);
  // Gatekeeper's driver (policyc test, verify, check) binds the same object through the gator client.
  const compiled = compileK8sNativeValidation(named);
  assert.equal(evaluateK8sNativeValidation(compiled, { review: request, parameters: { prefix: "app-" } }, { constraint: stored }).map((r) => r.msg), ["[web-prefix/warn] name must start with app-"]);
});

test("the schemas refuse what the API server's validation of the two types refuses", () => {
  const { policy, binding } = vapObjects(allowedRepos, constraint("K8sAllowedRepos", "a"), source, config({ validatingAdmissionPolicy: { parameters: "constraint", failurePolicy: "Fail" } }), ["Deny"]);
  const spec = policy.spec as Record<string, any>;
  const withSpec = (patch: Record<string, unknown>) => ({ ...policy, spec: { ...spec, ...patch } });
  const policyErrors = (o: unknown) => validate("kubernetes/validatingadmissionpolicy.json", o);
  assert.equal(policyErrors(policy), []);
  const rule = spec.matchConstraints.resourceRules[0];
  const refused: [string, unknown][] = [
    ["no matchConstraints", (({ matchConstraints: _, ...rest }) => ({ ...policy, spec: rest }))(spec)],
    ["no resourceRules", withSpec({ matchConstraints: { namespaceSelector: {} } })],
    ["a rule without operations", withSpec({ matchConstraints: { resourceRules: [{ ...rule, operations: undefined }] } })],
    ["'*' beside another group", withSpec({ matchConstraints: { resourceRules: [{ ...rule, apiGroups: ["*", "apps"] }] } })],
    ["In without values", withSpec({ matchConstraints: { ...spec.matchConstraints, namespaceSelector: { matchExpressions: [{ key: "a", operator: "In" }] } } })],
    ["Exists with values", withSpec({ matchConstraints: { ...spec.matchConstraints, objectSelector: { matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] } } })],
    ["reason Unauthorized", withSpec({ validations: [{ expression: "true", reason: "Unauthorized" }] })],
    ["a blank expression", withSpec({ validations: [{ expression: "  " }] })],
    ["a message with a line break", withSpec({ validations: [{ expression: "true", message: "a\nb" }] })],
    ["a reserved word as variable name", withSpec({ variables: [{ name: "namespace", expression: "1" }] })],
    ["a matchCondition name with a space", withSpec({ matchConditions: [{ name: "a b", expression: "true" }] })],
    ["paramKind version missing", withSpec({ paramKind: { apiVersion: "constraints.gatekeeper.sh/", kind: "K" } })],
  ];
  for (const [what, o] of refused) assert.ok(policyErrors(o).length > 0, what);
  // Accepted: a prefixed matchCondition name, a message with surrounding blank lines, Forbidden.
  assert.equal(policyErrors(withSpec({ matchConditions: [{ name: "example.com/Mine", expression: "true" }], validations: [{ expression: "true", message: "\nok\n", reason: "Forbidden" }] })), []);
  const bindingErrors = (patch: Record<string, unknown>) => validate("kubernetes/validatingadmissionpolicybinding.json", { ...binding, spec: { ...(binding.spec as object), ...patch } });
  assert.equal(bindingErrors({}), []);
  assert.ok(bindingErrors({ policyName: "Not_A_Name" }).length > 0);
  assert.ok(bindingErrors({ paramRef: { name: "a/b", parameterNotFoundAction: "Allow" } }).length > 0);
  assert.ok(bindingErrors({ paramRef: { name: "a" } }).length > 0, "parameterNotFoundAction is required");
});

test("enforcement actions: deny → Deny, warn → Warn, dryrun → Audit, scoped at vap.k8s.io or *", () => {
  assert.equal(validationActions(constraint("K", "a", { enforcementAction: "deny" })), ["Deny"]);
  assert.equal(validationActions(constraint("K", "a", { enforcementAction: "warn" })), ["Warn"]);
  assert.equal(validationActions(constraint("K", "a", { enforcementAction: "dryrun" })), ["Audit"]);
  const scoped = (points: string[][]) =>
    validationActions(constraint("K", "a", { enforcementAction: "scoped", scopedEnforcementActions: points.map(([action, ...names]) => ({ action: action!, enforcementPoints: names.map((name) => ({ name })) })) }));
  assert.equal(scoped([["warn", "vap.k8s.io"], ["deny", "validation.gatekeeper.sh"]]), ["Warn"]);
  assert.equal(scoped([["dryrun", "*"], ["warn", "vap.k8s.io"]]), ["Audit", "Warn"]);
  assert.is(scoped([["deny", "validation.gatekeeper.sh"]]), undefined);
});

test("kubeconform output: a schema for each kind at kubeconform's path", () => {
  const settings = config({ validatingAdmissionPolicy: { parameters: "constraint", failurePolicy: "Fail" } });
  const { policy, binding } = vapObjects(allowedRepos, constraint("K8sAllowedRepos", "a"), source, settings, ["Deny"]);
  const files = [
    { path: "manifests/validatingadmissionpolicy-x.yaml", content: "", object: policy, schema: "kubernetes/validatingadmissionpolicy.json" },
    { path: "manifests/validatingadmissionpolicybinding-x.yaml", content: "", object: binding, schema: "kubernetes/validatingadmissionpolicybinding.json" },
  ];
  const out = kubeconformSchemaFiles(files, settings);
  assert.equal(out.map((f) => f.path), ["schemas/admissionregistration.k8s.io/validatingadmissionpolicy_v1.json", "schemas/admissionregistration.k8s.io/validatingadmissionpolicybinding_v1.json"]);
  const Ajv = createRequire(import.meta.url)("ajv") as new (o: object) => { validate(s: unknown, d: unknown): boolean };
  const ajv = new Ajv({ strict: false });
  assert.ok(ajv.validate(out[0]!.object, policy));
  assert.ok(ajv.validate(out[1]!.object, binding));
  assert.not.ok(ajv.validate(out[1]!.object, { ...binding, spec: { ...(binding.spec as object), validationActions: ["Deny", "Warn"] } }));
});

test("CEL literals: sorted keys, escapes, ints and doubles", () => {
  assert.is(celLiteral({ b: [1, 2.5, "x\"y\n"], a: null, c: true }), '{"a": null, "b": [1, 2.5, "x\\"y\\n"], "c": true}');
  const r = compileCel(celLiteral({ n: 3, s: "a\\b", l: [{ k: "v" }] })).eval({});
  assert.ok("value" in r);
  assert.equal(fromCel((r as { value: never }).value), { l: [{ k: "v" }], n: 3, s: "a\\b" });
  assert.is(readsParamsDirectly({ validations: [{ expression: "variables.params.x == 1" }] }), false);
  assert.is(readsParamsDirectly({ validations: [{ expression: "params.spec.parameters.x == 1 && 'params' != ''" }] }), true);
});

test("the emitter: off by default; checks without CEL get an info diagnostic and no policy", () => {
  const p = project({ checks: [check("K8sPlain")], constraints: [constraint("K8sPlain", "all")] });
  assert.equal(vapEmitter.emit(p, p.config), { files: [], diagnostics: [] });
  const on = { ...p.config, validatingAdmissionPolicy: { parameters: "constraint" as const, failurePolicy: "Fail" as const } };
  const out = vapEmitter.emit(p, on);
  assert.is(out.files.length, 0);
  assert.equal(out.diagnostics.map((d) => [d.code, d.severity]), [["PC2060", "info"]]);
});

test("a Gatekeeper library template's CEL (privileged containers) as a policy validates and decides", () => {
  const file = requireShared("corpora/gatekeeper-library/library/pod-security-policy/privileged-containers/template.yaml", "the library's CEL template");
  if (!file) return;
  const template = YAML.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  const cel = celSourceOf(template);
  assert.ok(cel, "the template has K8sNativeValidation code");
  const k = check("K8sPSPPrivilegedContainer", { parameters: { type: "object", properties: { exemptImages: { type: "array", items: { type: "string" } } } } });
  for (const parameters of ["constraint", "inline"] as const) {
    const { policy, binding } = vapObjects(k, constraint(k.kind, "psp-privileged", { match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] } }), cel!, config({ validatingAdmissionPolicy: { parameters, failurePolicy: "Fail" } }), ["Deny"]);
    assert.equal(validate("kubernetes/validatingadmissionpolicy.json", policy), [], path.basename(file));
    assert.equal(validate("kubernetes/validatingadmissionpolicybinding.json", binding), []);
    const privileged = pod("default", ["nginx"]);
    (privileged.object.spec.containers[0] as Record<string, unknown>).securityContext = { privileged: true };
    const got = runPolicy(policy, privileged, { spec: { parameters: {} } });
    assert.ok(Array.isArray(got) && got.length === 1, `${parameters}: ${JSON.stringify(got)}`);
    assert.equal(runPolicy(policy, pod("default", ["nginx"]), { spec: { parameters: {} } }), []);
  }
});

test("the config option: true, the object form, and bad values name the field", () => {
  const ds: Diagnostic[] = [];
  assert.is(normalizeConfig({}, "c.ts", ds).validatingAdmissionPolicy, undefined);
  assert.equal(normalizeConfig({ validatingAdmissionPolicy: true }, "c.ts", ds).validatingAdmissionPolicy, { parameters: "constraint", failurePolicy: "Fail" });
  assert.equal(normalizeConfig({ validatingAdmissionPolicy: { parameters: "inline", failurePolicy: "Ignore" } }, "c.ts", ds).validatingAdmissionPolicy, { parameters: "inline", failurePolicy: "Ignore" });
  assert.equal(ds, []);
  normalizeConfig({ validatingAdmissionPolicy: { parameters: "crd", extra: 1 } }, "c.ts", ds);
  assert.equal(ds.map((d) => d.message), [
    "invalid config: unknown option `validatingAdmissionPolicy.extra` (expected `parameters` or `failurePolicy`)",
    'invalid config: `validatingAdmissionPolicy.parameters` must be "constraint" (paramKind + paramRef to the Constraint) or "inline"',
  ]);
});

test.run();
