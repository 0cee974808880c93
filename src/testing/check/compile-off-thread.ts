/**
 * A check's policy set compiled, with its modules' machine code. For a large input the compile
 * runs on a short-lived thread of its own: the parsed Rego, the plans and the Wasm being written
 * are garbage the moment the set exists, and on the main thread they (and the compiler's code)
 * would stay in its heap through the whole evaluation that follows. Small inputs compile in place,
 * where starting a thread would cost more than it saves. Either way a set is compiled once per
 * process (a second check of the same policies reuses it).
 */
import { compileKey, compiledModules, compileTemplates, type CompiledSet, type CompileSetOptions } from "../gatekeeper/compile-set.js";
import type { PolicyTemplate } from "../gatekeeper/policy-set.js";
import { startThread } from "./threads.js";

export interface CompileRequest {
  templates: PolicyTemplate[];
  k8sNativeValidation: boolean;
}

export type CompileReply = { compiled: CompiledSet; modules: WebAssembly.Module[] } | { error: string };

export interface CompiledPolicies {
  compiled: CompiledSet;
  /** `compiled.modules` compiled to machine code (shared with the evaluation threads). */
  modules: WebAssembly.Module[];
}

const offThread = new Map<string, Promise<CompiledPolicies>>();

export async function compilePolicies(templates: readonly PolicyTemplate[], opts: CompileSetOptions & { offThread: boolean }): Promise<CompiledPolicies> {
  if (!opts.offThread) {
    const compiled = await compileTemplates(templates, opts);
    return { compiled, modules: await compiledModules(compiled) };
  }
  const key = compileKey(templates, opts);
  let p = offThread.get(key);
  if (!p) {
    p = compileOnThread({ templates: [...templates], k8sNativeValidation: opts.k8sNativeValidation !== false });
    offThread.set(key, p);
    p.catch(() => offThread.delete(key));
  }
  const { compiled, modules } = await p;
  // The failures name the caller's templates (their origins place the diagnostics).
  const failures = compiled.failures.map((f) => ({ ...f, template: templates.find((t) => t.info.name === f.template.info.name) ?? f.template }));
  return { compiled: { ...compiled, failures }, modules };
}

function compileOnThread(request: CompileRequest): Promise<CompiledPolicies> {
  const thread = startThread("compile-worker");
  return new Promise<CompiledPolicies>((resolve, reject) => {
    thread.once("message", (reply: CompileReply) => {
      if ("error" in reply) reject(new Error(`compiling the policy set: ${reply.error}`));
      else resolve(reply);
    });
    thread.once("error", reject);
    thread.once("exit", (code) => reject(new Error(`the policy set's compile thread exited with code ${code}`)));
    thread.postMessage(request);
  }).finally(() => void thread.terminate());
}
