// The parser accepts exactly what JSON.parse accepts (on JSON-like noise and on mutated valid JSON),
// never traps, and what it accepts means the same thing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { Runtime } from "./harness.js";

const rt = new Runtime();

function jsAccepts(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function check(text: string): boolean {
  const mark = rt.x.opa_heap_ptr_get();
  try {
    const v = rt.json(text);
    if ((v !== 0) !== jsAccepts(text)) return false;
    if (v === 0) return true;
    // Go (and the runtime) decode an unpaired surrogate escape as U+FFFD; JavaScript keeps it
    return JSON.stringify(JSON.parse(rt.dump(v))) === JSON.stringify(JSON.parse(text, wellFormed), sortKeys);
  } finally {
    rt.x.opa_heap_ptr_set(mark);
  }
}

function wellFormed(_k: string, v: unknown) {
  if (typeof v === "string") return (v as any).toWellFormed();
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [(k as any).toWellFormed(), x]));
}

function sortKeys(_k: string, v: unknown) {
  if (!v || typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => [k, o[k]]));
}

// Array.from keeps 😀 whole (split("") would cut it into lone surrogates, which UTF-8 cannot carry)
const noise = fc.array(fc.constantFrom(...Array.from("{}[]\":,. -+0123456789eEtruefalsn\\u/bfnrtx\n\t aé😀\u0001").concat(["\\u00e9", "\\ud83d", "\\ude00", "true", "null", "1e5", '"k"'])), { maxLength: 30 }).map((xs) => xs.join(""));

test("property: JSON-like noise is accepted iff JSON.parse accepts it, with the same meaning", () => {
  fc.assert(fc.property(noise, check), { numRuns: 3000 });
  assert.ok(check(`"\\ud83d"`) && check(`{"\\ude00": 1, "\\ufffd": 2}`), "unpaired surrogates");
});

test("property: single-character mutations of valid JSON", () => {
  const doc = fc.json({ maxDepth: 3 });
  fc.assert(
    fc.property(doc, fc.nat(), fc.constantFrom(..."{}[]\":,.-+0e\\ a1".split("")), fc.boolean(), (text, at, ch, insert) => {
      const i = text.length ? at % text.length : 0;
      const mutated = insert ? text.slice(0, i) + ch + text.slice(i) : text.slice(0, i) + ch + text.slice(i + 1);
      return check(text) && check(mutated);
    }),
    { numRuns: 1500 },
  );
});

test("property: doubles keep their exact text through parse and dump", () => {
  fc.assert(
    fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      const text = JSON.stringify(d);
      const mark = rt.x.opa_heap_ptr_get();
      const out = rt.dump(rt.json(text));
      const f = rt.dump(rt.x.opa_number_float(d));
      rt.x.opa_heap_ptr_set(mark);
      return out === text && Number(f) === (Object.is(d, -0) ? 0 : d);
    }),
    { numRuns: 1000 },
  );
});

test.run();
