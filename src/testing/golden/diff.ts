/**
 * A unified diff of two line lists (LCS-based; the lists are short: one line per violation), with
 * `---`/`+++` headers and one hunk covering the whole list, so a reader sees every message in context.
 */

export function unifiedDiff(expected: readonly string[], actual: readonly string[], fromLabel: string, toLabel: string): string {
  const n = expected.length;
  const m = actual.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = expected[i] === actual[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const body: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      body.push(` ${expected[i]}`);
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) {
      body.push(`+${actual[j]}`);
      j++;
    } else {
      body.push(`-${expected[i]}`);
      i++;
    }
  }
  const range = (start: number, len: number) => (len === 1 ? `${start}` : `${len === 0 ? 0 : start},${len}`);
  return [`--- ${fromLabel}`, `+++ ${toLabel}`, `@@ -${range(1, n)} +${range(1, m)} @@`, ...body].join("\n");
}
