/**
 * Report text set aside until a report can be assembled, in memory up to a budget, then in a
 * spool file of policyc's own, so a report of a cluster snapshot costs the budget, not its size:
 * - `GroupSpool`: text by group (JUnit's test cases wait for their file's counts, which its start
 *   tag carries; PolicyReport results for their namespace's summary);
 * - `RecordSpool`: records in the order added (SARIF's results wait for the rule index, known
 *   once every rule is);
 * - `SortedSpool`: text by a sort key (gator's results, sorted by action and message): sorted runs
 *   of the budget's size in the file, merged at the end (an external merge sort);
 * - `TextStore`: texts stored once and read back by handle (the violating objects gator's results
 *   print, each once however many of its violations refer to it).
 *
 * The spool file (`SpoolFile`) is unlinked as soon as it is open: however the run ends, nothing is
 * left behind. Its name never reaches the output.
 */
import { StringDecoder } from "node:string_decoder";
import { SpoolFile } from "../spool-file.js";

/**
 * Bytes held in memory before the spool file is written. They are held as bytes, in one buffer
 * outside the JavaScript heap that is reused: text kept as strings until a spill would outlive
 * the young generation and fill the old one with garbage between its collections (the peak RSS a
 * PolicyReport of a cluster snapshot cost was mostly that).
 */
const DEFAULT_BUDGET = 1 << 20;
const READ_BYTES = 64 << 10;
/** The spool file's name (its folder's prefix in the temporary directory). */
const REPORT_SPOOL = "policyc-report-";

/** Bytes being gathered in memory: a buffer that grows up to a capacity and is reused. */
class Staging {
  buf = Buffer.alloc(0);
  used = 0;

  constructor(readonly capacity: number) {}

  /** Whether `bytes` more fit. */
  fits(bytes: number): boolean {
    return this.used + bytes <= this.capacity;
  }

  /** Writes text (it must fit); returns where it starts. */
  put(text: string, bytes: number): number {
    this.reserve(bytes);
    const at = this.used;
    this.buf.write(text, at, "utf8");
    this.used += bytes;
    return at;
  }

  /** Appends bytes (they must fit); returns where they start. */
  putBytes(b: Uint8Array): number {
    this.reserve(b.length);
    const at = this.used;
    this.buf.set(b, at);
    this.used += b.length;
    return at;
  }

  /** Appends what it holds to `file`, in one write, and empties. */
  spillTo(file: SpoolFile): void {
    if (this.used === 0) return;
    file.append(this.buf.subarray(0, this.used));
    this.used = 0;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    const size = Math.min(this.capacity, Math.max(this.used + bytes, this.buf.length * 2, 64 << 10));
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }
}

interface Group {
  /** The group's text in the staging buffer: [offset, length] pairs in bytes. */
  pieces: number[];
  /** The group's runs in the file, in order: [offset, length] pairs in bytes. */
  runs: number[];
}

export class GroupSpool {
  private readonly groups = new Map<string, Group>();
  private readonly staging: Staging;
  private readonly file = new SpoolFile(REPORT_SPOOL);
  /** Where a spill gathers the groups' text, each group's together (reused). */
  private scratch = Buffer.alloc(0);

  constructor(budget = DEFAULT_BUDGET) {
    this.staging = new Staging(budget);
  }

