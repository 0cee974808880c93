/**
 * Reads the YAML examples out of the product documentation in ../shared/product-docs at test time
 * (never copied into the repo). Two layouts occur: fenced ```yaml blocks, and plain-text pages where
 * a manifest starts at a column-0 `apiVersion:` line and ends before the next prose line.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import YAML from "yaml";

export interface DocExample {
  file: string;
  object: Record<string, unknown> & { apiVersion?: string; kind?: string; metadata?: { name?: string } };
}

const yamlish = /^(\s|-|---|[A-Za-z0-9_.\/"'-]+:(\s|$))/;

function plainBlocks(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^apiVersion:/.test(lines[i]!)) continue;
    const block: string[] = [];
    while (i < lines.length) {
      const line = lines[i]!;
      if (line.trim() === "") {
        const next = lines.slice(i + 1).find((l) => l.trim() !== "");
        if (next === undefined || !yamlish.test(next)) break;
      }
      block.push(line);
      i++;
    }
    blocks.push(block.join("\n"));
  }
  return blocks;
}

function fencedBlocks(text: string): string[] {
  return [...text.matchAll(/```ya?ml\r?\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Every Kubernetes object in the docs under `dir`. */
export function productDocExamples(dir: string): DocExample[] {
  const out: DocExample[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".txt")).sort()) {
    const text = readFileSync(path.join(dir, name), "utf8");
    const blocks = text.includes("```") ? fencedBlocks(text) : plainBlocks(text);
    for (const block of blocks) {
      // Fenced blocks may be indented as a whole (inside a list item).
      const indent = Math.min(...block.split("\n").filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
      const dedented = block.split("\n").map((l) => l.slice(indent)).join("\n");
      for (const doc of YAML.parseAllDocuments(dedented)) {
        const object = doc.toJS() as DocExample["object"] | null;
        if (object && typeof object === "object" && object.apiVersion && object.kind) out.push({ file: name, object });
      }
    }
  }
  return out;
}
