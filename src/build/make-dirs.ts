/**
 * Creating a folder and its missing parents. Node's `mkdirSync(p, { recursive: true })` retries for
 * ever when the kernel answers ENOENT for a parent that exists (procfs, sysfs: `/proc/x`), so a
 * mistyped output path could hang a build; this walks the path once, creating each missing folder
 * with a plain mkdir, and lets the first real error (ENOENT, EACCES, ENOTDIR, EROFS) surface.
 */
import { mkdirSync, statSync } from "node:fs";
import path from "node:path";

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    const st = statSync(at, { throwIfNoEntry: false });
    if (st) {
      if (!st.isDirectory()) {
        const err = new Error(`ENOTDIR: not a directory, mkdir '${dir}'`) as NodeJS.ErrnoException;
        Object.assign(err, { code: "ENOTDIR", errno: -20, syscall: "mkdir", path: at });
        throw err;
      }
      break;
    }
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      // Another process may have created it meanwhile: only a folder in its place is fine.
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(d).isDirectory()) throw e;
    }
  }
}
