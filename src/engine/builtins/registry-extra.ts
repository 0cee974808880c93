/**
 * The less common built-in families, gathered in one place so `index.ts` stays a short list.
 */
import type { Builtin } from "./tagged.js";
import { printBuiltins } from "./print.js";
import { noteBuiltins } from "./notes.js";
import { timeBuiltins } from "./time.js";
import { netBuiltins } from "./net.js";
import { semverBuiltins } from "./semver.js";
import { cryptoBuiltins } from "./crypto.js";
import { jwtBuiltins } from "./jwt.js";
import { jsonSchemaBuiltins } from "./jsonschema.js";
import { templateBuiltins } from "./template.js";
import { miscBuiltins, legacyBuiltins } from "./misc.js";
import { x509Builtins } from "./x509.js";
import { awsBuiltins } from "./aws.js";
import { graphqlBuiltins } from "./graphql/index.js";
import { regoModuleBuiltins } from "./rego-module.js";

export function extraBuiltins(): Record<string, Builtin> {
  return { ...printBuiltins, ...noteBuiltins, ...timeBuiltins, ...netBuiltins, ...semverBuiltins, ...cryptoBuiltins, ...jwtBuiltins, ...jsonSchemaBuiltins, ...templateBuiltins, ...miscBuiltins, ...legacyBuiltins, ...x509Builtins, ...awsBuiltins, ...graphqlBuiltins, ...regoModuleBuiltins };
}
