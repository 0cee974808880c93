/**
 * A one-line progress bar for long runs on a terminal (stderr): redrawn in place with `\r`, at most
 * every 50 ms, and erased when done so the report starts on a clean line.
 */

export function progressBar(write: (s: string) => void, width = 30): { update(done: number, total: number): void; done(): void } {
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 50) return;
      last = now;
      const frac = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(frac * width);
      write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}`);
      shown = true;
    },
    done() {
      if (shown) write(`\r${" ".repeat(width + 24)}\r`);
    },
  };
}
