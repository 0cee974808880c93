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
  if (lead) return candidate.endsWith(pattern.slice(1));
  if (trail) return candidate.startsWith(pattern.slice(0, -1));
  return pattern === candidate;
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
