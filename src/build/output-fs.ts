/**
 * Every filesystem call the output writer makes, behind one object. The writer never imports
 * `node:fs` for the output directory itself: it calls these, so a test can stop it before or after
 * any single call (`FaultHook`) and prove that the output survives a crash at that instant.
 */
import * as fs from "node:fs";
import { makeDirs } from "./make-dirs.js";

/** Called before and after each filesystem call; throwing from it stands for the process dying there. */
export type FaultHook = (call: string, when: "before" | "after", target: string) => void;

export interface OutputFs {
  exists(p: string): boolean;
  lstat(p: string): fs.Stats | undefined;
  stat(p: string): fs.Stats | undefined;
  readdir(p: string): fs.Dirent[];
  readFile(p: string): string;
  writeFile(p: string, content: string): void;
  mkdir(p: string): void;
  rename(from: string, to: string): void;
  link(existing: string, p: string): void;
  unlink(p: string): void;
  rmdir(p: string): void;
  rmTree(p: string): void;
  access(p: string, mode: number): void;
}

/** The real filesystem, with `hook` around each call. */
export function outputFs(hook?: FaultHook): OutputFs {
  const call = <T>(name: string, target: string, run: () => T): T => {
    hook?.(name, "before", target);
    const result = run();
    hook?.(name, "after", target);
    return result;
  };
  const missingOk = <T>(run: () => T, fallback: T): T => {
    try {
      return run();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return fallback;
      throw e;
    }
  };
  return {
    exists: (p) => call("exists", p, () => fs.existsSync(p)),
    lstat: (p) => call("lstat", p, () => missingOk(() => fs.lstatSync(p), undefined)),
    stat: (p) => call("stat", p, () => missingOk(() => fs.statSync(p), undefined)),
    readdir: (p) => call("readdir", p, () => fs.readdirSync(p, { withFileTypes: true })),
    readFile: (p) => call("readFile", p, () => fs.readFileSync(p, "utf8")),
    // Default modes: 0666 and 0777 less the umask (0644 and 0755 under umask 022).
    writeFile: (p, content) => call("writeFile", p, () => fs.writeFileSync(p, content)),
    mkdir: (p) => call("mkdir", p, () => void makeDirs(p)),
    rename: (from, to) => call("rename", to, () => fs.renameSync(from, to)),
    link: (existing, p) => call("link", p, () => fs.linkSync(existing, p)),
    unlink: (p) => call("unlink", p, () => missingOk(() => fs.unlinkSync(p), undefined)),
    rmdir: (p) => call("rmdir", p, () => fs.rmdirSync(p)),
    rmTree: (p) => call("rmTree", p, () => fs.rmSync(p, { recursive: true, force: true })),
    access: (p, mode) => call("access", p, () => fs.accessSync(p, mode)),
  };
}
