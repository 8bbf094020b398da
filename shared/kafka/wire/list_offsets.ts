/**
 * ListOffsets (API key 2, v2) for many partitions at once: one request per
 * leader (and per kind, earliest or latest: a request may not name a
 * partition twice) instead of KafkaJS's Metadata + ListOffsets per topic.
 * The leaders come from the kernel's Metadata v12 read
 * (metadata_request.ts), so a partition without a leader is one error in
 * the answer, not a failure of the whole read, and a leader that cannot be
 * reached fails its own partitions only.
 *
 * v2 is the oldest version with an isolation level; every Kafka since 0.11
 * answers it, 4.x included (KIP-896 removed v0 only). It is a classic (not
 * flexible) version: no tagged fields in the headers. Read uncommitted, as
 * KafkaJS's `admin.fetchTopicOffsets` asks: the end is the high watermark.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import { errorMessage } from "../../core/errors.ts";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import {
  brokerById,
  type KafkaCluster,
  type ProtocolRequest,
  type ProtocolResponse,
} from "./kafka_cluster.ts";
import type { MetadataTopic } from "./metadata_request.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of ListOffsets. */
export const LIST_OFFSETS_API_KEY = 2;
const VERSION = 2;
const READ_UNCOMMITTED = 0;
/** The timestamp asking for a partition's log start offset. */
export const EARLIEST_TIMESTAMP = -2;
/** The timestamp asking for a partition's end (high watermark, read uncommitted). */
export const LATEST_TIMESTAMP = -1;
/** LEADER_NOT_AVAILABLE: what a partition without a leader answers. */
const LEADER_NOT_AVAILABLE = 5;

/** Partitions of one topic to ask about. */
export interface OffsetsQuery {
  topic: string;
  partitions: number[];
}

/** One partition of a ListOffsets answer. */
export interface ListedOffset {
  topic: string;
  partition: number;
  /** Kafka error code (0: none). */
  errorCode: number;
  /** The offset asked for; -1 when the partition answered an error. */
  offset: number;
}

/** Encodes a ListOffsets v2 body: every partition of `topics` at `timestamp`. */
export function encodeListOffsets(topics: OffsetsQuery[], timestamp: number): Uint8Array {
  const w = new FlexibleWriter().int32(-1).int8(READ_UNCOMMITTED); // replica id: a client
  w.classicArray(topics, (t) => {
    w.classicString(t.topic).classicArray(t.partitions, (p) => w.int32(p).int64(timestamp));
  });
  return w.bytes();
}

/** Reads a ListOffsets v2 response. */
export function decodeListOffsets(payload: Uint8Array): ListedOffset[] {
  const r = new FlexibleReader(payload);
  r.int32(); // throttle time
  return r.classicArray(() => {
    const topic = r.classicString();
    return r.classicArray(() => {
      const partition = r.int32();
      const errorCode = r.int16();
      r.int64(); // timestamp
      return { topic, partition, errorCode, offset: r.int64() };
    });
  }).flat();
}

/** The request for KafkaJS's connection. */
export function listOffsetsRequest(topics: OffsetsQuery[], timestamp: number): {
  request: ProtocolRequest;
  response: ProtocolResponse<ListedOffset[]>;
} {
  return {
    request: {
      apiKey: LIST_OFFSETS_API_KEY,
      apiVersion: VERSION,
      apiName: "ListOffsets",
      encode: () =>
        Promise.resolve(
          new Encoder().writeBuffer(Buffer.from(encodeListOffsets(topics, timestamp))),
        ),
    },
    response: {
      decode: (payload) => Promise.resolve(decodeListOffsets(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}

/** One partition's offsets, or why they could not be read. */
export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The log start offset (when asked for and read). */
  start?: number;
  /** The end offset, the high watermark (when asked for and read). */
  end?: number;
  /** Kafka error code (0: none; 5: no leader; -1: its leader could not be asked). */
  errorCode: number;
  /** Why its leader could not be asked (errorCode -1). */
  error?: string;
}

/** What to read of each partition (default: both). */
export interface ReadOffsetsOptions {
  earliest?: boolean;
  latest?: boolean;
}

/**
 * The start and end offsets of every partition of `topics` (as a Metadata
 * v12 read lists them with their leaders), asked of each leader in one
 * request per kind. Errors are per partition, never thrown.
 */
export async function readPartitionOffsets(
  cluster: KafkaCluster,
  topics: MetadataTopic[],
  options: ReadOffsetsOptions = {},
): Promise<PartitionOffsets[]> {
  const results = new Map<string, PartitionOffsets>();
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const t of topics) {
    if (t.errorCode !== 0) continue;
    for (const p of t.partitions) {
      const result: PartitionOffsets = { topic: t.name, partition: p.partition, errorCode: 0 };
      results.set(`${t.name}:${p.partition}`, result);
      if (p.leader < 0) {
        result.errorCode = p.errorCode || LEADER_NOT_AVAILABLE;
        continue;
      }
      const leaderTopics = byLeader.get(p.leader) ?? new Map<string, number[]>();
      byLeader.set(p.leader, leaderTopics);
      const partitions = leaderTopics.get(t.name) ?? [];
      leaderTopics.set(t.name, partitions);
      partitions.push(p.partition);
    }
  }
  const kinds: { timestamp: number; field: "start" | "end" }[] = [];
  if (options.earliest !== false) kinds.push({ timestamp: EARLIEST_TIMESTAMP, field: "start" });
  if (options.latest !== false) kinds.push({ timestamp: LATEST_TIMESTAMP, field: "end" });
  await Promise.all([...byLeader].map(async ([leader, leaderTopics]) => {
    const query = [...leaderTopics].map(([topic, partitions]) => ({ topic, partitions }));
    try {
      const broker = await brokerById(cluster, leader);
      await Promise.all(kinds.map(async ({ timestamp, field }) => {
        for (
          const answer of await broker.connectionPool.send(listOffsetsRequest(query, timestamp))
        ) {
          const result = results.get(`${answer.topic}:${answer.partition}`);
          if (!result) continue;
          if (answer.errorCode !== 0) result.errorCode ||= answer.errorCode;
          else result[field] = answer.offset;
        }
      }));
    } catch (error) {
      for (const { topic, partitions } of query) {
        for (const partition of partitions) {
          const result = results.get(`${topic}:${partition}`)!;
          result.errorCode = -1;
          result.error = errorMessage(error);
          delete result.start;
          delete result.end;
        }
      }
    }
  }));
  return [...results.values()];
}
