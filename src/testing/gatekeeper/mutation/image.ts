/**
 * AssignImage's view of an image reference: `domain/path` followed by a tag (`:tag`) or digest
 * (`@sha256:…`). The first `/`-separated part is the domain only when it contains `.` or `:` or is
 * `localhost` (`nginx/nginx` has no domain, `my.registry.io/nginx` has). Each part the mutator sets
 * replaces that part; unset parts are kept. The parts are validated when the mutator is read
 * (`imagePartsProblem` in src/api/mutations/validate.ts) so that a mutation always converges.
 */

export interface ImageParts {
  domain: string;
  path: string;
  tag: string;
}

/** Splits off the domain: the part before the first `/`, when it looks like a registry host. */
export function splitDomain(ref: string): { domain: string; rest: string } {
  const i = ref.indexOf("/");
  if (i < 0) return { domain: "", rest: ref };
  const first = ref.slice(0, i);
  if (!/[.:]/.test(first) && first !== "localhost") return { domain: "", rest: ref };
  return { domain: first, rest: ref.slice(i + 1) };
}

export function parseImage(ref: string): ImageParts {
  const { domain, rest } = splitDomain(ref);
  const sep = rest.search(/[:@]/);
  return sep < 0 ? { domain, path: rest, tag: "" } : { domain, path: rest.slice(0, sep), tag: rest.slice(sep) };
}

export function formatImage(p: ImageParts): string {
  return (p.domain ? `${p.domain}/` : "") + p.path + p.tag;
}

/** The image reference after AssignImage: set parts replace, empty parts keep the old ones. */
export function assignImage(current: string, set: Partial<ImageParts>): string {
  const old = parseImage(current);
  return formatImage({ domain: set.domain || old.domain, path: set.path || old.path, tag: set.tag || old.tag });
}
