/**
 * YAML for test files. gator reads samples with a YAML 1.1 decoder (sigs.k8s.io/yaml), where
 * unquoted `yes`, `on`, `0755` or `1:20` are not strings; serializing with the 1.1 schema quotes
 * exactly those, so YAML 1.1 and 1.2 readers both see the strings we meant. Otherwise the same
 * conventions as `toYaml` (Kubernetes key order, no folding, trailing newline).
 */
import { stringify } from "yaml";
import { orderTopLevel } from "../yaml.js";

export function toYaml11(obj: Record<string, unknown>): string {
  const text = stringify(orderTopLevel(obj), { version: "1.1", lineWidth: 0, minContentWidth: 0, indent: 2, aliasDuplicateObjects: false });
  return text.endsWith("\n") ? text : `${text}\n`;
}
