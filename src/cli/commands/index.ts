/**
 * The command registry: one line per command file, `{ name, load: () => import("./<file>.js") }`.
 * Order is the order in `policyc --help`. Loading is lazy because commands pull in large parts of
 * policyc (the TypeScript compiler, the Rego engine): `policyc --version` should not pay for them.
 */
import type { Command } from "../command.js";

export interface CommandEntry {
  name: string;
  load: () => Promise<{ command: Command }>;
}

export const commands: CommandEntry[] = [
  { name: "build", load: () => import("./build.js") },
  { name: "check", load: () => import("./check.js") },
  { name: "deckhouse", load: () => import("./deckhouse.js") },
  { name: "eval", load: () => import("./eval.js") },
  { name: "expand", load: () => import("./expand.js") },
  { name: "explain", load: () => import("./explain.js") },
  { name: "fmt", load: () => import("./fmt.js") },
  { name: "import", load: () => import("./import.js") },
  { name: "init", load: () => import("./init.js") },
  { name: "test", load: () => import("./test.js") },
  { name: "verify", load: () => import("./verify.js") },
];
