/**
 * Text set aside by group until a report can be assembled: JUnit's test cases wait for their file's
 * counts (which its start tag carries), PolicyReport results for their namespace's summary. Each
 * group's text is held in memory up to a budget shared by all groups, then appended to a spool file
 * of policyc's own, so a report of a cluster snapshot costs the budget, not the report's size.
 *
 * The spool file is unlinked as soon as it is open (POSIX keeps an open file's data until it is
 * closed): however the run ends — an error, SIGINT, SIGTERM, a kill — nothing is left behind in
 * the temporary directory. Where an open file cannot be unlinked (Windows), it is removed when the
 * spool is closed or the process exits. Its name never reaches the output.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, rmdirSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";

/** Text held in memory (in UTF-16 code units) before the spool file is written. */
const DEFAULT_BUDGET = 4 << 20;
const READ_BYTES = 64 << 10;

interface Group {
  /** Text not yet in the file, and its length. */
  pending: string[];
  pendingLength: number;
  /** The group's runs in the file, in order: [offset, length] pairs in bytes. */
  runs: number[];
}

export class GroupSpool {
  private readonly groups = new Map<string, Group>();
  private held = 0;
  private fd: number | undefined;
  /** The file's path while it still has one (it could not be unlinked when opened). */
  private leftover: string | undefined;
  private size = 0;
  private readonly removeOnExit = () => this.close();

  constructor(private readonly budget = DEFAULT_BUDGET) {}

  /** Appends text to a group (groups are kept in the order first seen). */
  add(group: string, text: string): void {
    let g = this.groups.get(group);
    if (!g) this.groups.set(group, (g = { pending: [], pendingLength: 0, runs: [] }));
    g.pending.push(text);
    g.pendingLength += text.length;
    this.held += text.length;
    if (this.held > this.budget) this.spill();
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
          const n = readSync(this.fd!, block, 0, Math.min(READ_BYTES, end - at), at);
          if (n === 0) throw new Error("the report's spool file ended early");
          at += n;
          const s = decoder.write(block.subarray(0, n));
          if (s !== "") write(s);
        }
      }
      const rest = decoder.end();
      if (rest !== "") write(rest);
    }
    if (g.pendingLength > 0) write(g.pending.join(""));
  }

  /** Lets the file go (idempotent). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.leftover) {
      rmSync(path.dirname(this.leftover), { recursive: true, force: true });
      this.leftover = undefined;
      process.off("exit", this.removeOnExit);
    }
    this.groups.clear();
    this.held = 0;
  }

  /** Moves every group's held text to the file. */
  private spill(): void {
    const fd = this.fd ?? this.open();
    for (const g of this.groups.values()) {
      if (g.pendingLength === 0) continue;
      const bytes = Buffer.from(g.pending.join(""), "utf8");
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, this.size + off);
      // A group spilled twice in a row with nothing between extends its last run.
      const last = g.runs.length - 2;
      if (last >= 0 && g.runs[last]! + g.runs[last + 1]! === this.size) g.runs[last + 1]! += bytes.length;
      else g.runs.push(this.size, bytes.length);
      this.size += bytes.length;
      g.pending = [];
      g.pendingLength = 0;
    }
    this.held = 0;
  }

  private open(): number {
    const dir = mkdtempSync(path.join(tmpdir(), "policyc-report-"));
    const file = path.join(dir, "spool");
    const fd = openSync(file, "wx+", 0o600);
    this.fd = fd;
    try {
      unlinkSync(file);
      rmdirSync(dir);
    } catch {
      this.leftover = file;
      process.on("exit", this.removeOnExit);
    }
    return fd;
  }
}
