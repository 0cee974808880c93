/**
 * The thread that compiles a large check's policy set (`compile-off-thread.ts`): it receives the
 * templates, compiles them to the set's Wasm modules (and machine code), posts them back and is
 * ended, taking the compiler's code and garbage with it.
 */
import { parentPort } from "node:worker_threads";
import { compiledModules, compileTemplates } from "../gatekeeper/compile-set.js";
import type { CompileRequest, CompileReply } from "./compile-off-thread.js";

parentPort!.once("message", async (m: CompileRequest) => {
  let reply: CompileReply;
  try {
    const compiled = await compileTemplates(m.templates, { k8sNativeValidation: m.k8sNativeValidation });
    reply = { compiled, modules: await compiledModules(compiled) };
  } catch (e) {
    reply = { error: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
