/**
 * Failed-login rate limiting, in memory. A key (a client address and user
 * name, or a client address alone) that failed `maxFailures` times within
 * `windowMs` is refused until its oldest failure in the window is
 * `windowMs` old. Refused attempts are not checked and do not count, so a
 * locked-out attacker learns nothing and cannot extend the lock forever.
 */

/** Options of `FailureLimiter`. */
export interface FailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Clock (tests). */
  now?: () => number;
}

/** Counts failures per key in a sliding window. */
export class FailureLimiter {
  readonly maxFailures: number;
  readonly windowMs: number;
  #now: () => number;
  #failures = new Map<string, number[]>();

  constructor(options: FailureLimiterOptions) {
    if (!(options.maxFailures >= 1) || !(options.windowMs > 0)) {
      throw new RangeError("FailureLimiter: maxFailures >= 1 and windowMs > 0 are required");
    }
    this.maxFailures = options.maxFailures;
    this.windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
  }

  #recent(key: string, now: number): number[] {
    const times = (this.#failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (times.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, times);
    return times;
  }

  /** Milliseconds until `key` may try again (0: now). */
  retryAfterMs(key: string): number {
    const now = this.#now();
    const times = this.#recent(key, now);
    if (times.length < this.maxFailures) return 0;
    return times[times.length - this.maxFailures] + this.windowMs - now;
  }

  /** Records a failure of `key`. */
  fail(key: string): void {
    const now = this.#now();
    this.#failures.set(key, [...this.#recent(key, now), now]);
    if (this.#failures.size > 10_000) this.#prune(now);
  }

  /** Forgets the failures of `key` (after a successful login). */
  reset(key: string): void {
    this.#failures.delete(key);
  }

  #prune(now: number): void {
    for (const key of [...this.#failures.keys()]) this.#recent(key, now);
  }
}

/** The login policy: per address and user name, and per address whatever the name. */
export interface LoginLimits {
  perUser: FailureLimiter;
  perClient: FailureLimiter;
}

/** 5 failures per address and name, 20 per address, within 15 minutes. */
export function defaultLoginLimits(now?: () => number): LoginLimits {
  const windowMs = 15 * 60_000;
  return {
    perUser: new FailureLimiter({ maxFailures: 5, windowMs, now }),
    perClient: new FailureLimiter({ maxFailures: 20, windowMs, now }),
  };
}
