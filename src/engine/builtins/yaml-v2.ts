/**
 * YAML scalars as sigs.k8s.io/yaml reads them (its go-yaml v2 fork, then JSON): the rules Kubernetes,
 * gator and OPA (`yaml.unmarshal`, YAML data files) share. Used with the `yaml` package's YAML 1.1
 * schema: `yes`/`on`/`y` are booleans there, as in v2; this module replaces its number and timestamp
 * rules with v2's.
 */

/**
 * go-yaml v2's `resolve` for a plain scalar that starts with a digit, a sign or a dot: underscores
 * are dropped, then Go's `strconv.ParseInt(s, 0, 64)` (`0777` and `0o777` octal, `0x1F`/`0X1F`,
 * `0b101`, signs before the prefix), else a float only when it matches v2's own pattern, whose
 * exponent needs a sign (`1e+3` is a float, `1e3` and `1.` stay strings: v2 kept this for
 * compatibility; only v3 relaxed it). A scalar starting with `.` is a float when Go's ParseFloat
 * reads it as it is (`.5`, `.5e3`). Anything else stays a string.
 */
export function goYamlV2Number(source: string): { kind: "int" | "float"; value: number } | undefined {
  const first = source[0];
  if (first === ".") return /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/.test(source) ? { kind: "float", value: Number(source) } : undefined;
  if (first === undefined || !/[-+0-9]/.test(first)) return undefined;
  const plain = source.replace(/_/g, "");
  const int = /^([-+]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(plain);
  if (int) {
    const [, sign, hex, oct, bin, legacyOct, dec] = int;
    const n = hex ? parseInt(hex, 16) : oct ? parseInt(oct, 8) : bin ? parseInt(bin, 2) : legacyOct ? parseInt(legacyOct, 8) : Number(dec);
    return { kind: "int", value: sign === "-" ? -n : n };
  }
  return /^[-+]?[0-9]*\.?[0-9]+(?:[eE][-+][0-9]+)?$/.test(plain) ? { kind: "float", value: Number(plain) } : undefined;
}

/** A `test` for a `yaml` tag that runs a function (the package only calls `test.test(source)`). */
function matcher(fn: (source: string) => boolean): RegExp {
  const re = /(?:)/;
  re.test = fn;
  return re;
}

/**
 * The YAML 1.1 tags of the `yaml` package with sigs.k8s.io/yaml's (go-yaml v2's) number rules in
 * place of its own: no timestamps, no base-60 numbers, and `goYamlV2Number` for every other int
 * and float form. `.inf`/`.nan` stay floats so that the reader can refuse them at their position.
 */
export const goYamlV2Tags = (tags: unknown[]): never => [
  ...tags.filter((t) => {
    const tag = t as { tag?: string; format?: string; test?: RegExp };
    if (tag.tag === "tag:yaml.org,2002:timestamp" || tag.format === "TIME") return false;
    if (tag.tag === "tag:yaml.org,2002:int") return false;
    return !(tag.tag === "tag:yaml.org,2002:float" && !tag.test?.test(".inf"));
  }),
  {
    identify: (v: unknown) => typeof v === "number" && Number.isInteger(v),
    default: true,
    tag: "tag:yaml.org,2002:int",
    test: matcher((s) => goYamlV2Number(s)?.kind === "int"),
    resolve: (s: string) => goYamlV2Int(s),
  },
  {
    identify: (v: unknown) => typeof v === "number",
    default: true,
    tag: "tag:yaml.org,2002:float",
    test: matcher((s) => goYamlV2Number(s)?.kind === "float"),
    resolve: (s: string) => goYamlV2Number(s)?.value,
  },
] as never;

/**
 * An integer as go-yaml v2 reads it: `strconv.ParseInt` (int64, a sign allowed), else
 * `ParseUint` (uint64, no sign), exact past 2^53 (a bigint; OPA keeps the digits); past those
 * ranges go-yaml reads a float64, so the nearest double.
 */
function goYamlV2Int(s: string): number | bigint | undefined {
  const v = goYamlV2Number(s)?.value;
  if (v === undefined || Number.isSafeInteger(v)) return v;
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s.replace(/_/g, ""));
  if (!m) return v;
  const [, sign, digits] = m;
  const legacyOctal = /^0[0-7]+$/.test(digits!);
  let n = BigInt(legacyOctal ? `0o${digits!.slice(1)}` : digits!.replace(/^0([XOB])/, (_x, c: string) => `0${c.toLowerCase()}`));
  if (sign === "-") n = -n;
  const max = sign === "" ? 2n ** 64n - 1n : 2n ** 63n - 1n;
  return n < -(2n ** 63n) || n > max ? Number(n) : n;
}
