/**
 * `docs/policies.md` (config `docs: true`): a Markdown catalogue of the project's checks, their
 * parameters, the constraints that use them and where those apply, and every other resource, for
 * reviewers of the GitOps repository. Rendered with Handlebars from `templates/docs/policies.md.hbs`.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { packageRoot } from "../../frontend/paths.js";
import type { Emitter } from "../emitter.js";
import { suiteDir } from "../tests/layout.js";
import { catalogueModel, type CatalogueModel } from "./model.js";

export const DOCS_PATH = "docs/policies.md";
const templateFile = path.join(packageRoot, "templates", "docs", "policies.md.hbs");

let render: ((model: CatalogueModel) => string) | undefined;

/** Compiled on first use: most builds do not write docs, and Handlebars then never loads. */
function renderer(): (model: CatalogueModel) => string {
  if (!render) {
    const Handlebars = (createRequire(import.meta.url)("handlebars") as typeof import("handlebars")).create();
    // A table cell is one line, and a `|` inside it would start the next cell.
    Handlebars.registerHelper("cell", (v: unknown) => (v === undefined || v === null || v === "" ? "–" : String(v).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ")));
    Handlebars.registerHelper("one", (n: unknown) => n === 1);
    render = Handlebars.compile<CatalogueModel>(readFileSync(templateFile, "utf8"), { noEscape: true, strict: false });
  }
  return render;
}

export const docsEmitter: Emitter = {
  id: "docs",
  emit(project, config) {
    if (!config.docs) return { files: [], diagnostics: [] };
    const model = catalogueModel(project, {
      template: (c) => `manifests/constrainttemplate-${c.name}.yaml`,
      constraint: (c) => `manifests/${c.kind.toLowerCase()}-${c.name}.yaml`,
      suite: (c) => `${suiteDir(c.name)}/suite.yaml`,
    });
    const text = renderer()(model).replace(/\n{3,}/g, "\n\n");
    return { files: [{ path: DOCS_PATH, content: text.endsWith("\n") ? text : `${text}\n` }], diagnostics: [] };
  },
};
