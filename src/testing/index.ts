/**
 * The golden-test layer's public surface: run gator suites (`verify`), run a project's emitted tests
 * against golden files (`projectTest`), and the seams other parts plug into (a Rego back end, the
 * `--differential` second engine, reporters).
 */
export { verify, loadSuites, type VerifyOptions } from "./verify.js";
export { projectTest, resolveOutDir, type ProjectTestOptions, type ProjectTestResult } from "./project-test.js";
export { registerDifferentialBackend, differentialBackend, type BackendFactory } from "./differential.js";
export { wasmBackend, opaBuildBackend, type RegoBackend, type PreparedPolicy, type CompileRequest } from "./gatekeeper/backend.js";
export { countResults, summaryLine, allDiagnostics, type RunResult, type SuiteResult, type TestResult, type CaseResult, type Counts } from "./run/results.js";
export { render, reporterNames, type ReporterName } from "./report/index.js";
export { matchesObject, matchesReview, type Match } from "./gatekeeper/match.js";
export type { Violation } from "./gatekeeper/violations.js";
export { PC4 } from "./diagnostics.js";
