// policyc check's JUnit and PolicyReport writers: streamed through their spool (in memory, and
// through the spool file), byte for byte the whole document; the spool leaves no file behind.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import YAML from "yaml";
import { schemaValidator } from "../../src/emit/schema-validators.js";
import type { ObjectResult } from "../../src/testing/check/evaluate.js";
import { openCheckReport, type ReportFormat } from "../../src/testing/check/report/index.js";
import { gatorJsonItem, gatorResults, gatorYamlItem } from "../../src/testing/check/report/gator.js";
import { sarifLog } from "../../src/testing/check/report/sarif.js";
import { toYamlSequence } from "../../src/emit/yaml.js";
import { policyReports, renderPolicyReports } from "../../src/testing/check/report/policy-report.js";
import { GroupSpool, RecordSpool, SortedSpool } from "../../src/testing/check/report/spool.js";
import { compareGo } from "../../src/testing/go-yaml.js";
import type { CheckRun } from "../../src/testing/check/run.js";
import { projectRoot } from "../support/shared.js";
import { templateWithConstraint } from "./policy-yaml.js";
import { parseXml } from "./xml.js";

/** A deterministic pseudo-random sequence. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ACTIONS = ["deny", "warn", "dryrun"] as const;
/** Messages that test escaping, quoting and block scalars, and characters of two to four UTF-8 bytes (cut by the spool's reads). */
const MESSAGES = ["container <c> has no limits", 'a "quoted" & <tagged> message', "two\nlines", "yes", "ünïcödé — 名前 🚀", "key: value", "- dash", "123"];
/**
 * Strings the YAML writer quotes, escapes or writes as blocks (the PolicyReport writer prints its
 * results field by field and must write what the yaml package writes for the whole document).
 */
const ODD = ["", " leading", "trailing ", "#hash", "a #b", "null", "~", "true", "Off", "1e3", "0x1F", "1_000", "--- doc", "...", "%tag", "tab\there", "ctrl\u0001x", "'single'", `both ' and "`, "@at", "`tick`", "[flow]", "{x}", "*alias", "&anchor", "!tag", "|pipe", ">gt", "? q", "?", "-", ":colon", "end:", "line\u2028sep", "back\\slash", "x".repeat(300), "trailing newline\n", "\nleading newline", "lone \ud800 surrogate", "2024-06-01", "12:30"];

/** A few thousand results over several files and namespaces, files in runs as a check reads them. */
function results(count: number): ObjectResult[] {
  const r = rng(7);
  const out: ObjectResult[] = [];
  for (let i = 0; i < count; i++) {
    const file = `apps/${Math.floor((i * 6) / count)}-ñ.yaml`;
    const namespace = r() < 0.1 ? "" : `team-${Math.floor(r() * 25)}`;
    const violations = Array.from({ length: Math.floor(r() * 4) }, (_, k) => {
      const action = ACTIONS[Math.floor(r() * 3)]!;
      const odd = r() < 0.2 ? ODD[Math.floor(r() * ODD.length)]! : undefined;
      const details = r() < 0.5 ? {} : { missing: [odd ?? "owner"], count: k, nested: { z: 1, a: [true, null] } };
      return { constraint: { kind: `K8sCheck${k}`, name: `c-${k}` }, action, enforcementAction: action, msg: odd ?? `${MESSAGES[Math.floor(r() * MESSAGES.length)]} ${i}`, details };
    });
    const x = r();
    const status = violations.length > 0 ? "fail" : x < 0.3 ? "not-matched" : x < 0.35 ? "exempt" : x < 0.4 ? "error" : "pass";
    out.push({
      origin: { file, line: 1 + i * 12, col: 1, ...(r() < 0.2 ? { source: r() < 0.3 ? `chart ${ODD[Math.floor(r() * ODD.length)]}` : "chart/templates/x.yaml" } : {}), ...(r() < 0.5 ? { document: i + 1 } : {}) },
      apiVersion: "v1",
      kind: r() < 0.5 ? "Pod" : "ConfigMap",
      name: r() < 0.05 ? ODD[Math.floor(r() * ODD.length)]! : `app-${i}`,
      namespace,
      status,
      matched: 3,
      matchedConstraints: status === "pass" || status === "fail" ? ["K8sCheck0/c-0", "K8sCheck1/c-1", "K8sOther/o"] : [],
      violations,
      diagnostics: status === "error" ? [{ code: "PC4103", severity: "error", message: `namespace <team> & "labels" unknown ${i}` }] : [],
      // The violating object, as gator's reports print it (maps in Go's key order: these keys are not).
      ...(violations.length > 0 ? { reviewed: { kind: "Pod", apiVersion: "v1", metadata: { name: `app-${i}`, labels: { "ü": "1", z: ODD[i % ODD.length]!, a: "yes" } }, spec: { replicas: i, image: MESSAGES[i % MESSAGES.length] } } } : {}),
    } as ObjectResult);
  }
  return out;
}

