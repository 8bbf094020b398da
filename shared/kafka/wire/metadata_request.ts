/**
 * A Kafka Metadata request (v12) for the topic ids KafkaJS does not read
 * (KIP-516): a topic deleted and created again under the same name gets a
 * new id, which is how a consumer tells the log it stored offsets of from
 * another log with the same name. Sent over KafkaJS's own connection
 * (SASL, TLS, correlation ids) like the Fetch request. v12 is a flexible
 * version: the request header's tagged fields (which KafkaJS's header
 * encoder does not write) start the body, and the response header's start
 * the payload.
 *
 * It is also the metadata read that does not fail on a partition without
 * a leader: KafkaJS's parse throws LEADER_NOT_AVAILABLE for a whole answer
 * when any partition in it is offline, so the views that must show offline
 * partitions (the cluster overview, the alerts' snapshot) read this one,
 * which keeps each partition's error beside its leader (-1) and replicas.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import {
  anyConnectedBroker,
  type KafkaCluster,
  type ProtocolRequest,
  type ProtocolResponse,
} from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of Metadata. */
export const METADATA_API_KEY = 3;
const METADATA_VERSION = 12;
const ZERO_UUID = "00000000000000000000000000000000";

/** One partition in a Metadata response. */
export interface MetadataPartition {
  partition: number;
  /** Kafka error code (0: none; 5: no leader — offline or electing). */
  errorCode: number;
  /** The leader's node id; -1 when it has none. */
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** Replicas on brokers that are not up. */
  offlineReplicas: number[];
}

/** One broker in a Metadata response. */
export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** One topic in a Metadata response. */
export interface MetadataTopic {
  name: string;
  /** Kafka error code (0: none; 3: no such topic; 29: not authorised). */
  errorCode: number;
  /** The topic id as 32 hex digits; undefined when the broker has none (before Kafka 2.8). */
  topicId?: string;
  /** Whether Kafka marks it internal (`__consumer_offsets`, `__transaction_state`). */
  internal: boolean;
  partitions: MetadataPartition[];
}

/** A decoded Metadata response (the parts Freshet uses). */
export interface MetadataResponse {
  clusterId: string | null;
  /** The brokers that are up (registered and not fenced). */
  brokers: MetadataBroker[];
  /** The node id clients are told is the controller (-1: none). */
  controllerId: number;
  topics: MetadataTopic[];
}

/**
 * A Metadata request for `topics`, or every topic the principal may
 * describe for `null` (never creating one), for KafkaJS's connection.
 */
export function metadataRequest(
  topics: string[] | null,
): {
  request: ProtocolRequest;
  response: ProtocolResponse<MetadataResponse>;
  requestTimeout: number;
} {
  return {
    request: {
      apiKey: METADATA_API_KEY,
      apiVersion: METADATA_VERSION,
      apiName: "Metadata",
      encode() {
        const encoder = new Encoder().writeUVarInt(0); // the request header's tagged fields
        encoder.writeUVarInt(topics === null ? 0 : topics.length + 1);
        for (const name of topics ?? []) {
          encoder.writeBuffer(Buffer.alloc(16)).writeUVarIntString(name).writeUVarInt(0);
        }
        return Promise.resolve(
          encoder
            .writeBoolean(false) // allow_auto_topic_creation
            .writeBoolean(false) // include_topic_authorized_operations
            .writeUVarInt(0),
        );
      },
    },
    response: {
      decode: (payload) => Promise.resolve(decodeMetadataResponse(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
    requestTimeout: 30_000,
  };
}

/** A Metadata v12 response, its header's tagged fields first. */
export function decodeMetadataResponse(payload: Uint8Array): MetadataResponse {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  let p = 0;
  const i8 = () => view.getInt8(p++);
  const i16 = () => (p += 2, view.getInt16(p - 2));
  const i32 = () => (p += 4, view.getInt32(p - 4));
  const uvarint = () => {
    let value = 0;
    for (let shift = 0;; shift += 7) {
      const byte = view.getUint8(p++);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  const text = new TextDecoder();
  const compactString = (): string | null => {
    const length = uvarint() - 1;
    if (length < 0) return null;
    p += length;
    return text.decode(payload.subarray(p - length, p));
  };
  const skipTags = () => {
    for (let n = uvarint(); n > 0; n--) {
      uvarint(); // tag
      p += uvarint();
    }
  };
  const uuid = () => {
    let hex = "";
    for (let i = 0; i < 16; i++) hex += view.getUint8(p++).toString(16).padStart(2, "0");
    return hex;
  };
  const int32s = () => {
    const out: number[] = [];
    for (let n = uvarint() - 1; n > 0; n--) out.push(i32());
    return out;
  };

  skipTags(); // the response header's
  i32(); // throttle time
  const brokers: MetadataBroker[] = [];
  for (let n = uvarint() - 1; n > 0; n--) {
    const nodeId = i32();
    const host = compactString() ?? "";
    const port = i32();
    const rack = compactString();
    skipTags();
    brokers.push({ nodeId, host, port, rack });
  }
  const clusterId = compactString();
  const controllerId = i32();
  const topics: MetadataTopic[] = [];
  for (let t = uvarint() - 1; t > 0; t--) {
    const errorCode = i16();
    const name = compactString() ?? "";
    const id = uuid();
    const internal = i8() !== 0;
    const partitions: MetadataPartition[] = [];
    for (let n = uvarint() - 1; n > 0; n--) {
      const partitionError = i16();
      const partition = i32();
      const leader = i32();
      const leaderEpoch = i32();
      const replicas = int32s();
      const isr = int32s();
      const offlineReplicas = int32s();
      skipTags();
      partitions.push({
        partition,
        errorCode: partitionError,
        leader,
        leaderEpoch,
        replicas,
        isr,
        offlineReplicas,
      });
    }
    i32(); // topic authorized operations
    skipTags();
    topics.push({
      name,
      errorCode,
      topicId: id === ZERO_UUID ? undefined : id,
      internal,
      partitions: partitions.sort((a, b) => a.partition - b.partition),
    });
  }
  skipTags();
  return { clusterId, brokers: brokers.sort((a, b) => a.nodeId - b.nodeId), controllerId, topics };
}

/** A topic id as Kafka prints it (base64url, no padding), e.g. in `kafka-topics --describe`. */
export function topicIdText(hex: string): string {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * The metadata of `topics` (every topic for `null`) with their ids, asked
 * of a broker of a connected `cluster`; a partition without a leader is
 * in the answer with its error, not a failure of the whole read.
 *
 * By default the broker KafkaJS names as controller answers: the same one
 * each time while its metadata holds, so a consumer's topic-id checks do
 * not hop between brokers at different points of the metadata log.
 * `from: "any"` (the cluster overview, the alerts) asks one already
 * connected, else any that connects: a stopped controller broker is then
 * no reason to fail a read about a cluster with a broker down.
 */
export async function readTopicMetadata(
  cluster: KafkaCluster,
  topics: string[] | null,
  options: { from?: "controller" | "any" } = {},
): Promise<MetadataResponse> {
  const broker = options.from === "any"
    ? await anyConnectedBroker(cluster)
    : await cluster.findControllerBroker().catch(async () => {
      await cluster.refreshMetadata(); // none loaded yet (KafkaJSMetadataNotLoaded), or it is gone
      return await cluster.findControllerBroker();
    });
  return await broker.connectionPool.send(metadataRequest(topics));
}
