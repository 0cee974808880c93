/**
 * `-o sarif`: SARIF 2.1.0 for code-scanning UIs. One rule per constraint (`Kind/name`, described by
 * its template), one result per violation at the manifest's file and line (or, for helm output,
 * at the chart template named by `# Source:`), level from the action: deny → error, warn →
 * warning, dryrun → note. Paths are relative (`%SRCROOT%`), and there are no timestamps.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckViolation, ObjectResult } from "../evaluate.js";
import { RecordSpool } from "./spool.js";

const LEVEL = { deny: "error", warn: "warning", dryrun: "note" } as const;

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../../../package.json", import.meta.url)), "utf8")) as { version?: string };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

function ruleIdsOf(run: { results: readonly ObjectResult[] }): string[] {
  return [...new Set(run.results.flatMap((r) => r.violations.map((v) => ruleIdOf(v))))].sort();
}

function ruleIdOf(v: CheckViolation): string {
  return `${v.constraint.kind}/${v.constraint.name}`;
}

/** The log without its results (`results: []`). */
function sarifSkeleton(ruleIds: readonly string[]): Record<string, unknown> {
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

/** A violation's SARIF result. */
function sarifResult(r: ObjectResult, v: CheckViolation, ruleIndex: number): Record<string, unknown> {
  const physicalLocation = r.origin.source
    ? { artifactLocation: { uri: r.origin.source, uriBaseId: "%SRCROOT%" } }
    : { artifactLocation: { uri: r.origin.file, uriBaseId: "%SRCROOT%" }, region: { startLine: r.origin.line, startColumn: r.origin.col } };
  const fqn = [r.namespace, r.kind, r.name].filter((x) => x !== "").join("/");
  return {
    ruleId: ruleIdOf(v),
    ruleIndex,
    level: LEVEL[v.action],
    message: { text: v.msg },
    locations: [{ physicalLocation, logicalLocations: [{ fullyQualifiedName: fqn, kind: "resource" }] }],
    properties: { enforcementAction: v.enforcementAction, action: v.action, object: { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name } },
  };
}

/** The whole log as one object. */
export function sarifLog(run: { results: readonly ObjectResult[] }): Record<string, unknown> {
  const ruleIds = ruleIdsOf(run);
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const log = sarifSkeleton(ruleIds);
  (log.runs as { results: unknown[] }[])[0]!.results = run.results.flatMap((r) => r.violations.map((v) => sarifResult(r, v, index.get(ruleIdOf(v))!)));
  return log;
}

/** How a result's text begins, up to its rule index, as it sits in the log (eight spaces in). */
function resultHead(ruleId: string): string {
  return `{\n          "ruleId": ${JSON.stringify(ruleId)},\n          "ruleIndex": `;
}

/**
 * Writes the log as `JSON.stringify(sarifLog(run), null, 2)` would, as results come: a cluster
 * snapshot's log runs to hundreds of megabytes. The rules stand first and each result names its
 * rule's index in them, known once every result is: each result is rendered at once, without
 * its index, and set aside in input order (`RecordSpool`: in memory up to a budget, then in the
 * spool file); the log is assembled at the end, each result given its index.
 */
export class SarifWriter {
  private readonly spool: RecordSpool;
  private readonly ruleIds = new Set<string>();

  constructor(
    private readonly write: (s: string) => void,
    spoolBudget?: number,
  ) {
    this.spool = new RecordSpool(2, spoolBudget);
  }

  result(r: ObjectResult): void {
    for (const v of r.violations) {
      const id = ruleIdOf(v);
      this.ruleIds.add(id);
      // The result as it sits in the results array, eight spaces in (JSON strings hold no raw line breaks).
      const text = JSON.stringify(sarifResult(r, v, 0), null, 2).replaceAll("\n", "\n        ");
      const head = `${resultHead(id)}0`;
      if (!text.startsWith(head)) throw new Error("a SARIF result does not begin with its rule");
      this.spool.add([id, text.slice(head.length)]);
    }
  }

  end(): void {
    try {
      const ruleIds = [...this.ruleIds].sort();
      const index = new Map(ruleIds.map((id, i) => [id, i]));
      const text = JSON.stringify(sarifSkeleton(ruleIds), null, 2);
      // `results` is the run's last field, and nothing before it can spell it.
      const marker = '"results": []';
      const at = text.lastIndexOf(marker);
      let first = true;
      for (const [id, rest] of this.spool.records()) {
        this.write(`${first ? `${text.slice(0, at)}"results": [\n` : ",\n"}        ${resultHead(id!)}${index.get(id!)}${rest}`);
        first = false;
      }
      this.write(first ? `${text}\n` : `\n      ]${text.slice(at + marker.length)}\n`);
    } finally {
      this.spool.close();
    }
  }

  abort(): void {
    this.spool.close();
  }
}
