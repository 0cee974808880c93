/**
 * `defineResource()`: any other Kubernetes object policyc should emit as-is (after validation against
 * a schema in `schemas/`). Builders for Deckhouse and Kyverno resources return these.
 */
import { registerDefinition, type Definition } from "./definition.js";

export interface ResourceSpec {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface ResourceOptions {
  /** JSON Schema in `schemas/` (path relative to it, e.g. `deckhouse/securitypolicy.json`) that validates it. */
  schema?: string;
  /** Argo CD sync wave (`argocd.argoproj.io/sync-wave`); default: the config's `argocd.constraintsWave` (1). */
  syncWave?: number;
  /** Test cases (Deckhouse policies: objects the rendered Constraints must allow or deny); never emitted. */
  tests?: readonly unknown[];
  /**
   * Gatekeeper mutators only: add the config's `exemptNamespaces` (default `kube-system`, `d8-*`) to
   * `spec.match.excludedNamespaces`, as constraints get them (default true). Set false for a mutator
   * that must also change objects in Deckhouse's system namespaces.
   */
  exemptSystemNamespaces?: boolean;
}

export interface Resource extends Definition {
  readonly object: ResourceSpec;
  readonly options: ResourceOptions;
}

export function defineResource(object: ResourceSpec, options: ResourceOptions = {}): Resource {
  return registerDefinition("resource", { object, options });
}
