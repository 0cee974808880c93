/**
 * `time.*` built-ins on nanoseconds since the epoch (exact, as BigInt), with Go's layout strings for
 * parsing and formatting (`2006-01-02T15:04:05Z07:00` and the named layouts), Go's duration syntax,
 * Go's date normalisation for `time.add_date`, and IANA time zones through Intl.
 */
import { type Value, isArray, toBigInt, fromBigInt } from "./value.js";
import type { Builtin } from "./tagged.js";
import { perEvaluation } from "./memo.js";

const NS_PER_S = 1_000_000_000n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

// ---------------------------------------------------------------------------------------------
// Civil calendar arithmetic (proleptic Gregorian, any year)
// ---------------------------------------------------------------------------------------------

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  min: number;
  sec: number;
  nsec: number;
  weekday: number;
  yday: number;
  offset: number; // seconds east of UTC
  zone: string;
}

function toCivil(ns: bigint, tz: Zone): Civil {
  const secs = floorDiv(ns, NS_PER_S);
  const nsec = Number(ns - secs * NS_PER_S);
  const offset = tz.offsetAt(secs);
  const local = secs + BigInt(offset);
  const days = Number(floorDiv(local, 86400n));
  const sod = Number(local - BigInt(days) * 86400n);
  const [year, month, day] = civilFromDays(days);
  return {
    year,
    month,
    day,
    hour: Math.floor(sod / 3600),
    min: Math.floor((sod % 3600) / 60),
    sec: sod % 60,
    nsec,
    weekday: (((days + 4) % 7) + 7) % 7,
    yday: days - daysFromCivil(year, 1, 1) + 1,
    offset,
    zone: tz.abbrev(offset),
  };
}

/** Go's time.Date: normalises month, day, hour... overflow, then applies the zone. */
function fromCivil(y: number, mo: number, d: number, h: number, mi: number, s: number, ns: bigint, tz: Zone): bigint {
  const m0 = mo - 1;
  const yy = y + Math.floor(m0 / 12);
  const mm = (((m0 % 12) + 12) % 12) + 1;
  const days = BigInt(daysFromCivil(yy, mm, 1) + d - 1);
  const local = days * 86400n + BigInt(h) * 3600n + BigInt(mi) * 60n + BigInt(s);
  // Resolve the offset at the local wall time (two passes handle DST edges well enough).
  let off = tz.offsetAt(local);
  off = tz.offsetAt(local - BigInt(off));
  return (local - BigInt(off)) * NS_PER_S + ns;
}

// ---------------------------------------------------------------------------------------------
// Zones
// ---------------------------------------------------------------------------------------------

interface Zone {
  offsetAt(epochSec: bigint): number;
  abbrev(offset: number): string;
}

const UTC: Zone = { offsetAt: () => 0, abbrev: () => "UTC" };

function fixedZone(offset: number, name?: string): Zone {
  return { offsetAt: () => offset, abbrev: () => name ?? formatOffsetName(offset) };
}

