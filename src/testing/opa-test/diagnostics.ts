/**
 * Catalog of PC43xx diagnostics: `policyc test PATH...`, OPA's unit-test runner (loading the
 * files, finding the tests, coverage).
 */
import type { MessageDef } from "../../diagnostics/index.js";

const e = (code: string, text: string): MessageDef => ({ code, text });

export const PC43 = {
  noSuchPath: e("PC4301", "cannot read '{0}': no such file or directory"),
  badDocument: e("PC4302", "cannot parse data file '{0}': {1}"),
  dataNotObject: e("PC4303", "data file '{0}' must hold an object: it is merged into data at {1}"),
  dataConflict: e("PC4304", "'{0}' conflicts with another data file at data.{1}"),
  unrecognized: e("PC4305", "'{0}' is neither Rego, JSON nor YAML"),
  bundleUnsupported: e("PC4306", "'{0}' is a bundle archive; policyc test loads files and folders, not bundles (unpack it first)"),
  badThreshold: e("PC4309", "--threshold must be a number between 0 and 100, got '{0}'"),
  thresholdNotMet: e("PC4310", "Code coverage threshold not met: got {0} instead of {1}"),
  testTimedOut: e("PC4312", "test {0} ran longer than --timeout {1} and was stopped (reported as an ERROR; raise it with --timeout)"),
  unsupportedFlag: e("PC4313", "{0} is not supported by policyc test: {1}"),
  noTrace: { code: "PC4314", severity: "warning", text: "{0}: policyc's engine records the notes of trace() calls but not the evaluation's steps, so the report shows no Enter/Eval/Fail events (outcomes and counts are opa test's; --var-values shows where a test failed)" },
  noTestsRun: e("PC4315", "no tests were run (--fail-on-empty)"),
  tooManyErrors: e("PC4316", "too many errors: {0} shown, {1} more (raise the limit with --max-errors, 0 for none)"),
  moduleOutsideRoots: e("PC4317", "manifest roots {0} do not permit '{1}' in module '{2}'"),
  dataOutsideRoots: e("PC4318", "manifest roots {0} do not permit data at path '{1}' (hint: check bundle directory structure)"),
  noTemplateForTests: { code: "PC4311", severity: "warning", text: "the Rego tests in {0} belong to no emitted template (their package is neither a template's package p nor p_test, and they do not refer to data.p)" },
} as const;
