/** Waiting on a condition with a bound, for the benchmark's set-up steps. */

/** Raised when a condition was not met in time: names what was awaited and what was last seen. */
export class WaitTimeoutError extends Error {
  readonly code = "BENCH_WAIT_TIMEOUT";
  readonly retriable = true;
}

/**
 * Calls `check` until it returns true, `intervalMs` apart, for at most
 * `timeoutMs`; returns how many calls it took. On time-out throws a
 * WaitTimeoutError naming `what` and `lastSeen()` (what the last call saw).
 */
export async function waitUntil(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs: number; intervalMs: number; lastSeen?: () => string },
): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  for (let calls = 1;; calls++) {
    if (await check()) return calls;
    if (performance.now() + options.intervalMs > deadline) {
      const seen = options.lastSeen ? ` (last seen: ${options.lastSeen()})` : "";
      throw new WaitTimeoutError(
        `timed out after ${options.timeoutMs} ms (${calls} tries) waiting for ${what}${seen}`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}
