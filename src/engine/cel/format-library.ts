/**
 * Kubernetes' named-format library (the API server's CEL from 1.31): `format.dns1123Label()` and
 * its siblings, `format.named(name)` (an optional: none for a name it does not know), and
 * `<Format>.validate(s)`, which is `optional.none()` for a valid string and an optional list of
 * what is wrong otherwise. The DNS, label-value and qualified-name checks (rules and messages) are
 * apimachinery's validation, the ones `kubectl` prints; `uri` is Go's request-URI parse, `byte`
 * standard base64, `date` an RFC 3339 full date and `datetime` an RFC 3339 date-time.
 */
import { celFunc, celList, celMethod, CelScalar, objectType, type CelFunc } from "@bufbuild/cel";
import { type DescMessage } from "@bufbuild/protobuf";
import { kubernetesTypes, make, parseURL, valueOf } from "./kubernetes-types.js";
import { none, OPT, some } from "./optionals.js";

const STR = CelScalar.STRING;
const FormatDesc = kubernetesTypes.getMessage("kubernetes.NamedFormat") as DescMessage;
const FORMAT = objectType(FormatDesc);

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const whole = (re: string) => new RegExp(`^${re}$`);
const tooLong = (n: number) => `must be no more than ${n} characters`;
const regexError = (what: string, re: string, examples: string[]) =>
  `${what} (e.g. ${examples.map((e) => `'${e}'`).join(",  or ")}, regex used for validation is '${re}')`;

/** A format that is a length limit and a pattern, each with apimachinery's message. */
const lengthAndPattern =
  (max: number, re: string, what: string, examples: string[]) =>
  (s: string): string[] => [...(s.length > max ? [tooLong(max)] : []), ...(whole(re).test(s) ? [] : [regexError(what, re, examples)])];

const dns1123Label = lengthAndPattern(
  63,
  DNS1123_LABEL,
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  ["my-name", "123-abc"],
);
const dns1123Subdomain = lengthAndPattern(
  253,
  DNS1123_SUBDOMAIN,
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  ["example.com"],
);
const dns1035Label = lengthAndPattern(
  63,
  DNS1035_LABEL,
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  ["my-name", "abc-123"],
);
const labelValue = lengthAndPattern(
  63,
  LABEL_VALUE,
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  ["MyValue", "my_value", "12345"],
);

/** A name prefix (a generateName) may end in '-': checked as if that dash were a letter. */
const prefixOf = (check: (s: string) => string[]) => (s: string) => check(s.length > 1 && s.endsWith("-") ? `${s.slice(0, -1)}a` : s);

function qualifiedName(s: string): string[] {
  const parts = s.split("/");
  const errs: string[] = [];
  let name = s;
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (prefix.length === 0) errs.push("prefix part must be non-empty");
    else errs.push(...dns1123Subdomain(prefix).map((e) => `prefix part ${e}`));
  } else if (parts.length > 2) {
    return [
      regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME, ["MyName", "my.name", "123-abc"]) +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push("name part must be non-empty");
  else if (name.length > 63) errs.push(`name part ${tooLong(63)}`);
  if (name.length > 0 && !whole(QUALIFIED_NAME).test(name))
    errs.push(`name part ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME, ["MyName", "my.name", "123-abc"])}`);
  return errs;
}

const UUID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$/i;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label,
  dns1123Subdomain,
  dns1035Label,
  dns1123LabelPrefix: prefixOf(dns1123Label),
  dns1123SubdomainPrefix: prefixOf(dns1123Subdomain),
  dns1035LabelPrefix: prefixOf(dns1035Label),
  qualifiedName,
  labelValue,
  uri: (s) => (parseURL(s) ? [] : ["invalid URI"]),
  uuid: (s) => (UUID.test(s) ? [] : ["does not match the UUID format"]),
  byte: (s) => (BASE64.test(s) ? [] : ["invalid base64"]),
  date: (s) => (validDate(s) ? [] : ["does not match the RFC 3339 full-date format (2006-01-02)"]),
  datetime: (s) => {
    const m = DATE_TIME.exec(s);
    const ok = m !== null && validDate(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60 && Number(m[4]) < 61;
    return ok ? [] : ["does not match the RFC 3339 date-time format (2006-01-02T15:04:05Z07:00)"];
  },
};


export const formatLibrary: readonly CelFunc[] = [
  ...Object.keys(FORMATS).map((name) => celFunc(`format.${name}`, [], FORMAT, () => make(FormatDesc, name) as never)),
  celFunc("format.named", [STR], OPT, (name) => (Object.hasOwn(FORMATS, name) ? some(make(FormatDesc, name) as never) : none()) as never),
  celMethod("validate", FORMAT, [STR], OPT, function (s) {
    const errs = FORMATS[valueOf(this)]?.(s) ?? [];
    return (errs.length === 0 ? none() : some(celList(errs))) as never;
  }),
];
