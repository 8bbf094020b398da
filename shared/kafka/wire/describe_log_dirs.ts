/**
 * DescribeLogDirs (API key 35, v4): one broker's log directories — each
 * one's error, size on disk per partition, total and usable bytes — for
 * every topic (the request's topics are null). Each broker answers for its
 * own directories only, so a cluster's sizes take one request per broker.
 * Needs DESCRIBE on the cluster.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import type { ProtocolRequest, ProtocolResponse } from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of DescribeLogDirs. */
export const DESCRIBE_LOG_DIRS_API_KEY = 35;
const VERSION = 4;

/** One partition's replica in a log directory. */
export interface LogDirPartition {
  partition: number;
  sizeBytes: number;
  /** How far this replica is behind (a future replica being moved: its lag). */
  offsetLag: number;
  /** A replica being moved into this directory (not yet the current one). */
  isFuture: boolean;
}

/** One log directory of a broker. */
export interface LogDir {
  errorCode: number;
  path: string;
  topics: { topic: string; partitions: LogDirPartition[] }[];
  /** The volume's size and free space (-1 when the broker cannot tell). */
  totalBytes: number;
  usableBytes: number;
}

/** One broker's answer. */
export interface LogDirsAnswer {
  errorCode: number;
  dirs: LogDir[];
}

/** Encodes a DescribeLogDirs v4 body for every topic (after KafkaJS's header v1). */
export function encodeDescribeLogDirs(): Uint8Array {
  return new FlexibleWriter().tags().array(null, () => {}).tags().bytes();
}

/** Reads a DescribeLogDirs v4 response (its header's tagged fields first). */
export function decodeDescribeLogDirs(payload: Uint8Array): LogDirsAnswer {
  const r = new FlexibleReader(payload);
  r.tags(); // response header v1
  r.int32(); // throttle time
  const errorCode = r.int16();
  const dirs = r.array((): LogDir => {
    const dirError = r.int16();
    const path = r.string();
    const topics = r.array(() => {
      const topic = r.string();
      const partitions = r.array((): LogDirPartition => {
        const p = {
          partition: r.int32(),
          sizeBytes: r.int64(),
          offsetLag: r.int64(),
          isFuture: r.bool(),
        };
        r.tags();
        return p;
      });
      r.tags();
      return { topic, partitions };
    });
    const totalBytes = r.int64();
    const usableBytes = r.int64();
    r.tags();
    return { errorCode: dirError, path, topics, totalBytes, usableBytes };
  });
  r.tags();
  return { errorCode, dirs };
}

/** The request for KafkaJS's connection. */
export function describeLogDirsRequest(): {
  request: ProtocolRequest;
  response: ProtocolResponse<LogDirsAnswer>;
} {
  return {
    request: {
      apiKey: DESCRIBE_LOG_DIRS_API_KEY,
      apiVersion: VERSION,
      apiName: "DescribeLogDirs",
      encode: () =>
        Promise.resolve(new Encoder().writeBuffer(Buffer.from(encodeDescribeLogDirs()))),
    },
    response: {
      decode: (payload) => Promise.resolve(decodeDescribeLogDirs(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}