  /** Appends text to a group (groups are kept in the order first seen). */
  add(group: string, text: string): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { pieces: [], runs: [] }));
    const bytes = Buffer.byteLength(text, "utf8");
    if (!this.staging.fits(bytes)) this.spill();
    if (this.staging.fits(bytes)) g.pieces.push(this.staging.put(text, bytes), bytes);
    else addRun(g.runs, this.file.append(Buffer.from(text, "utf8")), bytes);
  }

  /** The groups, in the order first seen. */
  names(): string[] {
    return [...this.groups.keys()];
  }

  /** Writes a group's text, as added, in pieces. */
  copy(group: string, write: (s: string) => void): void {
    const g = this.groups.get(group);
    if (!g) return;
    if (g.runs.length > 0) {
      const block = Buffer.allocUnsafe(READ_BYTES);
      // Runs may end inside a character only where the next run goes on (text is added whole).
      const decoder = new StringDecoder("utf8");
      for (let i = 0; i < g.runs.length; i += 2) {
        let at = g.runs[i]!;
        const end = at + g.runs[i + 1]!;
        while (at < end) {
          const n = this.file.read(block, 0, Math.min(READ_BYTES, end - at), at);
          at += n;
          const s = decoder.write(block.subarray(0, n));
          if (s !== "") write(s);
        }
      }
      const rest = decoder.end();
      if (rest !== "") write(rest);
    }
    const buf = this.staging.buf;
    for (let i = 0; i < g.pieces.length; ) {
      // Pieces side by side in the buffer are decoded together.
      const start = g.pieces[i]!;
      let end = start + g.pieces[i + 1]!;
      for (i += 2; i < g.pieces.length && g.pieces[i] === end; i += 2) end += g.pieces[i + 1]!;
      write(buf.toString("utf8", start, end));
    }
  }

  /** Lets the file go (idempotent). */
  close(): void {
    this.file.close();
    this.groups.clear();
    this.staging.used = 0;
  }

  /** Moves the staging buffer's text to the file, each group's as one run (one write). */
  private spill(): void {
    if (this.staging.used === 0) return;
    if (this.scratch.length < this.staging.used) this.scratch = Buffer.allocUnsafe(this.staging.buf.length);
    const out = this.scratch;
    const base = this.file.size;
    let at = 0;
    for (const g of this.groups.values()) {
      if (g.pieces.length === 0) continue;
      const start = at;
      for (let i = 0; i < g.pieces.length; i += 2) at += this.staging.buf.copy(out, at, g.pieces[i]!, g.pieces[i]! + g.pieces[i + 1]!);
      addRun(g.runs, base + start, at - start);
      g.pieces = [];
    }
    this.file.append(out.subarray(0, at));
    this.staging.used = 0;
  }
}

/** Adds a run to a group's runs, extending the last one when the new one follows it. */
function addRun(runs: number[], at: number, length: number): void {
  const last = runs.length - 2;
  if (last >= 0 && runs[last]! + runs[last + 1]! === at) runs[last + 1]! += length;
  else runs.push(at, length);
}

/**
 * Records of byte-string fields, as the spool file holds them: each field is its length (4 bytes,
 * little-endian) and its bytes.
 */
function recordBytes(fields: readonly (string | Uint8Array)[]): number {
  let n = 0;
  for (const f of fields) n += 4 + (typeof f === "string" ? Buffer.byteLength(f, "utf8") : f.length);
  return n;
}

function putRecord(staging: Staging, fields: readonly (string | Uint8Array)[]): number {
  const start = staging.used;
  for (const f of fields) {
    const at = staging.putBytes(LENGTH_PLACEHOLDER);
    const n = typeof f === "string" ? staging.put(f, Buffer.byteLength(f, "utf8")) : staging.putBytes(f);
    staging.buf.writeUInt32LE(staging.used - n, at);
  }
  return start;
}

const LENGTH_PLACEHOLDER = new Uint8Array(4);

/**
 * Reads the records of a range of bytes (the spool file's, or a buffer's), a block at a time. A
 * record's fields are views of the reader's buffer, valid until `next` is called again.
 */
class RecordReader {
  private buf: Buffer;
  private pos = 0;
  private lim = 0;

  constructor(
    private readonly source: SpoolFile | Buffer,
    private at: number,
    private readonly end: number,
    private readonly fields: number,
    blockBytes = READ_BYTES,
  ) {
    if (Buffer.isBuffer(source)) {
      // In memory: the buffer itself.
      this.buf = source;
      this.pos = at;
      this.lim = end;
      this.at = end;
    } else this.buf = Buffer.allocUnsafe(blockBytes);
  }

  next(): Buffer[] | undefined {
    if (this.pos === this.lim && this.at >= this.end) return undefined;
    // The fields' offsets first (reading on may move the buffer's content).
    const spans: number[] = [];
    let p = 0;
    for (let i = 0; i < this.fields; i++) {
      this.ensure(p + 4);
      const len = this.buf.readUInt32LE(this.pos + p);
      this.ensure(p + 4 + len);
      spans.push(p + 4, len);
      p += 4 + len;
    }
    const out: Buffer[] = [];
    for (let i = 0; i < spans.length; i += 2) out.push(this.buf.subarray(this.pos + spans[i]!, this.pos + spans[i]! + spans[i + 1]!));
    this.pos += p;
    return out;
  }

  /** At least `n` bytes from `pos` in the buffer (the record's bytes so far stay in it). */
  private ensure(n: number): void {
    if (this.lim - this.pos >= n) return;
    if (Buffer.isBuffer(this.source)) throw new Error("the report's spool ended inside a record");
    if (n > this.buf.length) {
      // A record larger than the block: a buffer that holds it.
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, this.pos, this.lim);
      this.buf = bigger;
    } else this.buf.copy(this.buf, 0, this.pos, this.lim);
    this.lim -= this.pos;
    this.pos = 0;
    while (this.lim < n) {
      if (this.at >= this.end) throw new Error("the report's spool file ended inside a record");
      const got = this.source.read(this.buf, this.lim, Math.min(this.buf.length - this.lim, this.end - this.at), this.at);
      this.at += got;
      this.lim += got;
    }
  }
}

