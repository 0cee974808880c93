/**
 * gator's `--run` filter. `A` selects tests or cases whose name matches A (a test also runs when
 * one of its cases matches); `A//B` selects cases matching B inside tests matching A. Regexes are
 * RE2, unanchored.
 */
import { RE2JS } from "re2js";

export interface Filter {
  matchesTest(testName: string, caseNames: string[]): boolean;
  matchesCase(testName: string, caseName: string): boolean;
}

export const allFilter: Filter = { matchesTest: () => true, matchesCase: () => true };

/** Throws Error with a readable reason when the filter does not compile. */
export function parseFilter(run: string | undefined): Filter {
  if (!run) return allFilter;
  const parts = run.split("//");
  if (parts.length > 2) throw new Error('a filter may include at most one "//"');
  const compile = (s: string) => RE2JS.compile(s);
  const found = (re: RE2JS, s: string) => re.matcher(s).find();
  if (parts.length === 1) {
    const re = compile(parts[0]!);
    const matchesCase = (t: string, c: string) => found(re, c) || found(re, t);
    return { matchesCase, matchesTest: (t, cases) => found(re, t) || cases.some((c) => matchesCase(t, c)) };
  }
  const testRe = compile(parts[0]!);
  const caseRe = compile(parts[1]!);
  return {
    matchesTest: (t) => found(testRe, t),
    matchesCase: (t, c) => found(caseRe, c) && found(testRe, t),
  };
}
