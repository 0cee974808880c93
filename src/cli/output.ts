/**
 * The process's standard output and error as the CLI writes them: each write is done before it
 * returns. Node queues writes to a pipe that is not ready in memory, without limit; a report of a
 * cluster snapshot (hundreds of megabytes of gator JSON) piped to a slower reader would grow the
 * queue to gigabytes and fail with ENOBUFS. Waiting for the reader instead keeps memory flat, as
 * a Unix filter does; a reader that goes away ends the write with EPIPE.
 */
import { writeSync } from "node:fs";

const waiter = new Int32Array(new SharedArrayBuffer(4));

export function writeFully(fd: number, s: string): void {
  // Most writes go whole: the string is encoded into a buffer freed at once, not into a Buffer
  // whose memory waits for a garbage collection (a report of hundreds of megabytes is thousands
  // of writes). A partial write goes on from its bytes.
  let off = 0;
  try {
    off = writeSync(fd, s);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
  }
  if (off === Buffer.byteLength(s, "utf8")) return;
  const bytes = Buffer.from(s, "utf8");
  while (off < bytes.length) {
    try {
      off += writeSync(fd, bytes, off, bytes.length - off);
    } catch (e) {
      // A non-blocking pipe that is full: wait a moment for the reader.
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(waiter, 0, 0, 2);
    }
  }
}

/** The error a write to a pipe whose reader has gone away ends with (`policyc check … | head`). */
export function isClosedPipe(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === "EPIPE";
}

/**
 * The exit status of a command whose output's reader went away: 128 + SIGPIPE, as the shell
 * reports a program the signal ended (`yes | head`; `set -o pipefail` sees it).
 */
export const CLOSED_PIPE_EXIT = 141;

export const processOutput = {
  stdout: (s: string) => writeFully(1, s),
  stderr: (s: string) => writeFully(2, s),
};
