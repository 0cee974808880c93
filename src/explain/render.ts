/**
 * The human-readable form of an explanation (Handlebars, like all human-facing text); `--output
 * json` prints the model itself.
 */
import Handlebars from "handlebars";
import YAML from "yaml";
import type { ExplainResult } from "./explain.js";

const hb = Handlebars.create();
hb.registerHelper("json", (v: unknown) => JSON.stringify(v));
hb.registerHelper("join", (v: unknown[]) => (Array.isArray(v) ? v.join(", ") : ""));
hb.registerHelper("labels", (v: Record<string, string>) => {
  const pairs = Object.entries(v ?? {}).map(([k, x]) => `${k}=${x}`);
  return pairs.length ? pairs.join(",") : "(none)";
});
hb.registerHelper("yaml", (v: unknown) => new Handlebars.SafeString(YAML.stringify(v, { indent: 2 }).trimEnd().replace(/^/gm, "    ")));
hb.registerHelper("nonEmpty", (v: object) => Object.keys(v ?? {}).length > 0);

const template = hb.compile(
  `Pod in namespace {{#if namespace.name}}{{namespace.name}}{{else}}(unnamed){{/if}} [{{labels namespace.labels}}] with pod labels [{{labels pod.labels}}]

Pod Security Standard: {{podSecurityStandard.level}} ({{podSecurityStandard.from}}){{#if podSecurityStandard.action}}, action {{podSecurityStandard.action}}{{/if}}
{{#if podSecurityStandard.checks}}  Deckhouse checks: {{join podSecurityStandard.checks}}
{{/if}}

Checks:{{#unless checks.length}} none{{/unless}}
{{#each checks}}  - {{kind}} (template {{template}}): constraints {{join constraints}}
{{/each}}
Constraints:{{#unless constraints.length}} none{{/unless}}
{{#each constraints}}  - {{kind}}/{{name}} ({{enforcementAction}})
{{/each}}
SecurityPolicies:{{#unless securityPolicies.length}} none{{/unless}}
{{#each securityPolicies}}  - {{name}} ({{enforcementAction}}){{#if checks.length}}: {{join checks}}{{/if}}
{{/each}}
OperationPolicies:{{#unless operationPolicies.length}} none{{/unless}}
{{#each operationPolicies}}  - {{name}} ({{enforcementAction}}){{#if checks.length}}: {{join checks}}{{/if}}
{{/each}}
{{#if mutations.length}}Mutations:
{{#each mutations}}  - {{kind}}/{{name}} sets {{location}}
{{/each}}
{{/if}}{{#if notApplied.length}}Not applied:
{{#each notApplied}}  - {{kind}}/{{name}}: {{reason}}
{{/each}}
{{/if}}
{{#if (nonEmpty effective.container)}}Every container must set:
{{yaml effective.container}}

{{/if}}
{{#if (nonEmpty effective.pod)}}The Pod must set:
{{yaml effective.pod}}

{{/if}}
Requirements:{{#unless requirements.length}} none{{/unless}}
{{#each requirements}}  - {{field}} {{kind}} {{json value}}  [{{join sources}}]{{#if note}} ({{note}}){{/if}}
{{/each}}`,
  { noEscape: true },
);

export function renderExplanation(r: ExplainResult): string {
  return template(r).replace(/\n{3,}/g, "\n\n");
}
