/**
 * Gatekeeper's glob for namespaces and names: a leading `*` matches a suffix, a trailing `*` a
 * prefix, both a substring; anything else is an exact match. `*` in the middle is literal.
 */

/** The pattern the Constraint CRD enforces on `namespaces`, `excludedNamespaces` and `name`. */
export const WILDCARD_PATTERN = /^\*?[-:a-z0-9]*\*?$/;

export function wildcardMatches(pattern: string, candidate: string): boolean {
  const lead = pattern.startsWith("*");
  const trail = pattern.endsWith("*");
  if (lead && trail) return candidate.includes(pattern.slice(1, Math.max(1, pattern.length - 1)));
  // Compared in place: match runs for every constraint and object, and a slice of the pattern
  // per comparison was a good part of what a check allocates.
  if (lead) return sameChars(pattern, 1, candidate, candidate.length - (pattern.length - 1), pattern.length - 1);
  if (trail) return sameChars(pattern, 0, candidate, 0, pattern.length - 1);
  return pattern === candidate;
}

/** Whether `a[aFrom, aFrom+n)` equals `b[bFrom, bFrom+n)` (false when b has no such range). */
function sameChars(a: string, aFrom: number, b: string, bFrom: number, n: number): boolean {
  if (bFrom < 0 || bFrom + n > b.length) return false;
  for (let i = 0; i < n; i++) if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
  return true;
}

/**
 * For objects that only have `metadata.generateName`, Gatekeeper matches the name glob against
 * the prefix: only a trailing `*` (or a contains-glob) can match, never an exact name.
 */
export function wildcardMatchesGenerateName(pattern: string, generateName: string): boolean {
  const lead = pattern.startsWith("*");
  const trail = pattern.endsWith("*");
  if (lead && trail) return generateName.includes(pattern.slice(1, Math.max(1, pattern.length - 1)));
  if (trail) return generateName.startsWith(pattern.slice(0, -1));
  return false;
}
