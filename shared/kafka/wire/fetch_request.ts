/**
 * A Kafka Fetch request (v11, read_committed) whose response keeps each
 * partition's records as raw bytes for `RecordCursor`, instead of KafkaJS's
 * decoding of every message into objects. Sent over KafkaJS's own
 * connection (SASL, TLS, correlation ids), so nothing else changes.
 */
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import type { AbortedTransaction } from "./record_batch.ts";
import type { ProtocolRequest, ProtocolResponse } from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of Fetch. */
export const FETCH_API_KEY = 1;
const FETCH_VERSION = 11;
const READ_COMMITTED = 1;

/** One partition to fetch. */
export interface FetchPartition {
  partition: number;
  fetchOffset: number;
  maxBytes: number;
}

/** Options of one Fetch request. */
export interface FetchOptions {
  topic: string;
  partitions: FetchPartition[];
  /** How long the broker may wait for `minBytes` (0: answer at once). */
  maxWaitMs: number;
  minBytes?: number;
  /** Cap on the whole response. */
  maxBytes: number;
}

/** One partition of a Fetch response. */
export interface FetchedPartition {
  partition: number;
  /** Kafka error code (0: none). */
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: AbortedTransaction[];
  /** The record batches, untouched (may end with a partial batch). */
  records: Uint8Array;
}

/** A decoded Fetch response. */
export interface FetchResponse {
  clientSideThrottleTime: number;
  partitions: FetchedPartition[];
}

/** A Fetch request for KafkaJS's connection, answered with raw partitions. */
export function fetchRequest(
  options: FetchOptions,
): { request: ProtocolRequest; response: ProtocolResponse<FetchResponse>; requestTimeout: number } {
  return {
    request: {
      apiKey: FETCH_API_KEY,
      apiVersion: FETCH_VERSION,
      apiName: "Fetch",
      encode() {
        const partitions = options.partitions.map((p) =>
          new Encoder().writeInt32(p.partition).writeInt32(-1).writeInt64(String(p.fetchOffset))
            .writeInt64("-1").writeInt32(p.maxBytes)
        );
        const topic = new Encoder().writeString(options.topic).writeArray(partitions);
        return Promise.resolve(
          new Encoder()
            .writeInt32(-1) // replica id: a consumer
            .writeInt32(options.maxWaitMs)
            .writeInt32(options.minBytes ?? 1)
            .writeInt32(options.maxBytes)
            .writeInt8(READ_COMMITTED)
            .writeInt32(0) // no fetch session
            .writeInt32(-1)
            .writeArray([topic])
            .writeArray([])
            .writeString(""),
        );
      },
    },
    response: {
      decode: (payload) => Promise.resolve(decodeFetchResponse(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
    requestTimeout: options.maxWaitMs + 30_000,
  };
}

/** A Fetch v11 response with each partition's records left as bytes. */
export function decodeFetchResponse(payload: Uint8Array): FetchResponse {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let p = 0;
  const i16 = () => (p += 2, view.getInt16(p - 2));
  const i32 = () => (p += 4, view.getInt32(p - 4));
  const i64 = () => (p += 8, view.getInt32(p - 8) * 4_294_967_296 + view.getUint32(p - 4));
  const clientSideThrottleTime = i32();
  const errorCode = i16();
  i32(); // session id
  if (errorCode !== 0) throw new FetchError(errorCode, "the fetch");
  const partitions: FetchedPartition[] = [];
  for (let t = i32(); t > 0; t--) {
    p += 2 + view.getInt16(p); // topic name: we asked for one
    for (let n = i32(); n > 0; n--) {
      const partition = i32();
      const partitionError = i16();
      const highWatermark = i64();
      const lastStableOffset = i64();
      const logStartOffset = i64();
      const abortedTransactions: AbortedTransaction[] = [];
      for (let a = i32(); a > 0; a--) {
        abortedTransactions.push({ producerId: i64(), firstOffset: i64() });
      }
      i32(); // preferred read replica
      const size = i32();
      const records = size > 0 ? payload.subarray(p, p + size) : new Uint8Array(0);
      p += Math.max(0, size);
      partitions.push({
        partition,
        errorCode: partitionError,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        abortedTransactions,
        records,
      });
    }
  }
  return { clientSideThrottleTime, partitions };
}

const ERROR_NAMES: Record<number, string> = {
  1: "OFFSET_OUT_OF_RANGE",
  3: "UNKNOWN_TOPIC_OR_PARTITION",
  6: "NOT_LEADER_OR_FOLLOWER",
  29: "TOPIC_AUTHORIZATION_FAILED",
  74: "FENCED_LEADER_EPOCH",
  75: "UNKNOWN_LEADER_EPOCH",
  100: "UNKNOWN_TOPIC_ID",
};

/** Kafka refused a fetch (or one partition of it). */
export class FetchError extends Error {
  readonly code: string;
  constructor(readonly errorCode: number, what: string) {
    const name = ERROR_NAMES[errorCode] ?? `error ${errorCode}`;
    super(`Kafka refused ${what}: ${name}`);
    this.name = "FetchError";
    this.code = name;
  }

  /** Whether new metadata (a moved leader) may fix it. */
  get retriable(): boolean {
    return this.errorCode === 6 || this.errorCode === 74 || this.errorCode === 75;
  }
}
