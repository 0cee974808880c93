/**
 * How a write survives the process dying at any instant. New and changed files are first written
 * into a staging folder inside the output (`.policyc-tmp-<pid>-<random>/`). Then a journal
 * (`.policyc-journal`, written under a temporary name and renamed, so it exists whole or not at
 * all) lists the files to move into place and the files to remove, and the journal is applied:
 * removals, then one rename per file (or per folder the old output did not have). Applying is idempotent, so:
 *   - no journal: the write never reached its commit; the output is the complete old one, and a
 *     leftover staging folder is simply deleted (roll back);
 *   - a journal: the commit started; applying it again finishes it (roll forward).
 * Every policyc run that reads or writes the output (`build`, `build --check`, `test`) recovers
 * first, under the output lock, and says what it did.
 */
import path from "node:path";
import type { OutputFs } from "./output-fs.js";

export const JOURNAL_FILE = ".policyc-journal";
export const STAGING_PREFIX = ".policyc-tmp-";

export interface Journal {
  /** The staging folder's name inside the output. */
  staging: string;
  /** Files and whole new folders (relative POSIX paths) to move from the staging folder into the output. */
  moves: string[];
  /** Files of the previous output to remove. */
  removes: string[];
}

/** Writes the journal atomically: after this returns, the write is committed. */
export function writeJournal(outDir: string, journal: Journal, fsx: OutputFs): void {
  const tmp = path.join(outDir, `${JOURNAL_FILE}.tmp-${process.pid}`);
  fsx.writeFile(tmp, `${JSON.stringify(journal)}\n`);
  fsx.rename(tmp, path.join(outDir, JOURNAL_FILE));
}

/** Applies a journal; safe to repeat after an interruption at any point. */
export function applyJournal(outDir: string, journal: Journal, fsx: OutputFs): void {
  const staging = path.join(outDir, journal.staging);
  for (const rel of journal.removes) {
    // On a repeat, a removed file's place may already hold a folder of the new output.
    const p = path.join(outDir, rel);
    if (!fsx.lstat(p)?.isDirectory()) fsx.unlink(p);
  }
  // Folders the removals emptied go too (deepest first), except the output itself.
  const emptied = new Set<string>();
  for (const rel of journal.removes) for (let d = path.posix.dirname(rel); d !== "."; d = path.posix.dirname(d)) emptied.add(d);
  for (const d of [...emptied].sort((a, b) => b.length - a.length)) {
    try {
      fsx.rmdir(path.join(outDir, d));
    } catch {
      // Not empty (it still holds files of the new output) or already gone.
    }
  }
  for (const rel of journal.moves) {
    const from = path.join(staging, rel);
    if (!fsx.lstat(from)) continue; // moved before the interruption
    const to = path.join(outDir, rel);
    fsx.mkdir(path.dirname(to));
    // An empty folder where a file now goes (files are listed, folders are not).
    if (fsx.lstat(to)?.isDirectory()) fsx.rmdir(to);
    fsx.rename(from, to);
  }
}

export function finishJournal(outDir: string, journal: Journal, fsx: OutputFs): void {
  fsx.rmTree(path.join(outDir, journal.staging));
  fsx.unlink(path.join(outDir, JOURNAL_FILE));
}

export interface Recovery {
  /** An interrupted commit was completed: how many files or folders it moved or removed. */
  completed?: number;
  /** Staging folders and temporary files of interrupted builds that were deleted. */
  discarded: string[];
  /** The journal could not be read: the output may mix two builds. */
  unreadableJournal?: boolean;
}

/** Finishes or discards whatever an interrupted write left in `outDir` (call with the lock held). */
export function recover(outDir: string, fsx: OutputFs, readJournal: (file: string) => Journal | undefined): Recovery {
  const result: Recovery = { discarded: [] };
  const journalPath = path.join(outDir, JOURNAL_FILE);
  if (fsx.lstat(journalPath)) {
    const journal = readJournal(journalPath);
    if (journal && safeName(journal.staging)) {
      applyJournal(outDir, journal, fsx);
      finishJournal(outDir, journal, fsx);
      result.completed = journal.moves.length + journal.removes.length;
    } else {
      fsx.unlink(journalPath);
      result.unreadableJournal = true;
    }
  }
  for (const name of debrisIn(outDir, fsx)) {
    fsx.rmTree(path.join(outDir, name));
    result.discarded.push(name);
  }
  return result;
}

/** Names in `outDir` that only an interrupted write leaves: staging folders and temporary journals. */
export function debrisIn(outDir: string, fsx: OutputFs): string[] {
  let names: string[];
  try {
    names = fsx.readdir(outDir).map((e) => e.name);
  } catch {
    return [];
  }
  return names.filter((n) => isDebris(n)).sort();
}

/**
 * Staging folders and temporary journals exist only while a build holds the lock, so any found by
 * the lock's next holder belong to a build that died. (Lock candidates are the lock's business.)
 */
export function isDebris(name: string): boolean {
  return name.startsWith(STAGING_PREFIX) || name.startsWith(`${JOURNAL_FILE}.tmp-`);
}

function safeName(name: unknown): boolean {
  return typeof name === "string" && name.startsWith(STAGING_PREFIX) && !name.includes("/") && !name.includes("\\");
}
