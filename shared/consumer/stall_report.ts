/**
 * Says when a consumer seems stuck: a batch in progress for longer than
 * `afterMs`, or, while it runs, no fetch answered for that long (KafkaJS
 * fetches every second at most, even with nothing new). Logged once per
 * stall, with the KafkaJS requests in flight in this isolate: a request
 * that is neither answered nor timed out is what such a stall has been
 * (a disconnect waiting for one: kafkajs_idle_timer.ts); none in flight
 * says the wait is elsewhere. A diagnostic: it changes nothing.
 */
import type { Logger } from "../core/log.ts";
import {
  describeRequests,
  type RequestInFlight,
  requestsInFlight,
} from "../kafka/kafkajs_idle_timer.ts";

/** How long a batch or a silence lasts before it is reported (default). */
export const STALL_AFTER_MS = 60_000;

/** Watches one runner's batches and fetches. */
export class StallReport {
  #log: Logger;
  #afterMs: number;
  #inFlight: () => RequestInFlight[];
  #batchSince?: number;
  #lastFetchAt: number;
  #reported = false;

  constructor(
    log: Logger,
    options: { afterMs?: number; now?: number; inFlight?: () => RequestInFlight[] } = {},
  ) {
    this.#log = log;
    this.#afterMs = options.afterMs ?? STALL_AFTER_MS;
    this.#inFlight = options.inFlight ?? requestsInFlight;
    this.#lastFetchAt = options.now ?? Date.now();
  }

  /** eachBatch began. */
  batchStarted(now = Date.now()): void {
    this.#batchSince = now;
  }

  /** eachBatch ended (returned or threw). */
  batchEnded(now = Date.now()): void {
    this.#batchSince = undefined;
    this.#lastFetchAt = now;
    this.#reported = false;
  }

  /** A fetch was answered. */
  fetched(now = Date.now()): void {
    this.#lastFetchAt = now;
    if (this.#batchSince === undefined) this.#reported = false;
  }

  /**
   * Logs a stall once (a warning) and returns what it said; `fetching` is
   * whether fetches are expected now (the consumer runs, not rejoining).
   */
  check(fetching: boolean, now = Date.now()): string | undefined {
    if (this.#reported) return undefined;
    let what: string | undefined;
    if (this.#batchSince !== undefined && now - this.#batchSince >= this.#afterMs) {
      what = `a batch has been in progress for ${Math.round((now - this.#batchSince) / 1000)} s`;
    } else if (
      fetching && this.#batchSince === undefined && now - this.#lastFetchAt >= this.#afterMs
    ) {
      what = `no fetch answered for ${Math.round((now - this.#lastFetchAt) / 1000)} s`;
    }
    if (!what) return undefined;
    this.#reported = true;
    const requests = this.#inFlight();
    const waiting = describeRequests(requests);
    this.#log.warn(`consumer stalled: ${what}`, { waiting, requests: requests.length });
    return `${what}; ${waiting}`;
  }
}
