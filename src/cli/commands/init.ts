/** `policyc init DIR`: scaffolds a policy project from the handlebars templates in `templates/init/`. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { packageRoot } from "../../frontend/paths.js";
import { parseCommandArgs, usageError } from "../args.js";
import { writeUserFiles } from "../report.js";
import type { Command } from "../command.js";

const usage = `policyc init DIR [--default-policy Privileged|Baseline|Restricted]

Creates a policy project in DIR (which must not exist or be empty): package.json, tsconfig.json,
policyc.config.ts and an example check in policies/.

  --default-policy P  the cluster's Deckhouse PSS default policy (default Privileged)
  -h, --help          show this help`;

const templatesDir = path.join(packageRoot, "templates", "init");

/** Template files relative to templates/init, without `.hbs`; `gitignore` becomes `.gitignore` (npm drops dotfiles). */
function templateFiles(dir = templatesDir, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...templateFiles(path.join(dir, e.name), r));
    else if (e.name.endsWith(".hbs")) out.push(r);
  }
  return out.sort();
}

export const command: Command = {
  name: "init",
  summary: "scaffold a new policy project",
  usage,
  async run(argv, io) {
    const parsed = parseCommandArgs(
      { name: "init", usage },
      argv,
      io,
      { "default-policy": { type: "string", choices: ["Privileged", "Baseline", "Restricted"] } },
      { positionals: true },
    );
    if (typeof parsed === "number") return parsed;
    const [dir, ...extra] = parsed.positionals;
    if (!dir || extra.length > 0) return usageError(io, "init", `give exactly one directory${extra.length ? ` (got ${parsed.positionals.length})` : ""}`);
    const defaultPolicy = parsed.values["default-policy"] ?? "Privileged";
    const target = path.resolve(io.cwd, dir);
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
      return usageError(io, "init", `${dir} already exists and is not an empty directory; give a new or empty one`);
    }
    const version = (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;
    const data = { name: path.basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, "-"), version, defaultPolicy };
    const written: string[] = [];
    const rendered = templateFiles().map((rel) => ({
      rel: rel.replace(/\.hbs$/, "").replace(/(^|\/)gitignore$/, "$1.gitignore"),
      text: Handlebars.compile(readFileSync(path.join(templatesDir, rel), "utf8"), { noEscape: true, strict: true })(data),
    }));
    const failed = writeUserFiles(io, dir, () => {
      for (const { rel, text } of rendered) {
        const outPath = path.join(target, rel);
        mkdirSync(path.dirname(outPath), { recursive: true });
        writeFileSync(outPath, text);
        written.push(rel);
      }
    });
    if (failed) return failed;
    io.stdout(`created ${dir} (${written.join(", ")})\nnext: cd ${dir} && npm install && npx policyc build\n`);
    return 0;
  },
};
