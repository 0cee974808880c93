/**
 * What the user's code may not do to the build while it runs: end the process (`process.exit`,
 * which would make `policyc build --check` exit 0 on a stale tree) or fail outside the call that
 * ran it (an uncaught exception in a callback, an unhandled promise rejection). Each becomes an
 * incident that the loader reports as that file's failure, never a silent success.
 */

/** `process.exit` as Node provides it, kept for the one place that must end the process (the watchdog). */
export const realExit: (code?: number) => never = process.exit.bind(process);

export interface Incident {
  error: Error;
}

export interface Containment {
  incidents: Incident[];
  /** Lets queued callbacks of the user's code run once more, then restores the process. */
  release(): Promise<void>;
}

/** Raised inside the user's code in place of exiting. */
export class PolicyExitError extends Error {
  constructor(code: unknown) {
    super(`policy code called process.exit(${code === undefined ? "" : String(code)}); policy files must not end the build`);
    this.name = "PolicyExitError";
  }
}

let exitTrappedForever = false;

/**
 * For the CLI process: once policy code has run, `process.exit` stays a throw for good, so a timer
 * the code left behind cannot end the process with 0 later (the throw fails the process instead).
 */
export function trapExitForever(): void {
  exitTrappedForever = true;
}

function lateExit(code?: unknown): never {
  throw new PolicyExitError(code);
}

export function contain(): Containment {
  const incidents: Incident[] = [];
  const realExit = process.exit;
  const exit = (code?: unknown): never => {
    const error = new PolicyExitError(code);
    incidents.push({ error });
    throw error;
  };
  process.exit = exit as typeof process.exit;
  const onError = (e: unknown) => {
    // The exit call was recorded where it was made; its throw escaping a callback is the same incident.
    if (e instanceof PolicyExitError) return;
    incidents.push({ error: e instanceof Error ? e : new Error(`a non-Error value was thrown or rejected: ${String(e)}`) });
  };
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  return {
    incidents,
    async release() {
      // Zero-delay timers and immediates the code queued run (and are contained) first.
      await new Promise((r) => setTimeout(r, 0));
      await new Promise((r) => setImmediate(r));
      process.off("uncaughtException", onError);
      process.off("unhandledRejection", onError);
      if (process.exit === (exit as typeof process.exit)) process.exit = exitTrappedForever ? lateExit : realExit;
    },
  };
}
