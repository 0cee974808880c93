/** Small IR builders for emitter and rule tests (no TypeScript program needed). */
import type { CheckIR, ConfigIR, ConstraintIR, ProjectIR } from "../../src/ir/ir.js";

export const config = (over: Partial<ConfigIR> = {}): ConfigIR => ({
  file: "policyc.config.ts",
  include: ["policies/**/*.ts"],
  exclude: [],
  outDir: "generated",
  regoVersion: "v0",
  exemptNamespaces: ["kube-system", "d8-*"],
  argocd: { enabled: true, templatesWave: 0, constraintsWave: 1 },
  podSecurityDefault: "Privileged",
  kubeconformSchemas: true,
  docs: false,
  ...over,
});

export const check = (kind: string, over: Partial<CheckIR> = {}): CheckIR => ({
  kind,
  name: kind.toLowerCase(),
  description: "d",
  shortNames: [],
  parameters: { type: "object", properties: { repos: { type: "array", items: { type: "string" } } } },
  body: {
    kind: "rego",
    main: { text: 'package x\nviolation[{"msg": "m"}] { false }\n', origin: { file: "p.ts", line: 5, col: 1, colOffset: 4 } },
    libs: [],
    origin: { file: "p.ts", line: 4, col: 3 },
  },
  regoVersion: "v0",
  tests: [],
  origin: { file: "p.ts", line: 1, col: 1 },
  fields: { kind: { file: "p.ts", line: 2, col: 3 } },
  ...over,
});

export const constraint = (kind: string, name: string, over: Partial<ConstraintIR> = {}): ConstraintIR => ({
  name,
  kind,
  match: {},
  enforcementAction: "deny",
  labels: {},
  annotations: {},
  tests: [],
  origin: { file: "c.ts", line: 10, col: 1 },
  fields: { name: { file: "c.ts", line: 11, col: 3 } },
  ...over,
});

export const project = (over: Partial<ProjectIR> = {}): ProjectIR => ({
  config: config(),
  checks: [],
  constraints: [],
  resources: [],
  files: [],
  ...over,
});
