/**
 * Temporary files of policyc's own, for what a run sets aside rather than hold in memory: a
 * report's text until it can be assembled (`report/spool.ts`), stdin's text for the passes after
 * the first (`inputs.ts`).
 *
 * A spool file is unlinked as soon as it is open (POSIX keeps an open file's data until it is
 * closed): however the run ends — an error, SIGINT, SIGTERM, a closed pipe, a kill — nothing is
 * left behind in the temporary directory. Where an open file cannot be unlinked (Windows), it is
 * removed when the spool is closed or the process exits.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, rmdirSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** A spool file: append-only, read at any offset; opened on the first write. */
export class SpoolFile {
  private fd: number | undefined;
  /** The file's path while it still has one (it could not be unlinked when opened). */
  private leftover: string | undefined;
  size = 0;
  private readonly removeOnExit = () => this.close();

  /** `prefix`: the name of its folder in the temporary directory (while it has one). */
  constructor(private readonly prefix: string) {}

  /** Appends the bytes; returns their offset. */
  append(bytes: Uint8Array): number {
    const fd = this.fd ?? this.open();
    const at = this.size;
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off, at + off);
    this.size += bytes.length;
    return at;
  }

  /** Reads up to `length` bytes at `position` into `into` at `offset`. */
  read(into: Uint8Array, offset: number, length: number, position: number): number {
    if (this.fd === undefined) throw new Error("a spool file was read before it was written");
    const n = readSync(this.fd, into, offset, length, position);
    if (n === 0 && length > 0 && position < this.size) throw new Error("a spool file ended early");
    return n;
  }

  /** Lets the file go (idempotent). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.size = 0;
    if (this.leftover) {
      rmSync(path.dirname(this.leftover), { recursive: true, force: true });
      this.leftover = undefined;
      process.off("exit", this.removeOnExit);
    }
  }

  private open(): number {
    const dir = mkdtempSync(path.join(tmpdir(), this.prefix));
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
