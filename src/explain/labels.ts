/**
 * Parses the `k=v,k2=v2` label lists of `policyc explain`. Values may be empty (`k=`), keys follow
 * Kubernetes' `prefix/name` shape.
 */

const keyRe = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** The labels, or an error message naming the first bad pair. */
export function parseLabels(text: string): { labels: Record<string, string> } | { error: string } {
  const labels: Record<string, string> = {};
  if (text.trim() === "") return { labels };
  for (const part of text.split(",")) {
    const pair = part.trim();
    const eq = pair.indexOf("=");
    if (eq <= 0) return { error: `\`${pair}\` has no \`=\`` };
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (!keyRe.test(key)) return { error: `\`${key}\` is not a label key` };
    labels[key] = value;
  }
  return { labels };
}