/** Records of string fields, given back in the order added. */
export class RecordSpool {
  private readonly staging: Staging;
  private readonly file = new SpoolFile(REPORT_SPOOL);

  constructor(
    private readonly fields: number,
    budget = DEFAULT_BUDGET,
  ) {
    this.staging = new Staging(budget);
  }

  add(fields: readonly string[]): void {
    if (fields.length !== this.fields) throw new Error(`a spool record has ${this.fields} fields, not ${fields.length}`);
    const bytes = recordBytes(fields);
    if (!this.staging.fits(bytes)) this.spill();
    if (this.staging.fits(bytes)) putRecord(this.staging, fields);
    else {
      const one = new Staging(bytes);
      putRecord(one, fields);
      this.file.append(one.buf.subarray(0, one.used));
    }
  }

  /** The records, in the order added. */
  *records(): Generator<string[]> {
    for (const source of [this.file, this.staging.buf] as const) {
      const end = source === this.file ? this.file.size : this.staging.used;
      if (end === 0) continue;
      const reader = new RecordReader(source, 0, end, this.fields);
      for (let r = reader.next(); r; r = reader.next()) yield r.map((b) => b.toString("utf8"));
    }
  }

  close(): void {
    this.file.close();
    this.staging.used = 0;
  }

  private spill(): void {
    this.staging.spillTo(this.file);
  }
}

/** A record held for sorting: its key's fields and its text, as views of the staging buffer. */
interface SortItem {
  key: Buffer[];
  start: number;
  end: number;
}

