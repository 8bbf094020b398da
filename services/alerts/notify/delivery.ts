/**
 * The delivery loop: sends due notifications (deliveries.ts) to their
 * webhooks, a few at a time, each POST bounded by a timeout; a 2xx is
 * delivered, anything else (an error status, no answer, a refused
 * connection) is retried with exponential backoff (1 s, 2 s, 4 s … capped
 * at 5 min) until `maxAttempts`, then failed for good. It runs beside the
 * evaluation and never holds it up: evaluation only queues.
 */
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import { errorMessage } from "../../../shared/core/errors.ts";
import { type Delivery, dueDeliveries, markFailed, markSent, nextPendingAt } from "./deliveries.ts";

/** Options of the delivery loop. */
export interface DeliveryOptions {
  /** How long one POST may take (default 5000 ms). */
  timeoutMs?: number;
  /** Attempts before a delivery fails for good (default 12: about half an hour of retries). */
  maxAttempts?: number;
  /** Wait before attempt n + 1 after n failed (default 1 s × 2^(n−1), at most 5 min). */
  backoffMs?: (attempts: number) => number;
  /** Deliveries in flight at once (default 4). */
  concurrency?: number;
  /** Shortest wait between two looks for due deliveries (default 250 ms). */
  pollMs?: number;
  /**
   * Longest wait when nothing is due (default 10 s): the loop sleeps until
   * the next pending delivery's time or a `kick` (evaluation kicks it after
   * queueing); this bounds what a delivery queued without a kick waits.
   */
  idlePollMs?: number;
  /** The fetch to send with (default the global one). */
  fetch?: typeof fetch;
}

/** An error's message with its cause's (fetch says only "fetch failed"; the cause says why). */
function withCause(error: unknown): string {
  const cause = (error as { cause?: unknown })?.cause;
  return cause === undefined
    ? errorMessage(error)
    : `${errorMessage(error)}: ${errorMessage(cause)}`;
}

/** The default backoff: 1 s, 2 s, 4 s … at most 5 min. */
export function defaultBackoffMs(attempts: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, attempts - 1));
}

/** Sends due deliveries of `db` until `signal` aborts. */
export class DeliveryLoop {
  #db: () => DatabaseSync;
  #options: Required<DeliveryOptions>;
  #inFlight = new Set<number>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #sends = new Set<Promise<void>>();

  constructor(db: () => DatabaseSync, options: DeliveryOptions = {}) {
    this.#db = db;
    this.#options = {
      timeoutMs: options.timeoutMs ?? 5_000,
      maxAttempts: options.maxAttempts ?? 12,
      backoffMs: options.backoffMs ?? defaultBackoffMs,
      concurrency: options.concurrency ?? 4,
      pollMs: options.pollMs ?? 250,
      idlePollMs: options.idlePollMs ?? 10_000,
      fetch: options.fetch ?? fetch,
    };
  }

  /** Starts sending: now, then whenever a delivery is due. */
  start(): void {
    this.#tick();
  }

  #tick(): void {
    if (this.#stopped) return;
    try {
      this.kick();
    } finally {
      this.#schedule();
    }
  }

  /**
   * Arms the next look at the next pending delivery's time (not sooner than
   * `pollMs`, not later than `idlePollMs`): an idle server does not wake
   * four times a second to find nothing due.
   */
  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const { pollMs, idlePollMs } = this.#options;
    const next = nextPendingAt(this.#db(), [...this.#inFlight]);
    const wait = next === undefined ? idlePollMs : next - Date.now();
    this.#timer = setTimeout(() => this.#tick(), Math.min(idlePollMs, Math.max(pollMs, wait)));
  }

  /** Sends what is due now (up to the concurrency), without waiting for the answers. */
  kick(): void {
    if (this.#stopped) return;
    const room = this.#options.concurrency - this.#inFlight.size;
    if (room <= 0) return;
    const due = dueDeliveries(this.#db(), Date.now(), room + this.#inFlight.size)
      .filter((d) => !this.#inFlight.has(d.id)).slice(0, room);
    for (const delivery of due) {
      this.#inFlight.add(delivery.id);
      const send = this.#send(delivery).finally(() => {
        this.#inFlight.delete(delivery.id);
        this.#sends.delete(send);
        // Its retry (or the next one waiting for a free slot) sets the next look.
        this.#schedule();
      });
      this.#sends.add(send);
    }
  }

  async #send(delivery: Delivery): Promise<void> {
    let error: string | undefined;
    try {
      const response = await this.#options.fetch(delivery.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "freshet-alerts" },
        body: delivery.body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
        redirect: "manual",
      });
      await response.body?.cancel();
      if (!response.ok) error = `the webhook answered ${response.status} ${response.statusText}`;
    } catch (e) {
      error = (e as Error)?.name === "TimeoutError"
        ? `no answer within ${this.#options.timeoutMs} ms`
        : withCause(e);
    }
    if (this.#stopped) return;
    const db = this.#db();
    if (error === undefined) {
      markSent(db, delivery.id, Date.now());
      return;
    }
    const attempts = delivery.attempts + 1;
    const retryAt = attempts >= this.#options.maxAttempts
      ? null
      : Date.now() + this.#options.backoffMs(attempts);
    markFailed(db, delivery.id, error, retryAt);
  }

  /** Stops polling and waits for the sends in flight (their outcome is not recorded). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await Promise.allSettled([...this.#sends]);
  }
}
