/**
 * Test cases carried by checks and constraints. The golden-test runner (`policyc test`, src/testing)
 * evaluates them against the emitted Rego; the shapes here are deliberately small and may grow.
 */

/** How many violations the case expects: `"yes"` (at least one), `"no"` (none) or an exact count. */
export type ExpectedViolations = "yes" | "no" | number;

export interface TestCase<P> {
  /** Short, unique within its check or constraint; used in file names and reports. */
  name: string;
  /**
   * The object under review: an inline Kubernetes object, or a path to a YAML file relative to the
   * policy file.
   */
  object: Record<string, unknown> | string;
  /** Parameters for this case (for a check) or overrides of the constraint's parameters. */
  parameters?: Partial<P>;
  violations: ExpectedViolations;
  /** Each entry must match (as a regular expression) the message of some violation. */
  messages?: string[];
}
