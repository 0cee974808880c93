/**
 * Expands the config's include/exclude globs (`*`, `**`, `?`, `{a,b}`) relative to the project root.
 * Node 20 has no fs.glob, and the patterns policy projects use are simple.
 */
import { readdirSync } from "node:fs";
import path from "node:path";

export function globToRegExp(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` matches zero or more directories.
        const slash = glob[i + 2] === "/";
        re += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else re += "[^/]*";
    } else if (c === "?") re += "[^/]";
    else if (c === "{") {
      const end = glob.indexOf("}", i);
      if (end < 0) re += "\\{";
      else {
        re += "(?:" + glob.slice(i + 1, end).split(",").map(escape).join("|") + ")";
        i = end;
      }
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`);
}

function escape(s: string): string {
  return s.replace(/[.+^$()|[\]\\]/g, "\\$&");
}

/** The literal directory prefix of a glob, where the walk can start. */
function baseOf(glob: string): string {
  const parts = glob.split("/");
  const base: string[] = [];
  for (const p of parts.slice(0, -1)) {
    if (/[*?{]/.test(p)) break;
    base.push(p);
  }
  return base.join("/");
}

/** Files under `root` matching any include and no exclude, as sorted root-relative POSIX paths. */
export function expandGlobs(root: string, include: readonly string[], exclude: readonly string[]): string[] {
  const inc = include.map((g) => globToRegExp(normalize(g)));
  const exc = exclude.map((g) => globToRegExp(normalize(g)));
  const found = new Set<string>();
  for (const base of new Set(include.map((g) => baseOf(normalize(g))))) {
    walk(root, base, (rel) => {
      if (inc.some((r) => r.test(rel)) && !exc.some((r) => r.test(rel))) found.add(rel);
    });
  }
  return [...found].sort();
}

function normalize(glob: string): string {
  return glob.replace(/^\.\//, "");
}

function walk(root: string, rel: string, visit: (rel: string) => void): void {
  let entries;
  try {
    entries = readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.name === "node_modules" || e.name.startsWith(".")) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, child, visit);
    else if (e.isFile()) visit(child);
  }
}