function runOf(rs: ObjectResult[]): CheckRun {
  return {
    results: [],
    diagnostics: [],
    summary: { objects: rs.length, passed: 0, failed: 0, notMatched: 0, exempt: 0, errors: 0, violations: { deny: 0, warn: 0, dryrun: 0 } },
    policies: { sources: [], templates: 0, constraints: 0, mutators: 0, expansionTemplates: 0 },
    constraintObjects: new Map(
      [0, 1, 2].map((k) => [`K8sCheck${k}/c-${k}`, { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: `K8sCheck${k}`, metadata: { name: `c-${k}` }, spec: { parameters: { labels: ["owner", "ünï"] } } }]),
    ),
  };
}

/** The report written as results come, with the given spool budget (0: everything through the spool file). */
function streamed(format: ReportFormat, rs: ObjectResult[], budget: number | undefined): { text: string; pieces: number } {
  const pieces: string[] = [];
  const w = openCheckReport(format, { color: false, verbose: false, failOn: "deny" }, (s) => void pieces.push(s), budget);
  const run = runOf(rs);
  w.begin(run.constraintObjects);
  for (const r of rs) w.result(r);
  w.end(run);
  return { text: pieces.join(""), pieces: pieces.length };
}

const spoolDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith("policyc-report-")).sort();

test("PolicyReports streamed through the spool file are byte for byte the whole documents, and valid", () => {
  const before = spoolDirs();
  const rs = results(2000);
  const whole = renderPolicyReports(policyReports({ results: rs }));
  for (const budget of [0, 1000, undefined]) assert.fixture(streamed("policy-report", rs, budget).text, whole);
  assert.ok(streamed("policy-report", rs, 0).pieces > 26 * 2, "written in pieces");
  const docs = YAML.parseAllDocuments(whole).map((d) => d.toJS());
  assert.is(docs.length, 26);
  const validate = schemaValidator("reports/policyreport-v1alpha2.json");
  for (const d of docs) assert.ok(validate(d), JSON.stringify(validate.errors));
  assert.ok(docs.some((d) => d.results.some((x: { message: string }) => x.message.startsWith("ünïcödé — 名前 🚀"))));
  assert.equal(spoolDirs(), before, "no spool file is left behind");
});

test("gator's json and yaml (sorted) and SARIF (rule index) streamed through their spool files are byte for byte the whole documents", () => {
  const before = spoolDirs();
  const rs = results(3000);
  const run = { ...runOf(rs), results: rs };
  const sorted = gatorResults(run);
  assert.ok(sorted.length > 3000, "a result per violation");
  const whole = {
    json: `${JSON.stringify(sorted.map(gatorJsonItem), null, 4)}\n`,
    yaml: toYamlSequence(sorted.map(gatorYamlItem)),
    sarif: `${JSON.stringify(sarifLog(run), null, 2)}\n`,
  };
  // 0: each result a run of its own (gator's: more runs than one merge takes); 20,000: tens of runs; default: in memory.
  for (const format of ["json", "yaml", "sarif"] as const) {
    for (const budget of [0, 20_000, undefined]) assert.fixture(streamed(format, rs, budget).text, whole[format], `${format}, budget ${budget}`);
  }
  // gator's reports are written in pieces of about 64 KB, not whole.
  for (const format of ["json", "yaml"] as const) assert.ok(streamed(format, rs, 0).pieces >= whole[format].length / (2 * 65536), format);
  assert.equal(JSON.parse(whole.json).length, sorted.length);
  const sarif = JSON.parse(whole.sarif);
  const validate = schemaValidator("reports/sarif-2.1.0.json");
  assert.ok(validate(sarif), JSON.stringify(validate.errors));
  assert.equal(spoolDirs(), before, "no spool file is left behind");
});

/** Multi-line strings the YAML writer prints as blocks (with indent indicators and chomping) or as quoted flows. */
const MULTILINE = [" lead\nx", "x\n\n", "x\n ", "a\n  b", "\n\nx", "x\ny\n\n\n", "---\nx", "x\n---", "x\n...", "%x\ny", "tab\n\tx", "ctrl\u0007\nx and some more text to make it long enough", "trail \nx", "a: b\n- c", "x\n#y", "  \n", "\u2028\nx"];
const NUMBERS = [0, -0, 1, -3, 1.5, 1e21, 1e-7, 2 ** 53, 123456789.125, -0.5, 80, 8080];

