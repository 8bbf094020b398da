/**
 * DescribeQuorum (API key 55, v1): the KRaft metadata quorum — its leader
 * (the active controller), epoch and high watermark, each voter and
 * observer with its log end offset and when it last fetched and caught up.
 * A broker forwards it to the active controller. Metadata's controller id
 * cannot tell this (under KRaft it names a live broker for the clients'
 * sake); `kafka-metadata-quorum describe --status` shows the same.
 * Needs DESCRIBE on the cluster.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import type { ProtocolRequest, ProtocolResponse } from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of DescribeQuorum. */
export const DESCRIBE_QUORUM_API_KEY = 55;
const VERSION = 1;
const METADATA_TOPIC = "__cluster_metadata";

/** A voter or observer of the quorum. */
export interface QuorumReplica {
  replicaId: number;
  logEndOffset: number;
  /** Milliseconds since the epoch, -1 when unknown (and for the leader). */
  lastFetchTimestamp: number;
  lastCaughtUpTimestamp: number;
}

/** The quorum as the active controller describes it. */
export interface QuorumAnswer {
  errorCode: number;
  leaderId: number;
  leaderEpoch: number;
  highWatermark: number;
  voters: QuorumReplica[];
  observers: QuorumReplica[];
}

/** Encodes a DescribeQuorum v1 body (after KafkaJS's header v1). */
export function encodeDescribeQuorum(): Uint8Array {
  const w = new FlexibleWriter().tags();
  w.array([METADATA_TOPIC], (topic) => {
    w.string(topic).array([0], (partition) => w.int32(partition).tags()).tags();
  });
  return w.tags().bytes();
}

/** Reads a DescribeQuorum v1 response (its header's tagged fields first). */
export function decodeDescribeQuorum(payload: Uint8Array): QuorumAnswer {
  const r = new FlexibleReader(payload);
  r.tags(); // response header v1
  const errorCode = r.int16();
  const replica = (): QuorumReplica => {
    const state = {
      replicaId: r.int32(),
      logEndOffset: r.int64(),
      lastFetchTimestamp: r.int64(),
      lastCaughtUpTimestamp: r.int64(),
    };
    r.tags();
    return state;
  };
  let answer: QuorumAnswer = {
    errorCode,
    leaderId: -1,
    leaderEpoch: -1,
    highWatermark: -1,
    voters: [],
    observers: [],
  };
  r.array(() => {
    r.string(); // topic
    r.array(() => {
      r.int32(); // partition
      const partitionError = r.int16();
      const leaderId = r.int32();
      const leaderEpoch = r.int32();
      const highWatermark = r.int64();
      const voters = r.array(replica);
      const observers = r.array(replica);
      r.tags();
      answer = {
        errorCode: errorCode || partitionError,
        leaderId,
        leaderEpoch,
        highWatermark,
        voters,
        observers,
      };
    });
    r.tags();
  });
  r.tags();
  return answer;
}

/** The request for KafkaJS's connection. */
export function describeQuorumRequest(): {
  request: ProtocolRequest;
  response: ProtocolResponse<QuorumAnswer>;
} {
  return {
    request: {
      apiKey: DESCRIBE_QUORUM_API_KEY,
      apiVersion: VERSION,
      apiName: "DescribeQuorum",
      encode: () => Promise.resolve(new Encoder().writeBuffer(Buffer.from(encodeDescribeQuorum()))),
    },
    response: {
      decode: (payload) => Promise.resolve(decodeDescribeQuorum(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}
