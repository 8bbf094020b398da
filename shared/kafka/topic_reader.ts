/**
 * Reads a bounded range of one or more topics, from a start point to the
 * end offsets seen when the read began, then stops: for scans (outbox
 * recovery, "read everything from earliest") that must never hang.
 */
import type { Batch, Kafka, KafkaMessage } from "kafkajs";
import { headersToStrings } from "./cloudevents.ts";

/** A message as read by `readRange`. */
export interface ReadMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: Uint8Array | null;
  headers: Record<string, string>;
}

/** A KafkaJS message of `batch` as a `ReadMessage` (its value copied out of the fetch buffer). */
export function toReadMessage(batch: Batch, m: KafkaMessage): ReadMessage {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key === null ? null : m.key.toString(),
    value: m.value === null ? null : new Uint8Array(m.value),
    headers: headersToStrings(m.headers as Record<string, unknown>),
  };
}

/** Options of `readRange`. */
export interface ReadRangeOptions {
  /** A group id the principal may use; nothing is committed to it. */
  groupId: string;
  topics: string[];
  /** `earliest`, or messages from this time on (milliseconds since the epoch). */
  from: "earliest" | { timestampMs: number };
  /** Stop after this many messages (default: no limit). */
  maxMessages?: number;
  /** Give up after this long (default 10 s); the result says it is incomplete. */
  timeoutMs?: number;
}

/** What `readRange` read. */
export interface ReadRangeResult {
  messages: ReadMessage[];
  /** True when every partition was read to its end offset. */
  complete: boolean;
}

type Range = { start: number; end: number };

async function ranges(kafka: Kafka, options: ReadRangeOptions): Promise<Map<string, Range>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out = new Map<string, Range>();
    for (const topic of options.topics) {
      const ends = await admin.fetchTopicOffsets(topic);
      const starts = options.from === "earliest"
        ? ends.map((e) => ({ partition: e.partition, offset: e.low }))
        : await admin.fetchTopicOffsetsByTimestamp(topic, options.from.timestampMs);
      for (const end of ends) {
        const start = starts.find((s) => s.partition === end.partition);
        const startOffset = Math.max(Number(start?.offset ?? end.low), Number(end.low));
        const range = {
          start: startOffset < 0 ? Number(end.high) : startOffset,
          end: Number(end.high),
        };
        if (range.start < range.end) out.set(`${topic}:${end.partition}`, range);
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/** Reads the range; always disconnects its clients. */
export async function readRange(kafka: Kafka, options: ReadRangeOptions): Promise<ReadRangeResult> {
  const pending = await ranges(kafka, options);
  const messages: ReadMessage[] = [];
  if (pending.size === 0) return { messages, complete: true };

  const max = options.maxMessages ?? Infinity;
  const consumer = kafka.consumer({
    groupId: options.groupId,
    maxWaitTimeInMs: 100,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  let finish!: (complete: boolean) => void;
  const done = new Promise<boolean>((resolve) => (finish = resolve));
  const timer = setTimeout(() => finish(false), options.timeoutMs ?? 10_000);
  try {
    await consumer.connect();
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions as number[]) {
          const range = pending.get(`${topic}:${partition}`);
          if (range) consumer.seek({ topic, partition, offset: String(range.start) });
          else consumer.pause([{ topic, partitions: [partition] }]);
        }
      }
    });
    // A partition may end with transaction markers, which are never given to
    // eachBatch: the end of each processed batch (markers included) is here.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}:${payload.partition}`;
      const range = pending.get(key);
      if (range && Number(payload.lastOffset) >= range.end - 1) {
        pending.delete(key);
        if (pending.size === 0) finish(true);
      }
    });
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}:${batch.partition}`;
        const range = pending.get(key);
        if (!range) return;
        for (const m of batch.messages) {
          const offset = Number(m.offset);
          if (offset < range.start) continue;
          if (offset >= range.end || messages.length >= max) break;
          messages.push(toReadMessage(batch, m));
        }
        if (Number(batch.lastOffset()) >= range.end - 1) pending.delete(key);
        if (pending.size === 0) finish(true);
        else if (messages.length >= max) finish(false);
        await Promise.resolve();
      },
    });
    const complete = await done;
    return { messages, complete };
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
}
