/**
 * Helpers for runner tests: a temporary directory of suite files, and a fake Rego back end whose
 * "policies" are JavaScript functions keyed by entrypoint, so runner semantics can be tested
 * without the Wasm engine.
 */
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RegoBackend } from "../../src/testing/gatekeeper/backend.js";

export function tempTree(files: Record<string, string>): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "policyc-verify-"));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export type FakePolicy = (input: any, data: any) => unknown;

export function fakeBackend(policies: Record<string, FakePolicy>, seen: { inputs: unknown[]; data: unknown[] } = { inputs: [], data: [] }): RegoBackend {
  return {
    name: `fake-${Math.random()}`,
    async prepare(req) {
      const fn = policies[req.entrypoint];
      if (!fn) throw Object.assign(new Error(`no fake policy for ${req.entrypoint}`), { diagnostics: [{ code: "PC5001", message: "unknown", span: { file: req.modules[0]!.file, line: 1, col: 1 } }] });
      return {
        async evaluate(input, data) {
          seen.inputs.push(input);
          seen.data.push(data);
          return fn(input, data);
        },
      };
    },
  };
}

export const templateYaml = (kind: string, pkg: string, extra = "") => `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: ${kind.toLowerCase()}
spec:
  crd:
    spec:
      names:
        kind: ${kind}
      validation:
        openAPIV3Schema:
          type: object
          properties:
            repos:
              type: array
              items:
                type: string
            mode:
              type: string
              default: strict
${extra}  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package ${pkg}
        violation[{"msg": msg}] { msg := "x" }
`;

export const constraintYaml = (kind: string, spec = "  parameters:\n    repos: [\"good/\"]\n") =>
  `apiVersion: constraints.gatekeeper.sh/v1beta1
kind: ${kind}
metadata:
  name: demo
spec:
${spec}`;

export const podYaml = (name: string, image: string, ns = "default") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
    - name: c
      image: ${image}
`;
