/** `policyc init DIR`: scaffolds a policy project from the handlebars templates in `templates/init/`. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { packageRoot } from "../../frontend/paths.js";
import { chooseDependency } from "../../scaffold/dependency.js";
import { parseCommandArgs, usageError } from "../args.js";
import { writeUserFiles } from "../report.js";
import type { Command } from "../command.js";
import { makeDirs } from "../../build/make-dirs.js";

const usage = `policyc init DIR [--policyc TARBALL|DIR|SPEC] [--default-policy Privileged|Baseline|Restricted]

Creates a policy project in DIR (which must not exist or be empty): package.json, tsconfig.json,
policyc.config.ts, an example check with test cases in policies/ and their recorded goldens.

  --policyc X         where the project gets policyc: a tarball from \`npm pack\` (its dependencies
                      are pinned in package-lock.json, so \`npm install --offline\` works from the npm
                      cache), a policyc directory (linked), or any npm spec (a git URL, a version).
                      Default: a clone running init links itself; an installed policyc, its version.
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
      { "default-policy": { type: "string", choices: ["Privileged", "Baseline", "Restricted"] }, policyc: { type: "string", placeholder: "TARBALL|DIR|SPEC" } },
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
    const name = path.basename(target).toLowerCase().replace(/[^a-z0-9-]+/g, "-");
    const dependency = chooseDependency(parsed.values.policyc, target, io.cwd, name);
    if ("error" in dependency) return usageError(io, "init", dependency.error);
    const data = { name, policycSpecJson: JSON.stringify(dependency.spec), defaultPolicy };
    const written: string[] = [];
    const rendered = templateFiles().map((rel) => ({
      rel: rel.replace(/\.hbs$/, "").replace(/(^|\/)gitignore$/, "$1.gitignore"),
      text: Handlebars.compile(readFileSync(path.join(templatesDir, rel), "utf8"), { noEscape: true, strict: true })(data),
    }));
    if (dependency.lockfile !== undefined) rendered.push({ rel: "package-lock.json", text: dependency.lockfile });
    const failed = writeUserFiles(io, dir, () => {
      for (const { rel, text } of rendered) {
        const outPath = path.join(target, rel);
        makeDirs(path.dirname(outPath));
        writeFileSync(outPath, text);
        written.push(rel);
      }
    });
    if (failed) return failed;
    io.stdout(`created ${dir} (${written.join(", ")})\n${dependency.note}\nnext: cd ${dir} && npm install && npx policyc build && npx policyc test\n`);
    return 0;
  },
};
