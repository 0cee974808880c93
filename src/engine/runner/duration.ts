/**
 * Durations as OPA's flags take them (Go's `time.ParseDuration`): `500ms`, `5s`, `1m30s`, `0`.
 * Shared by `--timeout` of eval, test and verify.
 */

/** Nanoseconds of a Go duration (units ns, us, µs, ms, s, m, h; a bare `0`), or undefined. */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const units: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * units[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? total : undefined;
}

/** Milliseconds of a Go duration, or undefined when it is not one. */
export function goDurationMs(text: string): number | undefined {
  const ns = parseGoDuration(text);
  return ns === undefined ? undefined : ns / 1e6;
}
