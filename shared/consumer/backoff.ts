/** Capped exponential backoff with ±20 % jitter. */

/** Backoff settings, in milliseconds. */
export interface BackoffOptions {
  initialRetryMs: number;
  maxRetryMs: number;
}

/** Delay before retry number `attempt` (1-based). */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const base = Math.min(options.maxRetryMs, options.initialRetryMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}