function formatOffsetName(off: number): string {
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${sign}${String(Math.floor(a / 3600)).padStart(2, "0")}${String(Math.floor((a % 3600) / 60)).padStart(2, "0")}`;
}

const zoneCache = new Map<string, Zone>();

function zone(name: string): Zone {
  if (name === "" || name === "UTC") return UTC;
  let z = zoneCache.get(name);
  if (z) return z;
  const tzName = name === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : name;
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: tzName,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
  } catch {
    throw new Error(`unknown time zone ${name}`);
  }
  const abbrFmt = new Intl.DateTimeFormat("en-US", { timeZone: tzName, timeZoneName: "short" });
  z = {
    offsetAt(epochSec: bigint): number {
      const ms = Number(epochSec) * 1000;
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 0;
      const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
      let year = Number(parts.year);
      if (parts.era === "BC" || parts.era === "B") year = 1 - year;
      const local = daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86400 + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
      return local - Math.floor(ms / 1000);
    },
    abbrev(offset: number): string {
      void abbrFmt;
      return formatOffsetName(offset);
    },
  };
  zoneCache.set(name, z);
  return z;
}

// ---------------------------------------------------------------------------------------------
// Layout chunks (Go's nextStdChunk)
// ---------------------------------------------------------------------------------------------

type Chunk = { lit: string } | { std: string; digits?: number; frac?: "0" | "9" };

function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = "";
  const push = (c: Chunk) => {
    if (lit) out.push({ lit });
    lit = "";
    out.push(c);
  };
  let i = 0;
  const at = (s: string) => layout.startsWith(s, i);
  while (i < layout.length) {
    const c = layout[i]!;
    let tok: string | undefined;
    switch (c) {
      case "J":
        tok = at("January") ? "January" : at("Jan") ? "Jan" : undefined;
        break;
      case "M":
        tok = at("Monday") ? "Monday" : at("Mon") ? "Mon" : at("MST") ? "MST" : undefined;
        break;
      case "0":
        if (/^0[1-6]/.test(layout.slice(i, i + 2))) tok = layout.slice(i, i + 2);
        if (at("002")) tok = "002";
        break;
      case "1":
        tok = at("15") ? "15" : "1";
        break;
      case "2":
        tok = at("2006") ? "2006" : "2";
        break;
      case "_":
        if (at("_2")) tok = at("_2006") ? undefined : "_2";
        if (at("__2")) tok = "__2";
        break;
      case "3":
      case "4":
      case "5":
        tok = c;
        break;
      case "P":
        tok = at("PM") ? "PM" : undefined;
        break;
      case "p":
        tok = at("pm") ? "pm" : undefined;
        break;
      case "-":
        for (const t of ["-070000", "-07:00:00", "-0700", "-07:00", "-07"]) if (at(t)) {
          tok = t;
          break;
        }
        break;
      case "Z":
        for (const t of ["Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"]) if (at(t)) {
          tok = t;
          break;
        }
        break;
      case ".":
      case ",": {
        const d = layout[i + 1];
        if (d === "0" || d === "9") {
          let j = i + 1;
          while (layout[j] === d) j++;
          if (!/[0-9]/.test(layout[j] ?? "")) {
            push({ std: "frac", digits: j - i - 1, frac: d });
            lit = "";
            i = j;
            continue;
          }
        }
        break;
      }
    }
    if (tok) {
      push({ std: tok });
      i += tok.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ lit });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

const pad = (n: number, w: number) => (n < 0 ? "-" + String(-n).padStart(w, "0") : String(n).padStart(w, "0"));

function formatTime(ns: bigint, tz: Zone, layout: string): string {
  const t = toCivil(ns, tz);
  let out = "";
  for (const ch of chunks(layout)) {
    if ("lit" in ch) {
      out += ch.lit;
      continue;
    }
    const off = t.offset;
    const offAbs = Math.abs(off);
    const oh = pad(Math.floor(offAbs / 3600), 2);
    const om = pad(Math.floor((offAbs % 3600) / 60), 2);
    const os = pad(offAbs % 60, 2);
    const sign = off < 0 ? "-" : "+";
    switch (ch.std) {
      case "January":
        out += MONTHS[t.month - 1];
        break;
      case "Jan":
        out += MONTHS[t.month - 1]!.slice(0, 3);
        break;
      case "Monday":
        out += DAYS[t.weekday];
        break;
      case "Mon":
        out += DAYS[t.weekday]!.slice(0, 3);
        break;
      case "MST":
        out += t.zone;
        break;
      case "01":
        out += pad(t.month, 2);
        break;
      case "1":
        out += t.month;
        break;
      case "02":
        out += pad(t.day, 2);
        break;
      case "2":
        out += t.day;
        break;
      case "_2":
        out += String(t.day).padStart(2, " ");
        break;
      case "002":
        out += pad(t.yday, 3);
        break;
      case "__2":
        out += String(t.yday).padStart(3, " ");
        break;
      case "2006":
        out += pad(t.year, 4);
        break;
      case "06":
        out += pad(((t.year % 100) + 100) % 100, 2);
        break;
      case "15":
        out += pad(t.hour, 2);
        break;
      case "03":
        out += pad(t.hour % 12 === 0 ? 12 : t.hour % 12, 2);
        break;
      case "3":
        out += t.hour % 12 === 0 ? 12 : t.hour % 12;
        break;
      case "04":
        out += pad(t.min, 2);
        break;
      case "4":
        out += t.min;
        break;
      case "05":
        out += pad(t.sec, 2);
        break;
      case "5":
        out += t.sec;
        break;
      case "PM":
        out += t.hour >= 12 ? "PM" : "AM";
        break;
      case "pm":
        out += t.hour >= 12 ? "pm" : "am";
        break;
      case "frac": {
        let digits = String(t.nsec).padStart(9, "0").slice(0, ch.digits);
        if (ch.frac === "9") {
          digits = digits.replace(/0+$/, "");
          if (digits) out += "." + digits;
        } else out += "." + digits;
        break;
      }
      default: {
        // Zone offsets; the Z forms print Z for UTC.
        if (ch.std.startsWith("Z") && off === 0) {
          out += "Z";
          break;
        }
        const f = ch.std.slice(1);
        if (f === "070000") out += sign + oh + om + os;
        else if (f === "07:00:00") out += `${sign}${oh}:${om}:${os}`;
        else if (f === "0700") out += sign + oh + om;
        else if (f === "07:00") out += `${sign}${oh}:${om}`;
        else if (f === "07") out += sign + oh;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

function parseTime(layoutName: string, value: string): bigint {
  const layout = LAYOUTS[layoutName] ?? layoutName;
  let s = value;
  let year = 1;
  let month = 1;
  let day = 1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0n;
  let pm: boolean | undefined;
  let offset: number | undefined;
  let yday = -1;
  const bad = (): never => {
    throw new Error(`cannot parse ${JSON.stringify(value)} as ${JSON.stringify(layout)}`);
  };
  const num = (min: number, max: number): number => {
    const m = new RegExp(`^[0-9]{${min},${max}}`).exec(s);
    if (!m) bad();
    s = s.slice(m![0].length);
    return Number(m![0]);
  };
  const word = (list: string[], short: boolean): number => {
    for (let i = 0; i < list.length; i++) {
      const w = short ? list[i]!.slice(0, 3) : list[i]!;
      if (s.slice(0, w.length).toLowerCase() === w.toLowerCase()) {
        s = s.slice(w.length);
        return i;
      }
    }
    return bad();
  };
  const fracAfterSeconds = () => {
    if ((s[0] === "." || s[0] === ",") && /^[.,][0-9]/.test(s)) {
      const m = /^[.,]([0-9]+)/.exec(s)!;
      nsec = BigInt(m[1]!.padEnd(9, "0").slice(0, 9));
      s = s.slice(m[0].length);
    }
  };
  const list = chunks(layout);
  for (let idx = 0; idx < list.length; idx++) {
    const ch = list[idx]!;
    if ("lit" in ch) {
      if (!s.startsWith(ch.lit)) bad();
      s = s.slice(ch.lit.length);
      continue;
    }
    switch (ch.std) {
      case "January":
        month = word(MONTHS, false) + 1;
        break;
      case "Jan":
        month = word(MONTHS, true) + 1;
        break;
      case "Monday":
        word(DAYS, false);
        break;
      case "Mon":
        word(DAYS, true);
        break;
      case "MST": {
        const m = /^(UTC|GMT|[A-Z]{3,5})/.exec(s);
        if (!m) bad();
        s = s.slice(m![0].length);
        if (m![0] === "UTC" || m![0] === "GMT") offset = 0;
        break;
      }
      case "01":
        month = num(2, 2);
        break;
      case "1":
        month = num(1, 2);
        break;
      case "02":
        day = num(2, 2);
        break;
      case "2":
        day = num(1, 2);
        break;
      case "_2":
        if (s[0] === " ") s = s.slice(1);
        day = num(1, 2);
        break;
      case "002":
        yday = num(3, 3);
        break;
      case "__2":
        s = s.replace(/^ {0,2}/, "");
        yday = num(1, 3);
        break;
      case "2006":
        year = num(4, 4);
        break;
      case "06": {
        const y = num(2, 2);
        year = y >= 69 ? 1900 + y : 2000 + y;
        break;
      }
      case "15":
        hour = num(1, 2);
        break;
      case "03":
        hour = num(2, 2);
        break;
      case "3":
        hour = num(1, 2);
        break;
      case "04":
        min = num(2, 2);
        break;
      case "4":
        min = num(1, 2);
        break;
      case "05":
        sec = num(2, 2);
        if (!(list[idx + 1] && "std" in list[idx + 1]! && (list[idx + 1] as { std: string }).std === "frac")) fracAfterSeconds();
        break;
      case "5":
        sec = num(1, 2);
        if (!(list[idx + 1] && "std" in list[idx + 1]! && (list[idx + 1] as { std: string }).std === "frac")) fracAfterSeconds();
        break;
      case "PM":
      case "pm": {
        const m = /^(AM|PM|am|pm)/.exec(s);
        if (!m) bad();
        pm = m![0].toUpperCase() === "PM";
        s = s.slice(2);
        break;
      }
      case "frac": {
        if (ch.frac === "0") {
          const m = new RegExp(`^[.,]([0-9]{${ch.digits}})`).exec(s);
          if (!m) bad();
          nsec = BigInt(m![1]!.padEnd(9, "0").slice(0, 9));
          s = s.slice(m![0].length);
        } else fracAfterSeconds();
        break;
      }
      default: {
        if (ch.std.startsWith("Z") && s[0] === "Z") {
          s = s.slice(1);
          offset = 0;
          break;
        }
        const f = ch.std.slice(1);
        const re =
          f === "070000" ? /^([+-])(\d\d)(\d\d)(\d\d)/ : f === "07:00:00" ? /^([+-])(\d\d):(\d\d):(\d\d)/ : f === "0700" ? /^([+-])(\d\d)(\d\d)/ : f === "07:00" ? /^([+-])(\d\d):(\d\d)/ : /^([+-])(\d\d)/;
        const m = re.exec(s);
        if (!m) bad();
        s = s.slice(m![0].length);
        const secs = Number(m![2]) * 3600 + Number(m![3] ?? 0) * 60 + Number(m![4] ?? 0);
        offset = m![1] === "-" ? -secs : secs;
      }
    }
  }
  if (s !== "") bad();
  if (pm !== undefined) {
    if (hour > 12) bad();
    if (pm && hour < 12) hour += 12;
    if (!pm && hour === 12) hour = 0;
  }
  if (yday >= 0) {
    const d0 = daysFromCivil(year, 1, 1) + yday - 1;
    [, month, day] = civilFromDays(d0);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || min > 59 || sec > 59) bad();
  const ns = fromCivil(year, month, day, hour, min, sec, nsec, fixedZone(offset ?? 0));
  return checkRange(ns);
}

function daysIn(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

function checkRange(ns: bigint): bigint {
  if (ns < INT64_MIN || ns > INT64_MAX) throw new Error("time outside of valid range");
  return ns;
}

// ---------------------------------------------------------------------------------------------
// Durations
// ---------------------------------------------------------------------------------------------

const UNITS: Record<string, bigint> = { ns: 1n, us: 1000n, "µs": 1000n, "μs": 1000n, ms: 1_000_000n, s: NS_PER_S, m: 60n * NS_PER_S, h: 3600n * NS_PER_S };

export function parseDuration(s: string): bigint {
  let rest = s;
  let neg = false;
  if (rest[0] === "-" || rest[0] === "+") {
    neg = rest[0] === "-";
    rest = rest.slice(1);
  }
  if (rest === "0") return 0n;
  if (rest === "") throw new Error(`invalid duration ${s}`);
  let total = 0n;
  while (rest !== "") {
    const m = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!m || (m[1] === "" && (m[2] === undefined || m[2] === ""))) throw new Error(`invalid duration ${s}`);
    const unit = UNITS[m[3]!]!;
    const whole = BigInt(m[1] || "0");
    const frac = m[2] ?? "";
    total += whole * unit;
    if (frac) total += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    rest = rest.slice(m[0].length);
  }
  return neg ? -total : total;
}

// ---------------------------------------------------------------------------------------------
// Built-ins
// ---------------------------------------------------------------------------------------------

function nsArg(v: Value): bigint {
  const b = toBigInt(v);
  if (b === undefined) {
    if (typeof v === "number") return BigInt(Math.trunc(v));
    throw new TypeError("number expected");
  }
  if (b < INT64_MIN || b > INT64_MAX) throw new Error("timestamp too big");
  return b;
}

/** `x` or `[x, tz]` (and `[x, tz, layout]` for time.format). */
function timeArg(v: Value): { ns: bigint; tz: Zone; layout?: string } {
  if (isArray(v)) {
    if (v.length < 2 || v.length > 3) throw new TypeError("expected [ns, tz] or [ns, tz, layout]");
    const tzName = v[1];
    if (typeof tzName !== "string") throw new TypeError("time zone must be a string");
    const out: { ns: bigint; tz: Zone; layout?: string } = { ns: nsArg(v[0]!), tz: zone(tzName) };
    if (v.length === 3) {
      if (typeof v[2] !== "string") throw new TypeError("layout must be a string");
      out.layout = LAYOUTS[v[2]] ?? v[2];
    }
    return out;
  }
  return { ns: nsArg(v), tz: UTC };
}

function addDate(nsV: Value, y: Value, m: Value, d: Value): Value {
  const t = toCivil(nsArg(nsV), UTC);
  const [yy, mm, dd] = [y, m, d].map((x) => {
    const b = toBigInt(x);
    if (b === undefined) throw new TypeError("integer expected");
    return Number(b);
  });
  return fromBigInt(checkRange(fromCivil(t.year + yy!, t.month + mm!, t.day + dd!, t.hour, t.min, t.sec, BigInt(t.nsec), UTC)));
}

function diff(a: Value, b: Value): Value {
  const x = timeArg(a);
  const y = timeArg(b);
  let [t1, t2] = [x.ns, y.ns];
  if (t1 > t2) [t1, t2] = [t2, t1];
  const c1 = toCivil(t1, x.tz);
  const c2 = toCivil(t2, x.tz);
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.min - c1.min;
  let sec = c2.sec - c1.sec;
  if (sec < 0) {
    sec += 60;
    min--;
  }
  if (min < 0) {
    min += 60;
    hour--;
  }
  if (hour < 0) {
    hour += 24;
    day--;
  }
  if (day < 0) {
    // Days in c1's month, via Go's Date(y, m, 32) trick.
    day += daysIn(c1.year, c1.month);
    month--;
  }
  if (month < 0) {
    month += 12;
    year--;
  }
  return [year, month, day, hour, min, sec];
}

export const timeBuiltins: Record<string, Builtin> = {
  "time.now_ns": () => fromBigInt(perEvaluation("time.now_ns", () => BigInt(Date.now()) * 1_000_000n)),
  "time.parse_ns": (layout, value) => {
    if (typeof layout !== "string" || typeof value !== "string") return undefined;
    return fromBigInt(parseTime(layout, value));
  },
  "time.parse_rfc3339_ns": (value) => {
    if (typeof value !== "string") return undefined;
    return fromBigInt(parseTime("RFC3339", value));
  },
  "time.parse_duration_ns": (d) => (typeof d === "string" ? fromBigInt(parseDuration(d)) : undefined),
  "time.date": (v) => {
    const { ns, tz } = timeArg(v);
    const t = toCivil(ns, tz);
    return [t.year, t.month, t.day];
  },
  "time.clock": (v) => {
    const { ns, tz } = timeArg(v);
    const t = toCivil(ns, tz);
    return [t.hour, t.min, t.sec];
  },
  "time.weekday": (v) => {
    const { ns, tz } = timeArg(v);
    return DAYS[toCivil(ns, tz).weekday]!;
  },
  "time.add_date": addDate,
  "time.diff": diff,
  "time.format": (v) => {
    const { ns, tz, layout } = timeArg(v);
    return formatTime(ns, tz, layout ?? LAYOUTS.RFC3339Nano!);
  },
};
