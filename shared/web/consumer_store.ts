/**
 * The latest status report of each consumer, as received on the bus (topic
 * `consumer`, type `status`), for `/health`, `/metrics` and the home page.
 * Reports come from Workers and from bridged processes, so each is checked
 * before it is kept; the time it arrived (this process's clock) decides
 * staleness.
 */
import { z } from "zod";
import type { BusMessage } from "../bus/bus.ts";
import {
  CONSUMER_STATES,
  CONSUMER_STATUS_TOPIC,
  type ConsumerState,
  type ConsumerStatus,
} from "../consumer/status.ts";
import type { BusSubscribe } from "./bus_subscribe.ts";

const count = z.number().nonnegative();

/** Shape of a `ConsumerStatus` report. */
export const consumerStatusSchema = z.object({
  name: z.string().min(1).max(200),
  groupId: z.string(),
  topics: z.array(z.string()),
  state: z.enum(CONSUMER_STATES as [ConsumerState, ...ConsumerState[]]),
  mode: z.enum(["worker", "process"]),
  lag: count,
  partitionLag: z.record(z.string(), count),
  counters: z.object({
    processed: count,
    deadLettered: count,
    skipped: count,
    batches: count,
    retries: count,
  }),
  lastError: z.string().optional(),
  kind: z.enum(["view", "processor"]).optional(),
  pipelined: z.boolean().optional(),
  outbox: z.object({
    unsent: count,
    oldestUnsentMs: count,
    failingTopics: z.array(z.object({ topic: z.string(), error: z.string() })).max(100),
  }).optional(),
  restarts: count.optional(),
  gaps: z.object({
    total: count,
    recent: z.array(z.object({
      topic: z.string(),
      partition: count,
      kind: z.enum(["recreated", "deleted", "beyond-end"]),
      from: count,
      to: count,
      oldTopicId: z.string().nullable(),
      newTopicId: z.string().nullable(),
      policy: z.enum(["accept", "rebuild"]),
      at: z.number(),
    })).max(20),
  }).optional(),
  at: z.number(),
});

/** A status and when it arrived. */
export interface ConsumerRecord {
  status: ConsumerStatus;
  /** Milliseconds since the epoch, on this process's clock. */
  receivedAt: number;
}

/** At most this many consumers are tracked (a misbehaving publisher cannot grow it forever). */
export const MAX_CONSUMERS = 1_000;

/** Latest status per consumer name. */
export class ConsumerStore {
  #records = new Map<string, ConsumerRecord>();

  /** Keeps `status` if it is a valid report; returns whether it was kept. */
  update(status: unknown, receivedAt = Date.now()): boolean {
    const parsed = consumerStatusSchema.safeParse(status);
    if (!parsed.success) return false;
    const name = parsed.data.name;
    if (!this.#records.has(name) && this.#records.size >= MAX_CONSUMERS) return false;
    this.#records.set(name, { status: parsed.data, receivedAt });
    return true;
  }

  /** Every consumer, by name. */
  list(): ConsumerRecord[] {
    return [...this.#records.values()].sort((a, b) => a.status.name.localeCompare(b.status.name));
  }

  /** Forgets every consumer. */
  clear(): void {
    this.#records.clear();
  }
}

/** Whether a bus message is a consumer status report. */
export function isStatusMessage(message: BusMessage): boolean {
  return message?.topic === CONSUMER_STATUS_TOPIC && message.type === "status";
}

/** Feeds `store` from the bus; returns the function that stops it. */
export function feedConsumerStore(store: ConsumerStore, subscribe: BusSubscribe): () => void {
  return subscribe((message) => {
    if (isStatusMessage(message)) store.update(message.data);
  });
}
