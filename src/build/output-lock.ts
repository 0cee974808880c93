/**
 * One writer per output directory. The lock is the file `.policyc-lock` inside the output, created
 * atomically (a hard link of a file that already holds our pid, host and a random token, so the
 * lock is never seen half-written). A second build waits for it; a lock whose process is gone
 * (killed, crashed, or a test that simulated a crash) is taken over, so no lock can stay stuck.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { OutputFs } from "./output-fs.js";

export const LOCK_FILE = ".policyc-lock";

interface LockRecord {
  pid: number;
  host: string;
  token: string;
}

/** Tokens of the locks this process holds now (a lock with our pid and another token is stale). */
const held = new Set<string>();

export interface HeldLock {
  release(): void;
}

export type LockOutcome = HeldLock | { busy: LockRecord; waitedMs: number };

/**
 * Takes the lock of `outDir` (which exists), waiting up to `waitMs` for another build to finish.
 * Returns the held lock, or who holds it when the wait ran out.
 */
export async function acquireLock(outDir: string, fsx: OutputFs, waitMs: number): Promise<LockOutcome> {
  const me: LockRecord = { pid: process.pid, host: hostname(), token: randomBytes(8).toString("hex") };
  const lockPath = path.join(outDir, LOCK_FILE);
  const candidate = path.join(outDir, `${LOCK_FILE}.${me.pid}.${me.token}`);
  const started = Date.now();
  let pause = 10;
  try {
    for (;;) {
      // (Re)written each round: a build recovering from a crash may have removed it.
      fsx.writeFile(candidate, `${JSON.stringify(me)}\n`);
      try {
        fsx.link(candidate, lockPath);
        held.add(me.token);
        return { release: () => release(lockPath, me, fsx) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      }
      const holder = readLock(lockPath);
      if (holder && !isAlive(holder)) {
        takeOver(lockPath, holder, fsx);
        continue;
      }
      const waited = Date.now() - started;
      if (waited >= waitMs) return { busy: holder ?? { pid: 0, host: "", token: "" }, waitedMs: waited };
      await new Promise((r) => setTimeout(r, Math.min(pause, waitMs - waited)));
      pause = Math.min(pause * 2, 200);
    }
  } finally {
    try {
      fsx.unlink(candidate);
    } catch {
      // A leftover candidate is removed with the other debris by the next build.
    }
  }
}

function release(lockPath: string, me: LockRecord, fsx: OutputFs): void {
  // Forget the token first: if the unlink fails (or the process "dies" here in a test), the file
  // left behind is recognisably stale.
  held.delete(me.token);
  const current = readLock(lockPath);
  if (current?.token === me.token) fsx.unlink(lockPath);
}

/** Lock candidates and set-aside locks of processes that are gone (named `.policyc-lock.<pid>.…`). */
export function staleLockFiles(names: readonly string[]): string[] {
  return names.filter((n) => {
    const m = /^\.policyc-lock\.(?:stale\.)?(\d+)\.([0-9a-f]+)$/.exec(n);
    return m !== null && !isAlive({ pid: Number(m[1]), host: hostname(), token: m[2]! });
  });
}

/** Whether a name inside the output belongs to the lock. */
export function isLockFile(name: string): boolean {
  return name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`);
}

function readLock(lockPath: string): LockRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(lockPath, "utf8")) as LockRecord;
    return typeof r.pid === "number" && typeof r.token === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the lock's owner may still be running. Another host's process cannot be checked: alive. */
function isAlive(r: LockRecord): boolean {
  if (r.host !== hostname()) return true;
  if (r.pid === process.pid) return held.has(r.token);
  try {
    process.kill(r.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A recycled pid: on Linux, a process that is not Node cannot be a policyc build.
  try {
    const cmd = readFileSync(`/proc/${r.pid}/cmdline`, "utf8");
    return /node|policyc/.test(cmd);
  } catch {
    return true;
  }
}

/**
 * Removes a stale lock. The lock is first renamed to a private name, so that of several builds
 * noticing the same stale lock only one removes it; if what was moved turns out to be a newer,
 * live lock (taken between our read and our rename), it is put back.
 */
function takeOver(lockPath: string, stale: LockRecord, fsx: OutputFs): void {
  const aside = `${lockPath}.stale.${process.pid}.${randomBytes(4).toString("hex")}`;
  try {
    fsx.rename(lockPath, aside);
  } catch {
    return;
  }
  if (readLock(aside)?.token === stale.token) {
    fsx.unlink(aside);
    return;
  }
  try {
    fsx.link(aside, lockPath);
  } finally {
    fsx.unlink(aside);
  }
}
