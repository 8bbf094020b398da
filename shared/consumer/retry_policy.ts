/**
 * What to do with a message whose handler failed: retry it later (how
 * much later), or dead-letter it. Kept apart from the runner so the rules
 * are tested without a broker.
 *
 * - A non-retriable error (bad data, a bug that would fail forever) is
 *   dead-lettered at once.
 * - A retriable error is retried with capped exponential backoff (±20 %
 *   jitter), counted per message: each message has its own attempts and
 *   its own first failure time, whatever happened to the messages around it.
 * - A message still failing after `messageBudgetMs` is *suspect*: the
 *   runner dead-letters it only if messages after it succeed (a poison
 *   message), and keeps retrying at the longest delay when they fail too
 *   (a dependency outage dead-letters nothing).
 */
import { isRetriable } from "../core/errors.ts";

/** Settings of the policy, in milliseconds. */
export interface RetryPolicyOptions {
  /** First retry delay (default 200). */
  initialRetryMs?: number;
  /** Longest retry delay (default 10 000). */
  maxRetryMs?: number;
  /** How long a message may keep failing before it is suspect (default 60 000). */
  messageBudgetMs?: number;
}

/** The decision for one failure. */
export type RetryDecision =
  | { action: "dead-letter"; attempts: number }
  | {
    action: "retry";
    attempts: number;
    delayMs: number;
    /** Past its budget: dead-letter it if the messages after it can be applied. */
    suspect: boolean;
  };

/** One message's failures so far. */
export interface FailureRecord {
  attempts: number;
  firstFailedAt: number;
}

/** Capped exponential backoff with ±20 % jitter, for retry number `attempt` (1-based). */
export function backoffDelay(
  attempt: number,
  options: { initialRetryMs: number; maxRetryMs: number },
  random: () => number = Math.random,
): number {
  const base = Math.min(options.maxRetryMs, options.initialRetryMs * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** Per-message retry accounting (see the module comment). */
export class RetryPolicy {
  readonly initialRetryMs: number;
  readonly maxRetryMs: number;
  readonly messageBudgetMs: number;
  #failures = new Map<string, FailureRecord>();
  #random: () => number;

  constructor(options: RetryPolicyOptions = {}, random: () => number = Math.random) {
    this.initialRetryMs = options.initialRetryMs ?? 200;
    this.maxRetryMs = options.maxRetryMs ?? 10_000;
    this.messageBudgetMs = options.messageBudgetMs ?? 60_000;
    for (const [name, value] of Object.entries(options)) {
      if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
        throw new RangeError(`RetryPolicy: ${name} must be a positive number, got ${value}`);
      }
    }
    this.#random = random;
  }

  /** Records a failure of message `key` (e.g. `topic:partition:offset`) and decides. */
  onFailure(key: string, error: unknown, now = Date.now()): RetryDecision {
    const record = this.#failures.get(key) ?? { attempts: 0, firstFailedAt: now };
    record.attempts++;
    if (!isRetriable(error)) {
      this.#failures.delete(key);
      return { action: "dead-letter", attempts: record.attempts };
    }
    this.#failures.set(key, record);
    const suspect = now - record.firstFailedAt >= this.messageBudgetMs;
    const delayMs = suspect ? this.maxRetryMs : backoffDelay(record.attempts, this, this.#random);
    return { action: "retry", attempts: record.attempts, delayMs, suspect };
  }

  /** Whether any message has failures on record (settling is a no-op otherwise). */
  get hasFailures(): boolean {
    return this.#failures.size > 0;
  }

  /** The message was applied or dead-lettered: forget its failures. */
  settle(key: string): void {
    this.#failures.delete(key);
  }

  /** Forgets every message of a partition (it was revoked). */
  forgetPartition(topic: string, partition: number): void {
    const prefix = `${topic}:${partition}:`;
    for (const key of this.#failures.keys()) if (key.startsWith(prefix)) this.#failures.delete(key);
  }

  /** The failures of `key` so far, if any. */
  failures(key: string): FailureRecord | undefined {
    return this.#failures.get(key);
  }
}
