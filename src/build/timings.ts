/**
 * `POLICYC_TIMINGS=1`: each step of a build or a check prints its wall and CPU time (all threads)
 * to stderr, for `npm run bench` and for finding where a slow run spends it (CPU is the number to
 * trust on a busy machine).
 */

/** Prints the time since the last step (or since the timer was made or restarted). */
export interface LapTimer {
  (step: string): void;
  /** The next step counts from now, or from the process's start (its module loading included). */
  restart(fromProcessStart?: boolean): void;
}

export function lapTimer(prefix = ""): LapTimer {
  const on = process.env.POLICYC_TIMINGS === "1";
  let wall = performance.now();
  let cpu = process.cpuUsage();
  const lap = (step: string) => {
    if (!on) return;
    const c = process.cpuUsage(cpu);
    process.stderr.write(`policyc timing: ${prefix}${step} ${(performance.now() - wall).toFixed(0)} ms (cpu ${((c.user + c.system) / 1000).toFixed(0)} ms)\n`);
    wall = performance.now();
    cpu = process.cpuUsage();
  };
  return Object.assign(lap, {
    restart(fromProcessStart = false) {
      wall = fromProcessStart ? 0 : performance.now();
      cpu = fromProcessStart ? { user: 0, system: 0 } : process.cpuUsage();
    },
  });
}