/** A random JSON value (what a violating object or a violation's details hold), every shape the YAML writer meets. */
function value(r: () => number, depth: number): unknown {
  const x = r();
  if (depth <= 0 || x < 0.45) {
    const y = r();
    if (y < 0.35) return ODD[Math.floor(r() * ODD.length)]!;
    if (y < 0.5) return MULTILINE[Math.floor(r() * MULTILINE.length)]!;
    if (y < 0.7) return NUMBERS[Math.floor(r() * NUMBERS.length)]!;
    if (y < 0.8) return r() < 0.5;
    if (y < 0.85) return null;
    if (y < 0.9) return r() < 0.5 ? {} : [];
    return `v${Math.floor(r() * 50)}`;
  }
  if (x < 0.7) return Array.from({ length: 1 + Math.floor(r() * 3) }, () => value(r, depth - 1));
  const keys = [...ODD, ...MULTILINE, "k".repeat(1030), "apiVersion", "kind", "metadata", "spec", "a", "b", "ü", "0", "10", "2"];
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(r() * 4) }, () => [keys[Math.floor(r() * keys.length)]!, value(r, depth - 1)]));
}

test("gator's yaml and json of violating objects and details of every shape are byte for byte the yaml package's and JSON.stringify's", () => {
  const r = rng(23);
  const rs = results(1500).map((x) =>
    x.violations.length === 0 ? x : { ...x, reviewed: { apiVersion: "v1", kind: "Pod", metadata: { name: x.name }, spec: value(r, 5), status: value(r, 3) }, violations: x.violations.map((v) => ({ ...v, details: r() < 0.5 ? v.details : value(r, 4) })) },
  );
  const run = { ...runOf(rs), results: rs };
  const sorted = gatorResults(run);
  const yaml = toYamlSequence(sorted.map(gatorYamlItem));
  const json = `${JSON.stringify(sorted.map(gatorJsonItem), null, 4)}\n`;
  for (const budget of [0, undefined]) {
    assert.fixture(streamed("yaml", rs, budget).text, yaml, `yaml, budget ${budget}`);
    assert.fixture(streamed("json", rs, budget).text, json, `json, budget ${budget}`);
  }
});

test("JUnit streamed through the spool file is byte for byte the document held in memory; counts stand before the cases they count", () => {
  const rs = results(2000);
  const whole = streamed("junit", rs, Infinity).text;
  for (const budget of [0, 1000, undefined]) assert.fixture(streamed("junit", rs, budget).text, whole);
  const xml = parseXml(whole);
  const validate = schemaValidator("reports/junit.json");
  assert.ok(validate(xml), JSON.stringify(validate.errors));
  const root = (xml.testsuites as any)[0];
  const suites = root.testsuite as any[];
  assert.equal(
    suites.map((s) => s["@name"]),
    [...new Set(rs.map((r) => r.origin.file))],
  );
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const s of suites) {
    const cases = s.testcase as any[];
    const counts = { tests: cases.length, failures: cases.filter((c) => c.failure).length, errors: cases.filter((c) => c.error).length, skipped: cases.filter((c) => c.skipped).length };
    assert.equal([s["@tests"], s["@failures"], s["@errors"], s["@skipped"]].map(Number), Object.values(counts));
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += counts[k];
  }
  assert.is(total.tests, 2000);
  assert.ok(total.failures > 0 && total.errors > 0 && total.skipped > 0);
  assert.equal([root["@tests"], root["@failures"], root["@errors"], root["@skipped"]].map(Number), Object.values(total));
  assert.ok(whole.includes("ünïcödé — 名前 🚀"));
});

test("an empty run: JUnit and PolicyReports as the whole documents", () => {
  assert.is(streamed("junit", [], 0).text, `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="policyc check" tests="0" failures="0" errors="0" skipped="0">\n</testsuites>\n`);
  assert.is(streamed("policy-report", [], 0).text, "");
});

test("the spool: groups in the order first seen, each group's text whole across spills; closing twice is harmless", () => {
  const spool = new GroupSpool(10);
  const expected = new Map<string, string>();
  const r = rng(3);
  for (let i = 0; i < 500; i++) {
    const g = `g${Math.floor(r() * 7)}`;
    const text = `${i}:${"é🚀x".repeat(Math.floor(r() * 40))}\n`;
    spool.add(g, text);
    expected.set(g, (expected.get(g) ?? "") + text);
  }
  assert.equal(spool.names(), [...expected.keys()]);
  for (const [g, text] of expected) {
    let out = "";
    spool.copy(g, (s) => void (out += s));
    assert.is(out, text);
  }
  spool.close();
  spool.close();
});