/** Go's order of strings: byte-wise on their UTF-8, field by field. */
function compareKeys(a: readonly Buffer[], b: readonly Buffer[], n: number): number {
  for (let i = 0; i < n; i++) {
    const c = Buffer.compare(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Runs merged at once; more runs are merged in several passes (each cursor holds a block). */
const FAN_IN = 128;
/** The sort's budget: a run is as large as it, and a cluster's gator report runs to hundreds of MB. */
const SORT_BUDGET = 4 << 20;

/**
 * Text by a key of string fields, given back sorted by key as Go compares strings (UTF-8 bytes),
 * equal keys in the order added: as a stable sort of everything added. What exceeds the budget is
 * sorted and written as a run; the runs are merged at the end, an earlier run winning ties.
 */
export class SortedSpool {
  private items: SortItem[] = [];
  private readonly staging: Staging;
  private readonly file = new SpoolFile(REPORT_SPOOL);
  /** Sorted runs in the file, in the order written: [start, end] byte offsets. */
  private runs: [number, number][] = [];
  private scratch = Buffer.alloc(0);

  /** `payload`: the string fields each record carries after its key (`add`'s text). */
  constructor(
    private readonly keys: number,
    budget = SORT_BUDGET,
    private readonly payload = 1,
  ) {
    this.staging = new Staging(budget);
  }

  add(key: readonly string[], ...texts: string[]): void {
    if (key.length !== this.keys) throw new Error(`a sort key has ${this.keys} fields, not ${key.length}`);
    if (texts.length !== this.payload) throw new Error(`a sorted record carries ${this.payload} texts, not ${texts.length}`);
    const fields = [...key, ...texts];
    const bytes = recordBytes(fields);
    if (!this.staging.fits(bytes)) this.spill();
    if (this.staging.fits(bytes)) {
      const start = putRecord(this.staging, fields);
      this.items.push({ key: [], start, end: this.staging.used });
    } else {
      // Larger than the budget: a run of its own.
      const one = new Staging(bytes);
      putRecord(one, fields);
      const start = this.file.size;
      this.file.append(one.buf.subarray(0, one.used));
      this.runs.push([start, this.file.size]);
    }
  }

  /** Every text, in key order (one text per record). */
  *sorted(): Generator<string> {
    for (const texts of this.sortedRecords()) yield texts[0]!;
  }

  /** Every record's texts, in key order. */
  *sortedRecords(): Generator<string[]> {
    const texts = (r: Buffer[]) => r.slice(this.keys).map((b) => b.toString("utf8"));
    if (this.runs.length === 0) {
      for (const it of this.sortItems()) yield texts(new RecordReader(this.staging.buf, it.start, it.end, this.keys + this.payload).next()!);
      return;
    }
    this.spill();
    // Merge the first runs into one (it stands first: ties go to earlier runs) until one pass is enough.
    while (this.runs.length > FAN_IN) {
      const start = this.file.size;
      const out = new Staging(READ_BYTES);
      for (const r of this.merge(this.runs.slice(0, FAN_IN))) {
        const bytes = recordBytes(r);
        if (!out.fits(bytes) && out.used > 0) {
          this.file.append(out.buf.subarray(0, out.used));
          out.used = 0;
        }
        if (out.fits(bytes)) putRecord(out, r);
        else {
          const one = new Staging(bytes);
          putRecord(one, r);
          this.file.append(one.buf.subarray(0, one.used));
        }
      }
      if (out.used > 0) this.file.append(out.buf.subarray(0, out.used));
      this.runs.splice(0, FAN_IN, [start, this.file.size]);
    }
    for (const r of this.merge(this.runs)) yield texts(r);
  }

  close(): void {
    this.file.close();
    this.items = [];
    this.staging.used = 0;
    this.runs = [];
  }

  /** The items held, sorted (stable: equal keys in the order added). */
  private sortItems(): SortItem[] {
    for (const it of this.items) it.key = new RecordReader(this.staging.buf, it.start, it.end, this.keys + this.payload).next()!;
    return this.items.sort((a, b) => compareKeys(a.key, b.key, this.keys));
  }

  private spill(): void {
    if (this.items.length === 0) return;
    if (this.scratch.length < this.staging.used) this.scratch = Buffer.allocUnsafe(this.staging.buf.length);
    let at = 0;
    for (const it of this.sortItems()) at += this.staging.buf.copy(this.scratch, at, it.start, it.end);
    const start = this.file.size;
    this.file.append(this.scratch.subarray(0, at));
    this.runs.push([start, this.file.size]);
    this.items = [];
    this.staging.used = 0;
  }

  /** The runs' records merged in key order (a binary heap of one cursor per run). */
  private *merge(runs: readonly [number, number][]): Generator<Buffer[]> {
    const fields = this.keys + this.payload;
    const block = runs.length > 16 ? 16 << 10 : READ_BYTES;
    type Cursor = { reader: RecordReader; record: Buffer[]; run: number };
    const heap: Cursor[] = [];
    const less = (a: Cursor, b: Cursor) => {
      const c = compareKeys(a.record, b.record, this.keys);
      return c < 0 || (c === 0 && a.run < b.run);
    };
    const down = (i: number) => {
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) return;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    };
    runs.forEach(([start, end], run) => {
      const reader = new RecordReader(this.file, start, end, fields, block);
      const record = reader.next();
      if (record) heap.push({ reader, record, run });
    });
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
    while (heap.length > 0) {
      const top = heap[0]!;
      yield top.record;
      const next = top.reader.next();
      if (next) top.record = next;
      else {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      down(0);
    }
  }
}

/**
 * Texts stored once and read back by their handle, any number of times, in any order (a report's
 * violating objects, which its sorted items refer to instead of each holding a copy: an object
 * with ten violations is printed ten times). In memory up to a budget, then in the spool file. A
 * handle is the text's offset and length in the store's bytes, the file's followed by those in
 * memory: a spill appends memory's bytes to the file, so every handle stays valid.
 */
export class TextStore {
  private readonly staging: Staging;
  private readonly file = new SpoolFile(REPORT_SPOOL);
  private block = Buffer.alloc(0);

  constructor(budget = DEFAULT_BUDGET) {
    this.staging = new Staging(budget);
  }

  /** Stores a text; returns its handle. */
  add(text: string): TextHandle {
    const bytes = Buffer.byteLength(text, "utf8");
    if (!this.staging.fits(bytes)) this.spill();
    if (this.staging.fits(bytes)) return { at: this.file.size + this.staging.put(text, bytes), bytes };
    return { at: this.file.append(Buffer.from(text, "utf8")), bytes };
  }

  get(h: TextHandle): string {
    const inMemory = h.at - this.file.size;
    if (inMemory >= 0) return this.staging.buf.toString("utf8", inMemory, inMemory + h.bytes);
    if (this.block.length < h.bytes) this.block = Buffer.allocUnsafe(Math.max(h.bytes, READ_BYTES));
    for (let n = 0; n < h.bytes; ) n += this.file.read(this.block, n, h.bytes - n, h.at + n);
    return this.block.toString("utf8", 0, h.bytes);
  }

  /** Lets the file go (idempotent). */
  close(): void {
    this.file.close();
    this.staging.used = 0;
  }

  private spill(): void {
    this.staging.spillTo(this.file);
  }
}

export interface TextHandle {
  at: number;
  bytes: number;
}
