#!/usr/bin/env node
// The policyc executable: runs the compiled CLI (dist/cli/main.js, built by `npm run build`).
import { main } from "../dist/cli/main.js";
import { processOutput } from "../dist/cli/output.js";

process.exitCode = await main(process.argv.slice(2), {
  ...processOutput,
  cwd: process.cwd(),
  isTTY: process.stderr.isTTY === true,
});
