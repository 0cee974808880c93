// String natives against JavaScript references over random Unicode text (code points, not UTF-16
// units, as Go's runes): count, indexof, substring, reverse, split, replace, trims, concat.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Runtime } from "./harness.js";

const rt = new Runtime();
const S = (s: string) => JSON.stringify(s);
const call = (name: string, ...args: string[]) => {
  const mark = rt.x.opa_heap_ptr_get();
  const r = rt.call(name, ...args);
  rt.x.opa_heap_ptr_set(mark);
  return r === undefined ? undefined : JSON.parse(rt.dump(rt.value(r)));
};

// small alphabet so that matches happen; includes 2-, 3- and 4-byte UTF-8 characters
const ch = fc.constantFrom("a", "b", "-", " ", "é", "ж", "中", "😀", "\t", "\u3000");
const text = fc.array(ch, { maxLength: 12 }).map((xs) => xs.join(""));
const needle = fc.array(ch, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(""));
const cps = (s: string) => Array.from(s);

test("property: count, indexof, substring, strings.reverse", () => {
  fc.assert(
    fc.property(text, needle, fc.integer({ min: 0, max: 14 }), fc.integer({ min: -1, max: 14 }), (s, n, off, len) => {
      const c = cps(s);
      const byteIdx = s.indexOf(n);
      const idx = byteIdx < 0 ? -1 : cps(s.slice(0, byteIdx)).length;
      const sub = off >= c.length ? "" : len < 0 ? c.slice(off).join("") : c.slice(off, off + len).join("");
      return call("count", S(s)) === c.length && call("indexof", S(s), S(n)) === idx &&
        call("substring", S(s), String(off), String(len)) === sub && call("strings.reverse", S(s)) === [...c].reverse().join("");
    }),
    { numRuns: 600 },
  );
});

test("property: split, replace, contains, startswith, endswith, concat", () => {
  fc.assert(
    fc.property(text, needle, text, (s, n, r) => {
      const parts = s.split(n);
      return JSON.stringify(call("split", S(s), S(n))) === JSON.stringify(parts) &&
        call("replace", S(s), S(n), S(r)) === s.split(n).join(r) &&
        call("contains", S(s), S(n)) === s.includes(n) && call("startswith", S(s), S(n)) === s.startsWith(n) &&
        call("endswith", S(s), S(n)) === s.endsWith(n) && call("concat", S(n), JSON.stringify(parts)) === s;
    }),
    { numRuns: 600 },
  );
});

test("property: trim family with rune cutsets, trim_space with Unicode spaces", () => {
  const goTrim = (s: string, cut: string, left: boolean, right: boolean) => {
    const c = cps(s);
    const set = new Set(cps(cut));
    let i = 0, j = c.length;
    if (left) while (i < j && set.has(c[i])) i++;
    if (right) while (j > i && set.has(c[j - 1])) j--;
    return c.slice(i, j).join("");
  };
  fc.assert(
    fc.property(text, needle, (s, cut) => {
      return call("trim", S(s), S(cut)) === goTrim(s, cut, true, true) && call("trim_left", S(s), S(cut)) === goTrim(s, cut, true, false) &&
        call("trim_right", S(s), S(cut)) === goTrim(s, cut, false, true) &&
        call("trim_prefix", S(s), S(cut)) === (s.startsWith(cut) ? s.slice(cut.length) : s) &&
        call("trim_suffix", S(s), S(cut)) === (s.endsWith(cut) ? s.slice(0, s.length - cut.length) : s) &&
        call("trim_space", S(s)) === goTrim(s, " \t\u3000", true, true);
    }),
    { numRuns: 600 },
  );
});

test("split on the empty string yields code points; replace of the empty string surrounds them", () => {
  assert.equal(call("split", S("a😀é"), S("")), ["a", "😀", "é"]);
  assert.is(call("replace", S("a😀"), S(""), S("|")), "|a|😀|");
  assert.equal(call("split", S(""), S("")), []);
});

test.run();
