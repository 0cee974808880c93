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

export function sarifLog(run: CheckRun): Record<string, unknown> {
  const ruleIds = [...new Set(run.results.flatMap((r) => r.violations.map((v) => `${v.constraint.kind}/${v.constraint.name}`)))].sort();
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const [kind, name] = id.split("/") as [string, string];
    return {
      id,
      name: kind,
      shortDescription: { text: `Gatekeeper constraint ${name} of kind ${kind}` },
      properties: { constraintKind: kind, constraintName: name },
    };
  });
  const results = run.results.flatMap((r) =>
    r.violations.map((v) => {
      const id = `${v.constraint.kind}/${v.constraint.name}`;
      const physicalLocation = r.origin.source
        ? { artifactLocation: { uri: r.origin.source, uriBaseId: "%SRCROOT%" } }
        : { artifactLocation: { uri: r.origin.file, uriBaseId: "%SRCROOT%" }, region: { startLine: r.origin.line, startColumn: r.origin.col } };
      const fqn = [r.namespace, r.kind, r.name].filter((x) => x !== "").join("/");
      return {
        ruleId: id,
        ruleIndex: index.get(id)!,
        level: LEVEL[v.action],
        message: { text: v.msg },
        locations: [{ physicalLocation, logicalLocations: [{ fullyQualifiedName: fqn, kind: "resource" }] }],
        properties: { enforcementAction: v.enforcementAction, action: v.action, object: { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name } },
      };
    }),
  );
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "policyc", semanticVersion: version(), rules } },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "the directory policyc check ran in" } } },
        columnKind: "unicodeCodePoints",
        results,
      },
    ],
  };
}

export function renderSarif(run: CheckRun): string {
  return `${JSON.stringify(sarifLog(run), null, 2)}\n`;
}
