/**
 * Lowers the DSL's Rego sources (`rego` tag, `regoFile()`) to `RegoModuleIR`s: the text plus where
 * its first line sits in the user's sources, so parse errors can point inside the template or file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type * as TS from "typescript";
import ts from "../typescript.js";
import { dedent, isRegoFile, isRegoText } from "../../api/rego.js";
import { diag } from "../../diagnostics/index.js";
import type { Origin, RegoModuleIR } from "../../ir/ir.js";
import { D } from "../../ir/diagnostics.js";
import { relativeTo } from "../paths.js";
import { isUserFile } from "../program.js";
import type { LowerContext, Located } from "./context.js";

/** `value` is what the user wrote at `fieldPath` of the call (e.g. `rego`, `libs.0`). */
export function lowerRego(value: unknown, fieldPath: string, ctx: LowerContext, at: Located): RegoModuleIR | undefined {
  const where = at.fields[fieldPath] ?? at.origin;
  if (isRegoText(value)) {
    const origin = templateOrigin(fieldPath, at) ?? elsewhereOrigin(ctx, value.regoText, value.site?.file) ?? siteOrigin(ctx, value.site, where);
    return { text: value.regoText, origin };
  }
  if (isRegoFile(value)) {
    // Written inline in the located call: relative to that file, without reading the stack.
    const inline = at.call && at.absFile && writtenInline(fieldPath, at);
    const base = (inline ? at.absFile : value.site?.file) ?? at.absFile ?? ctx.root;
    const abs = path.resolve(path.dirname(base), value.regoFile);
    try {
      const text = readFileSync(abs, "utf8");
      return { text, origin: { file: relativeTo(ctx.root, abs), line: 1, col: 1, colOffset: 0 } };
    } catch (e) {
      ctx.report(diag(D.regoFileMissing, [value.regoFile, (e as Error).message], where));
      return undefined;
    }
  }
  if (typeof value === "string") return { text: value, origin: { ...where, colOffset: 0 } };
  ctx.report(diag(D.configInvalid, [`\`${fieldPath}\` must be a rego\`...\` template or regoFile("...")`], where));
  return undefined;
}

function siteOrigin(ctx: LowerContext, site: { file: string; line: number; col: number } | undefined, fallback: Origin) {
  if (!site) return { ...fallback, colOffset: 0 };
  return { file: relativeTo(ctx.root, site.file), line: site.line, col: site.col, colOffset: 0 };
}

/**
 * When the property is written as rego`...` in the call, the dedented text's line 1 is the
 * template's first non-blank line and every column is shifted by the removed indentation.
 */
function templateOrigin(fieldPath: string, at: Located): (Origin & { colOffset: number }) | undefined {
  const sf = at.sourceFile;
  const call = at.call;
  if (!sf || !call) return undefined;
  const parts = fieldPath.split(".");
  let node: TS.Node | undefined;
  for (const arg of call.arguments) {
    node = descend(arg, parts);
    if (node) break;
  }
  if (!node || !ts.isTaggedTemplateExpression(node)) return undefined;
  return originOfTemplate(at.origin.file, sf, node);
}

/**
 * A rego`...` written elsewhere (e.g. `const body = rego\`...\``): the template in the file that
 * created it (or any user file) whose text is this one.
 */
function elsewhereOrigin(ctx: LowerContext, text: string, file: string | undefined) {
  const files = ctx.program.getSourceFiles().filter((sf) => isUserFile(sf) && (!file || path.resolve(sf.fileName) === file));
  for (const sf of files) {
    let found: TS.TaggedTemplateExpression | undefined;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (
        ts.isTaggedTemplateExpression(n) &&
        n.tag.getText(sf).endsWith("rego") &&
        ts.isNoSubstitutionTemplateLiteral(n.template) &&
        dedent(n.template.getText(sf).slice(1, -1).replace(/\\`/g, "`").replace(/\\\$/g, "$")) === text
      ) {
        found = n;
      } else n.forEachChild(visit);
    };
    visit(sf);
    if (found) return originOfTemplate(relativeTo(ctx.root, sf.fileName), sf, found);
  }
  return undefined;
}

function originOfTemplate(file: string, sf: TS.SourceFile, node: TS.TaggedTemplateExpression): Origin & { colOffset: number } {
  const tpl = node.template;
  const raw = tpl.getText(sf).slice(1, -1);
  const leading = /^[ \t]*\r?\n/.exec(raw);
  const bodyStart = tpl.getStart(sf) + 1 + (leading ? leading[0].length : 0);
  const lines = raw.slice(leading ? leading[0].length : 0).split(/\r?\n/);
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const indent = indents.length ? Math.min(...indents) : 0;
  const pos = sf.getLineAndCharacterOfPosition(bodyStart);
  return { file, line: pos.line + 1, col: leading ? 1 : pos.character + 1, colOffset: leading ? indent : pos.character };
}

function writtenInline(fieldPath: string, at: Located): boolean {
  const parts = fieldPath.split(".");
  return at.call!.arguments.some((arg) => {
    const node = descend(arg, parts);
    return node !== undefined && ts.isCallExpression(node);
  });
}

function descend(node: TS.Node, parts: string[]): TS.Node | undefined {
  if (parts.length === 0) return node;
  const [head, ...rest] = parts;
  if (ts.isObjectLiteralExpression(node)) {
    for (const p of node.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === head) {
        return descend(p.initializer, rest);
      }
    }
  } else if (ts.isArrayLiteralExpression(node)) {
    const el = node.elements[Number(head)];
    if (el) return descend(el, rest);
  }
  return undefined;
}
