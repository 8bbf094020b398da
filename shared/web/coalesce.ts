/**
 * The coalescing rule of live updates. Messages wait in a window (see
 * sse.ts: none when the stream is idle, up to 16 ms by default under load)
 * and are all sent, in arrival order, when it closes — except on topics
 * where only the newest value matters (`consumer` status reports): there a
 * newer message with the same key replaces the waiting one, and takes its
 * place in the order. If a window holds more than `maxMessages`,
 * the oldest are dropped and counted, so a flood cannot exhaust memory.
 */
import type { BusMessage } from "../bus/bus.ts";
import { CONSUMER_STATUS_TOPIC } from "../consumer/status.ts";

/** Key of a message on a newest-only topic. */
export type LatestKey = (message: BusMessage) => string;

/** Topics where only the newest message per key is worth sending. */
export const LATEST_ONLY: Record<string, LatestKey> = {
  [CONSUMER_STATUS_TOPIC]: (m) => `${m.type}:${String((m.data as { name?: unknown })?.name)}`,
};

/** Messages waiting for the next flush of one connection. */
export class Coalescer {
  #slots: (BusMessage | undefined)[] = [];
  #start = 0;
  #size = 0;
  #latest = new Map<string, number>();
  #keyAt = new Map<number, string>();
  #dropped = 0;
  readonly #maxMessages: number;
  readonly #latestOnly: Record<string, LatestKey>;

  constructor(options: { maxMessages?: number; latestOnly?: Record<string, LatestKey> } = {}) {
    this.#maxMessages = options.maxMessages ?? 10_000;
    this.#latestOnly = options.latestOnly ?? LATEST_ONLY;
  }

  /** Messages waiting. */
  get size(): number {
    return this.#size;
  }

  /** Adds a message to the window. */
  add(message: BusMessage): void {
    const keyOf = Object.hasOwn(this.#latestOnly, message.topic)
      ? this.#latestOnly[message.topic]
      : undefined;
    const key = keyOf ? `${message.topic}\u0000${keyOf(message)}` : undefined;
    if (key !== undefined) {
      const previous = this.#latest.get(key);
      if (previous !== undefined) this.#remove(previous);
      this.#latest.set(key, this.#slots.length);
      this.#keyAt.set(this.#slots.length, key);
    }
    this.#slots.push(message);
    this.#size++;
    while (this.#size > this.#maxMessages) {
      while (this.#slots[this.#start] === undefined) this.#start++;
      this.#remove(this.#start);
      this.#dropped++;
    }
  }

  #remove(index: number): void {
    const message = this.#slots[index];
    if (message === undefined) return;
    this.#slots[index] = undefined;
    this.#size--;
    const key = this.#keyAt.get(index);
    if (key === undefined) return;
    this.#keyAt.delete(index);
    if (this.#latest.get(key) === index) this.#latest.delete(key);
  }

  /** Empties the window: the messages to send, and how many were dropped. */
  take(): { messages: BusMessage[]; dropped: number } {
    const messages = this.#slots.slice(this.#start).filter((m): m is BusMessage => m !== undefined);
    const dropped = this.#dropped;
    this.#slots = [];
    this.#start = 0;
    this.#size = 0;
    this.#latest.clear();
    this.#keyAt.clear();
    this.#dropped = 0;
    return { messages, dropped };
  }
}
