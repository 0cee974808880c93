/**
 * The gator Suite (`test.gatekeeper.sh/v1alpha1`) as policyc holds it after loading: paths resolved
 * against the suite's folder, every element carrying its source span, and the diagnostics found
 * while reading attached to the element they make unrunnable.
 */
import type { Diagnostic, Span } from "../../diagnostics/index.js";
import type { RE2JS } from "re2js";
import type { ExternalDataMocks } from "../gatekeeper/external-data.js";

export interface FileRef {
  /** As written in the suite. */
  rel: string;
  /** Absolute path on disk. */
  abs: string;
  span: Span;
}

export type ViolationsExpectation = "yes" | "no" | number;

export interface SuiteAssertion {
  violations: ViolationsExpectation;
  message?: string;
  regex?: RE2JS;
  span: Span;
}

export interface SuiteCase {
  name: string;
  object?: FileRef;
  inventory: FileRef[];
  /**
   * policyc's extension (gator ignores it): the answers of Gatekeeper external data providers, by
   * provider name, in the shape `external_data` returns (`responses`, `errors`, `status_code`,
   * `system_error`). Absent: the case mocks no provider.
   */
  externalData?: ExternalDataMocks;
  skip: boolean;
  assertions: SuiteAssertion[];
  /**
   * policyc's extension (gator ignores it): what the case expects of the template's Rego when that
   * differs from `assertions`, which hold for the engine gator picks (CEL when the template has it).
   */
  regoAssertions?: SuiteAssertion[];
  span: Span;
  /** Problems that make this case fail before it runs. */
  diagnostics: Diagnostic[];
}

export interface SuiteTest {
  name: string;
  template?: FileRef;
  constraint?: FileRef;
  expansion?: FileRef;
  invalid: boolean;
  skip: boolean;
  cases: SuiteCase[];
  span: Span;
  diagnostics: Diagnostic[];
}

export interface Suite {
  /** Absolute path of the suite file. */
  path: string;
  /** Path as shown to the user (relative to the working directory). */
  display: string;
  name?: string;
  skip: boolean;
  tests: SuiteTest[];
  /** Problems with the file as a whole (it then has no runnable tests). */
  diagnostics: Diagnostic[];
  /** Warnings that do not stop the run. */
  warnings: Diagnostic[];
}
