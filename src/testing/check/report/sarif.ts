/**
 * `-o sarif`: SARIF 2.1.0 for code-scanning UIs. One rule per constraint (`Kind/name`, described by
 * its template), one result per violation at the manifest's file and line (or, for helm output,
 * at the chart template named by `# Source:`), level from the action: deny → error, warn →
 * warning, dryrun → note. Paths are relative (`%SRCROOT%`), and there are no timestamps.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckRun } from "../run.js";

const LEVEL = { deny: "error", warn: "warning", dryrun: "note" } as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../../../package.json", import.meta.url)), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function ruleIdsOf(run: CheckRun): string[] {
  return [...new Set(run.results.flatMap((r) => r.violations.map((v) => `${v.constraint.kind}/${v.constraint.name}`)))].sort();
}

/** The log without its results (`results: []`). */
function sarifSkeleton(run: CheckRun, ruleIds: string[]): Record<string, unknown> {
  const rules = ruleIds.map((id) => {
    const [kind, name] = id.split("/") as [string, string];
    return {
      id,
      name: kind,
      shortDescription: { text: `Gatekeeper constraint ${name} of kind ${kind}` },
      properties: { constraintKind: kind, constraintName: name },
    };
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "policyc", semanticVersion: version(), rules } },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "the directory policyc check ran in" } } },
        columnKind: "unicodeCodePoints",
        results: [],
      },
    ],
  };
}

/** Each violation's SARIF result, in input order. */
function* sarifResults(run: CheckRun, ruleIds: string[]): Generator<Record<string, unknown>> {
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  for (const r of run.results) {
    for (const v of r.violations) {
      const id = `${v.constraint.kind}/${v.constraint.name}`;
      const physicalLocation = r.origin.source
        ? { artifactLocation: { uri: r.origin.source, uriBaseId: "%SRCROOT%" } }
        : { artifactLocation: { uri: r.origin.file, uriBaseId: "%SRCROOT%" }, region: { startLine: r.origin.line, startColumn: r.origin.col } };
      const fqn = [r.namespace, r.kind, r.name].filter((x) => x !== "").join("/");
      yield {
        ruleId: id,
        ruleIndex: index.get(id)!,
        level: LEVEL[v.action],
        message: { text: v.msg },
        locations: [{ physicalLocation, logicalLocations: [{ fullyQualifiedName: fqn, kind: "resource" }] }],
        properties: { enforcementAction: v.enforcementAction, action: v.action, object: { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name } },
      };
    }
  }
}

export function sarifLog(run: CheckRun): Record<string, unknown> {
  const ruleIds = ruleIdsOf(run);
  const log = sarifSkeleton(run, ruleIds);
  (log.runs as { results: unknown[] }[])[0]!.results = [...sarifResults(run, ruleIds)];
  return log;
}

/**
 * The log as `JSON.stringify(sarifLog(run), null, 2)` writes it, one result at a time: a cluster
 * snapshot's log runs to hundreds of megabytes, which as one string (and the objects behind it)
 * would cost several times that in memory.
 */
export function writeSarif(run: CheckRun, write: (s: string) => void): void {
  const ruleIds = ruleIdsOf(run);
  const text = JSON.stringify(sarifSkeleton(run, ruleIds), null, 2);
  // `results` is the run's last field, and nothing before it can spell it.
  const marker = '"results": []';
  const at = text.lastIndexOf(marker);
  let first = true;
  for (const result of sarifResults(run, ruleIds)) {
    // Each result as it sits in the array, eight spaces in (JSON strings hold no raw line breaks).
    write(`${first ? `${text.slice(0, at)}"results": [\n` : ",\n"}        ${JSON.stringify(result, null, 2).replaceAll("\n", "\n        ")}`);
    first = false;
  }
  write(first ? `${text}\n` : `\n      ]${text.slice(at + marker.length)}\n`);
}
