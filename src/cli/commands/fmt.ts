/**
 * `policyc fmt [--v0-v1] [--check|-l|-w|-d] PATH...`: Rego in `opa fmt`'s canonical layout
 * (src/engine/fmt.ts), and with `--v0-v1` ported from v0 to v1 as `opa fmt --v0-v1` ports it.
 * Without a mode flag the formatted text goes to stdout; folders are searched for `.rego` files.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DiagnosticError, describeFsError, diag, type Diagnostic } from "../../diagnostics/index.js";
import { formatRego } from "../../engine/fmt.js";
import { parseModule } from "../../engine/rego/parser.js";
import { unifiedDiff } from "../../testing/golden/diff.js";
import { parseCommandArgs, usageError } from "../args.js";
import type { Command } from "../command.js";
import { printDiagnostics } from "../report.js";

const usage = `policyc fmt [--v0-v1 | --v0-compatible] [--check | -l | -w | -d] PATH...

Formats Rego as \`opa fmt\` does (tabs, imports sorted in their groups, one expression per line,
\`:=\` heads in v1, the author's line breaks inside calls and collections, comments kept). PATH is
a .rego file or a folder (searched for .rego files). Without a mode flag the formatted text is
printed.

  --v0-v1          read v0 and write v1, as \`opa fmt --v0-v1\`: \`if\` before bodies, \`contains\`
                   for multi-value rules, future.keywords and rego.v1 imports dropped; fails on
                   what v1 rejects (deprecated built-ins such as \`any\`, duplicate imports)
  --v0-compatible  read and write Rego v0 (default: v1, as OPA 1.x)
  --check          exit 1 and list the files that are not formatted; change nothing
  -l, --list       list the files whose formatting differs
  -w, --write      write the result back to each file
  -d, --diff       print a unified diff of the changes
  -h, --help       show this help`;

export const command: Command = {
  name: "fmt",
  summary: "format Rego as `opa fmt` does; --v0-v1 ports v0 Rego to v1",
  usage,
  async run(argv, io) {
    const args = parseCommandArgs(
      { name: "fmt", usage },
      argv,
      io,
      {
        "v0-v1": { type: "boolean" },
        "v0-compatible": { type: "boolean" },
        check: { type: "boolean" },
        list: { type: "boolean", short: "l" },
        write: { type: "boolean", short: "w" },
        diff: { type: "boolean", short: "d" },
      },
      { positionals: true },
    );
    if (typeof args === "number") return args;
    const v = args.values;
    if (args.positionals.length === 0) return usageError(io, "fmt", "give the .rego files or folders to format");
    if (v["v0-v1"] && v["v0-compatible"]) return usageError(io, "fmt", "--v0-v1 and --v0-compatible exclude each other (--v0-v1 reads v0 and writes v1)");
    const regoVersion = v["v0-v1"] || v["v0-compatible"] ? "v0" : "v1";
    const diagnostics: Diagnostic[] = [];
    const files = regoFiles(io.cwd, args.positionals, diagnostics);
    let changed = 0;
    for (const file of files) {
      const rel = path.relative(io.cwd, file);
      const shown = rel && !rel.startsWith("..") ? rel : file;
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (e) {
        diagnostics.push(diag(FMT_UNREADABLE, [shown, "read", describeFsError(e)]));
        continue;
      }
      let out: string;
      try {
        out = formatRego(text, { file: shown, regoVersion, toV1: v["v0-v1"] === true });
      } catch (e) {
        if (!(e instanceof DiagnosticError)) throw e;
        const hint = regoVersion === "v1" && parses(text, "v0") ? " (the file is Rego v0: pass --v0-compatible to format it as v0, or --v0-v1 to port it)" : "";
        diagnostics.push(...e.diagnostics.map((d, i) => ({ ...d, message: d.message + (i === 0 ? hint : "") })));
        continue;
      }
      const differs = out !== text;
      if (differs) changed++;
      if (v.check || v.list) {
        if (differs) io.stdout(`${shown}\n`);
      }
      if (v.diff && differs) io.stdout(`${unifiedDiff(lines(text), lines(out), `${shown}`, `${shown} (formatted)`)}\n`);
      if (v.write && differs) {
        try {
          writeFileSync(file, out);
        } catch (e) {
          if (typeof (e as NodeJS.ErrnoException).code !== "string") throw e;
          diagnostics.push(diag(FMT_UNREADABLE, [shown, "write", describeFsError(e)]));
        }
      }
      if (!v.check && !v.list && !v.diff && !v.write) io.stdout(out);
    }
    printDiagnostics(io, diagnostics, io.cwd);
    if (diagnostics.some((d) => d.severity === "error")) return 1;
    return v.check && changed > 0 ? 1 : 0;
  },
};

function lines(text: string): string[] {
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

function parses(text: string, regoVersion: "v0" | "v1"): boolean {
  try {
    parseModule(text, { file: "x", regoVersion });
    return true;
  } catch (e) {
    if (e instanceof DiagnosticError) return false;
    throw e;
  }
}

/** The named files, and the `.rego` files below the named folders, sorted and without duplicates. */
function regoFiles(cwd: string, paths: string[], diagnostics: Diagnostic[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") walk(p);
      else if (e.isFile() && e.name.endsWith(".rego")) out.add(p);
    }
  };
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (e) {
      diagnostics.push((e as NodeJS.ErrnoException).code === "ENOENT" ? diag(FMT_NO_SUCH_PATH, [p]) : diag(FMT_UNREADABLE, [p, "read", describeFsError(e)]));
      continue;
    }
    if (st.isDirectory()) walk(abs);
    else out.add(abs);
  }
  return [...out];
}

const FMT_NO_SUCH_PATH = { code: "PC5601", text: "no such file or folder: {0}" };
const FMT_UNREADABLE = { code: "PC5602", text: "cannot {1} {0}: {2}" };
