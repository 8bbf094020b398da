/**
 * Reads a bounded range of one or more topics, from a start point to the
 * end offsets seen when the read began, then stops: for scans (outbox
 * recovery, "read everything from earliest") that must never hang. The
 * kernel's one topic reader: this bounded read collects what the
 * streaming replay (topic_replay.ts) gives out.
 */
import type { Kafka } from "kafkajs";
import type { ReadMessage } from "./read_message.ts";
import { type ReplayPartition, ReplayTimeoutError, TopicReplay } from "./topic_replay.ts";

export { type ReadMessage, toReadMessage } from "./read_message.ts";

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

/** A partition's log: its first offset and its end (the next offset to be written). */
export interface PartitionBounds {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

/** The log bounds of every partition of `topics`, read now. */
export async function logBounds(
  kafka: Kafka,
  topics: readonly string[],
): Promise<PartitionBounds[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const out: PartitionBounds[] = [];
    for (const topic of topics) {
      for (const end of await admin.fetchTopicOffsets(topic)) {
        out.push({ topic, partition: end.partition, low: Number(end.low), high: Number(end.high) });
      }
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The partitions holding messages from `from` on, each from there to its
 * end now. A time after a partition's last message leaves it out.
 */
export async function rangesFrom(
  kafka: Kafka,
  topics: readonly string[],
  from: ReadRangeOptions["from"],
): Promise<ReplayPartition[]> {
  const bounds = await logBounds(kafka, topics);
  const starts = new Map<string, number>();
  if (from !== "earliest") {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const topic of topics) {
        for (const s of await admin.fetchTopicOffsetsByTimestamp(topic, from.timestampMs)) {
          starts.set(`${topic}:${s.partition}`, Number(s.offset));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }
  return bounds.flatMap(({ topic, partition, low, high }) => {
    const start = Math.max(starts.get(`${topic}:${partition}`) ?? low, low);
    const range = { topic, partition, start: start < 0 ? high : start, target: high };
    return range.start < range.target ? [range] : [];
  });
}

/** Read enough: `maxMessages` reached. */
class EnoughRead extends Error {}

/** Reads the range; always disconnects its clients. */
export async function readRange(kafka: Kafka, options: ReadRangeOptions): Promise<ReadRangeResult> {
  const partitions = await rangesFrom(kafka, options.topics, options.from);
  const messages: ReadMessage[] = [];
  if (partitions.length === 0) return { messages, complete: true };
  const max = options.maxMessages ?? Infinity;
  const replay = new TopicReplay(kafka, {
    groupId: options.groupId,
    partitions,
    sessionTimeoutMs: 10_000,
    sink(batch) {
      for (const message of batch) {
        if (messages.length >= max) throw new EnoughRead();
        messages.push(message);
      }
    },
  });
  try {
    await replay.start();
    await replay.reached(options.timeoutMs ?? 10_000);
    return { messages, complete: true };
  } catch (error) {
    if (error instanceof EnoughRead || error instanceof ReplayTimeoutError) {
      return { messages, complete: false };
    }
    throw error;
  } finally {
    await replay.stop();
  }
}