test("the sorted spool: a stable sort by Go's byte order, whole in memory, through sorted runs, and through merges of merges", () => {
  const before = spoolDirs();
  const r = rng(11);
  // Keys that JavaScript's UTF-16 order and Go's UTF-8 order sort differently (U+FF5E vs U+1F680), prefixes, ties.
  const words = ["deny", "dryrun", "warn", "", "denyx", "\uff5e", "\u{1f680}", "é", "a b"];
  const items = Array.from({ length: 2000 }, (_, i) => ({
    key: [words[Math.floor(r() * words.length)]!, `${words[Math.floor(r() * words.length)]}${Math.floor(r() * 5)}`],
    text: `${i}:${"é🚀x".repeat(Math.floor(r() * 20))}\n`,
  }));
  const expected = [...items].sort((a, b) => compareGo(a.key[0]!, b.key[0]!) || compareGo(a.key[1]!, b.key[1]!)).map((x) => x.text);
  // Infinity: in memory; 4096: ~30 runs merged at once; 100: a run per item or two, more than one merge can take.
  for (const budget of [Infinity, 4096, 100, 0]) {
    const spool = new SortedSpool(2, budget);
    for (const x of items) spool.add(x.key, x.text);
    assert.equal([...spool.sorted()], expected, `budget ${budget}`);
    spool.close();
  }
  const empty = new SortedSpool(1, 0);
  assert.equal([...empty.sorted()], []);
  assert.equal(spoolDirs(), before, "no spool file is left behind");
});

test("the record spool: records in the order added, across the file and memory", () => {
  const r = rng(5);
  const records = Array.from({ length: 1500 }, (_, i) => [`K8s${Math.floor(r() * 9)}/c`, `${i}${"ü🚀".repeat(Math.floor(r() * 30))}`, ""]);
  for (const budget of [Infinity, 1000, 0]) {
    const spool = new RecordSpool(3, budget);
    for (const x of records) spool.add(x);
    assert.equal([...spool.records()], records, `budget ${budget}`);
    spool.close();
  }
});

test("SIGINT or SIGTERM mid-run leaves neither stdin's copy nor a report's spool behind", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-signal-"));
  const ours = () => readdirSync(tmpdir()).filter((f) => /^policyc-(input|report)-/.test(f)).sort();
  try {
    const rego = 'package k8sfoo\n\nviolation[{"msg": msg}] {\n  input.review.object.foo != "bar"\n  msg := "foo is not bar"\n}\n';
    writeFileSync(path.join(dir, "template.yaml"), templateWithConstraint("K8sFoo", rego, "FooIsBar"));
    // Enough objects that the run is still going when the signal comes.
    const objects = Array.from({ length: 20000 }, (_, i) => `apiVersion: v1\nkind: FooIsBar\nmetadata: {name: x${i}}\nfoo: qux\n`).join("---\n");
    const before = ours();
    for (const [signal, format] of [["SIGINT", "json"], ["SIGTERM", "policy-report"]] as const) {
      const child = spawn(process.execPath, [path.join(projectRoot, "bin/policyc.js"), "check", "--no-project", "template.yaml", "-", "-o", format, "--workers", "2"], { cwd: dir, stdio: ["pipe", "ignore", "ignore"] });
      // Listened for from the start: a child that ends before the signal must not leave the test waiting.
      const exited = new Promise((r) => child.on("exit", r));
      child.stdin.end(objects);
      await new Promise((r) => setTimeout(r, 1500));
      child.kill(signal);
      await exited;
      assert.equal(ours(), before, `${signal} during -o ${format}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a reader that goes away (check | head) ends the run quietly: exit 141 as for SIGPIPE, no stack trace, whatever the report", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policyc-check-epipe-"));
  try {
    const rego = 'package k8sfoo\n\nviolation[{"msg": msg}] {\n  input.review.object.foo != "bar"\n  msg := "foo is not bar"\n}\n';
    writeFileSync(path.join(dir, "template.yaml"), templateWithConstraint("K8sFoo", rego));
    // Enough objects for the worker threads and for pieces of output after the first.
    writeFileSync(path.join(dir, "objects.yaml"), Array.from({ length: 3000 }, (_, i) => `apiVersion: v1\nkind: FooIsBar\nmetadata: {name: x${i}}\nfoo: qux\n`).join("---\n"));
    const bin = path.join(projectRoot, "bin/policyc.js");
    for (const format of ["pretty", "junit"]) {
      const r = spawnSync("bash", ["-c", `"$NODE" "$BIN" check --no-project template.yaml objects.yaml -v --workers 2 -o ${format} 2>err.txt | head -n 2 >/dev/null; echo "\${PIPESTATUS[0]}"; cat err.txt`], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, BIN: bin, NODE: process.execPath },
      });
      const [status, ...stderr] = r.stdout.split("\n");
      assert.is(status, "141", `${format}: ${r.stdout}${r.stderr}`);
      assert.not.match(stderr.join("\n"), /EPIPE|PC9|\bat /, format);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
