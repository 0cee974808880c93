/**
 * Starts one of `check`'s worker threads by its module's name: the built `.js` beside this file,
 * or, when running from the TypeScript sources (tests, the bench under tsx), the `.ts` file loaded
 * through tsx's hooks, which a worker thread must register itself.
 */
import { existsSync } from "node:fs";
import { Worker, type ResourceLimits } from "node:worker_threads";

export function startThread(name: string, resourceLimits?: ResourceLimits): Worker {
  const js = new URL(`./${name}.js`, import.meta.url);
  const limits = resourceLimits ? { resourceLimits } : {};
  if (existsSync(js)) return new Worker(js, limits);
  const ts = new URL(`./${name}.ts`, import.meta.url).href;
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { eval: true, ...limits });
}
