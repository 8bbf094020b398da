/**
 * What the monitor tells open pages, at most once a second and only when
 * something was counted (`onPending` lets the monitor arm its note then,
 * instead of waking every second to find nothing): traffic counted
 * since the last note (per topic and fine bucket, so a chart adds it to the
 * bucket it already has) and the newest messages. Lag samples go out as
 * they are taken (sampler.ts).
 */
import { publish } from "../../shared/bus/bus.ts";
import type { FeedMessage } from "./feed.ts";

/** Bus topic of the monitor's notes (types `traffic`, `lag`). */
export const MONITOR_BUS_TOPIC = "monitor";

/** Most feed messages one note carries. */
const FEED_PER_NOTE = 20;

/** Counts of one topic in one fine bucket, added since the previous note. */
export interface TrafficDelta {
  topic: string;
  /** Bucket start, milliseconds since the epoch. */
  t: number;
  messages: number;
  bytes: number;
}

/** The `traffic` note. */
export interface TrafficNote {
  /** Bucket size of `deltas`, milliseconds. */
  step: number;
  deltas: TrafficDelta[];
  /** Newest messages since the previous note, newest last. */
  feed: FeedMessage[];
}

/** Collects counts between notes. */
export class LiveTraffic {
  #step: number;
  #deltas = new Map<string, TrafficDelta>();
  #feed: FeedMessage[] = [];
  #onPending?: () => void;

  /** `onPending` is called when something is collected after the last note was taken. */
  constructor(step: number, onPending?: () => void) {
    this.#step = step;
    this.#onPending = onPending;
  }

  #pending(): void {
    if (this.#deltas.size === 0 && this.#feed.length === 0) this.#onPending?.();
  }

  /** Adds counts of `topic` in the fine bucket starting at `t`. */
  add(topic: string, t: number, messages: number, bytes: number): void {
    this.#pending();
    const key = `${t}:${topic}`;
    const delta = this.#deltas.get(key);
    if (delta) {
      delta.messages += messages;
      delta.bytes += bytes;
    } else this.#deltas.set(key, { topic, t, messages, bytes });
  }

  /** Adds messages to the feed (newest last). */
  addFeed(messages: FeedMessage[]): void {
    if (messages.length === 0) return;
    this.#pending();
    this.#feed.push(...messages);
    if (this.#feed.length > FEED_PER_NOTE) this.#feed = this.#feed.slice(-FEED_PER_NOTE);
  }

  /** The note of what was collected, emptied; undefined when there is nothing. */
  take(): TrafficNote | undefined {
    if (this.#deltas.size === 0 && this.#feed.length === 0) return undefined;
    const note = { step: this.#step, deltas: [...this.#deltas.values()], feed: this.#feed };
    this.#deltas = new Map();
    this.#feed = [];
    return note;
  }

  /** Publishes what was collected, if anything. */
  flush(): void {
    const note = this.take();
    if (note) publish(MONITOR_BUS_TOPIC, "traffic", note);
  }
}
