/**
 * The command registry: one import line per command file. Order is the order in `policyc --help`.
 */
import type { Command } from "../command.js";
import { command as build } from "./build.js";
import { command as evalCommand } from "./eval.js";
import { command as explain } from "./explain.js";
import { command as init } from "./init.js";
import { command as test } from "./test.js";
import { command as verify } from "./verify.js";

export const commands: Command[] = [build, evalCommand, explain, init, test, verify];
