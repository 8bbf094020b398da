/**
 * When a consumer publishes its status: soon after something changed (at
 * most once per `minGapMs`, so a busy consumer still reports about once a
 * second), and otherwise every `keepAliveMs` so the server can tell a
 * silent consumer from a dead one (STALE_AFTER_MS is three keep-alives).
 * An idle consumer used to publish every second, then every 3 s, waking its
 * Worker and the server's thread each time: six reporters (five consumers
 * and the monitor), two wake-ups a second at 3 s.
 */

/** Longest silence of an idle consumer's status (ms). */
export const STATUS_KEEP_ALIVE_MS = 5_000;

/**
 * A consumer with no report for longer than this is stale (the server's
 * default `staleAfterMs`): three keep-alives, so an event loop held up for
 * a few seconds by a long transaction is not reported as a dead consumer.
 */
export const STALE_AFTER_MS = 3 * STATUS_KEEP_ALIVE_MS;

/** Options of a status reporter. */
export interface StatusReporterOptions {
  /** Longest silence (default STATUS_KEEP_ALIVE_MS). */
  keepAliveMs?: number;
  /** Shortest time between two reports (default 1000 ms). */
  minGapMs?: number;
  /** Time and timers (tests give a manual clock). */
  clock?: Clock;
}

/** What the reporter reads the time and arms its timer with. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): number;
  clearTimeout(id: number | undefined): void;
}

const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as number,
  clearTimeout: (id) => clearTimeout(id),
};

/** Publishes a status on change and as a keep-alive. */
export class StatusReporter {
  #publish: () => void;
  #keepAliveMs: number;
  #minGapMs: number;
  #last = 0;
  #clock: Clock;
  #timer?: number;
  #due = Infinity;
  #stopped = false;

  constructor(publish: () => void, options: StatusReporterOptions = {}) {
    this.#publish = publish;
    this.#keepAliveMs = options.keepAliveMs ?? STATUS_KEEP_ALIVE_MS;
    this.#minGapMs = options.minGapMs ?? 1_000;
    this.#clock = options.clock ?? realClock;
  }

  /** Publishes now (a state change) and arms the keep-alive. */
  now(): void {
    if (this.#stopped) return;
    this.#last = this.#clock.now();
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#publish();
    this.#arm(this.#last + this.#keepAliveMs);
  }

  /** Something in the status changed: publish within `minGapMs`. */
  changed(): void {
    if (this.#stopped) return;
    this.#arm(Math.max(this.#clock.now(), this.#last + this.#minGapMs));
  }

  /** No more reports (a last one can still be sent with `now` before). */
  stop(): void {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Arms the next report at `at`, unless one is due sooner. */
  #arm(at: number): void {
    if (this.#timer !== undefined && this.#due <= at) return;
    this.#clock.clearTimeout(this.#timer);
    this.#due = at;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.now();
    }, Math.max(0, at - this.#clock.now()));
  }
}
