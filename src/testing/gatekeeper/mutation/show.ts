/**
 * The objects as Gatekeeper's mutation webhook would hand them on to validation and storage
 * (`policyc check --show-mutated`): multi-document YAML, each document preceded by a comment with
 * where the object was read (helm's `# Source:` path when it has one) and the mutators that changed
 * it, in the order they first did. Objects no mutator changed are left out; the input order is kept.
 */
import { toYaml } from "../../../emit/yaml.js";
import { gvkOf, nameOf, namespaceOf, type KubeObject } from "../objects.js";

export interface MutatedObject {
  origin: { file: string; line: number; source?: string };
  /** The object after mutation. */
  object: KubeObject;
  /** `Kind/name` of the mutators that changed it. */
  mutatedBy: readonly string[];
}

export function renderMutated(objects: readonly MutatedObject[]): string {
  const docs: string[] = [];
  for (const o of objects) {
    if (o.mutatedBy.length === 0) continue;
    const ns = namespaceOf(o.object);
    const what = `${gvkOf(o.object).kind} ${ns ? `${ns}/` : ""}${nameOf(o.object)}`;
    const where = `${o.origin.file}:${o.origin.line}${o.origin.source ? ` (${o.origin.source})` : ""}`;
    docs.push(`# ${what} from ${where}, mutated by ${o.mutatedBy.join(", ")}\n${toYaml(o.object)}`);
  }
  return docs.join("---\n");
}
