// The CLI's standard output: a large report piped to a slow reader arrives whole, and the writer's
// memory does not grow with what the reader has not taken yet.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { projectRoot } from "../support/shared.js";

test("writeFully: 140 MB in 200,000 writes to a pipe whose reader starts late arrive whole; the writer does not queue them", () => {
  const out = path.join(projectRoot, "dist/cli/output.js");
  const script = `
    const { writeFully } = await import(${JSON.stringify(out)});
    for (let i = 0; i < 200000; i++) writeFully(1, "y".repeat(700) + i + "\\n");
    writeFully(2, "rss " + process.memoryUsage().rss + "\\n");`;
  // A shell pipe (not a socket pair) to a reader that sleeps first, as \`policyc check -o json | jq\` meets a slow jq.
  const r = spawnSync("sh", ["-c", `"${process.execPath}" --input-type=module -e "$SCRIPT" | (sleep 1; wc -c)`], { env: { ...process.env, SCRIPT: script }, encoding: "utf8" });
  assert.is(r.status, 0, r.stderr);
  let expected = 0;
  for (let i = 0; i < 200000; i++) expected += 701 + String(i).length;
  assert.is(Number(r.stdout.trim()), expected);
  const rss = Number(/rss (\d+)/.exec(r.stderr)?.[1]);
  // Queued in memory (Node's own stream when the pipe is full), it would be 160 MB and more.
  assert.ok(rss > 0 && rss < 130 * 2 ** 20, `writer RSS ${rss >> 20} MB`);
});

test.run();
