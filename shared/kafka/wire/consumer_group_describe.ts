/**
 * ConsumerGroupDescribe (API key 69, v0; KIP-848): the members of a group
 * on the new consumer protocol — their epochs, subscriptions, current and
 * target assignments — which DescribeGroups (KafkaJS's `describeGroups`)
 * does not show for such groups. Sent over KafkaJS's connection to the
 * group's coordinator like fetch_request.ts; KafkaJS writes request header
 * v1, and this flexible request needs v2, which is v1 plus an empty tagged
 * field buffer: that byte leads the body here, and the response's tagged
 * field buffer (response header v1) is skipped before decoding.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import type { ProtocolRequest, ProtocolResponse } from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;

/** Kafka's API key of ConsumerGroupDescribe. */
export const CONSUMER_GROUP_DESCRIBE_API_KEY = 69;
const VERSION = 0;

/** A topic's partitions in an assignment. */
export interface AssignedTopic {
  topicId: string;
  topic: string;
  partitions: number[];
}

/** One member of a consumer-protocol group. */
export interface ConsumerGroupMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  /** The member's epoch: the group epoch it has caught up with. */
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  /** What the member owns now. */
  assignment: AssignedTopic[];
  /** What the coordinator wants it to own (differs while it reconciles). */
  targetAssignment: AssignedTopic[];
}

/** One group of the answer. */
export interface ConsumerGroupDescription {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: ConsumerGroupMember[];
}

/** Encodes a ConsumerGroupDescribe v0 body (after KafkaJS's header v1). */
export function encodeConsumerGroupDescribe(groupIds: string[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: number[] = [0]; // request header v2's tagged fields
  const uvarint = (n: number) => {
    while (n >= 0x80) {
      parts.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    parts.push(n);
  };
  uvarint(groupIds.length + 1);
  for (const id of groupIds) {
    const bytes = encoder.encode(id);
    uvarint(bytes.byteLength + 1);
    parts.push(...bytes);
  }
  parts.push(0); // IncludeAuthorizedOperations: false
  parts.push(0); // tagged fields
  return new Uint8Array(parts);
}

/** Reads a ConsumerGroupDescribe v0 response (with its header's tagged fields first). */
export function decodeConsumerGroupDescribe(payload: Uint8Array): ConsumerGroupDescription[] {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const decoder = new TextDecoder();
  let p = 0;
  const uvarint = () => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = payload[p++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
      shift += 7;
    }
  };
  const skipTags = () => {
    for (let n = uvarint(); n > 0; n--) {
      uvarint();
      p += uvarint();
    }
  };
  const int16 = () => (p += 2, view.getInt16(p - 2));
  const int32 = () => (p += 4, view.getInt32(p - 4));
  const nullableString = () => {
    const n = uvarint() - 1;
    if (n < 0) return null;
    p += n;
    return decoder.decode(payload.subarray(p - n, p));
  };
  const string = () => nullableString() ?? "";
  const array = <T>(item: () => T): T[] => {
    const n = uvarint() - 1;
    return Array.from({ length: Math.max(0, n) }, item);
  };
  const uuid = () => {
    const hex = Array.from(payload.subarray(p, p + 16), (b) => b.toString(16).padStart(2, "0"))
      .join("");
    p += 16;
    return hex;
  };
  const assignment = (): AssignedTopic[] => {
    const topics = array(() => {
      const topicId = uuid();
      const topic = string();
      const partitions = array(int32);
      skipTags();
      return { topicId, topic, partitions };
    });
    skipTags();
    return topics;
  };
  skipTags(); // response header v1
  int32(); // throttle time
  const groups = array((): ConsumerGroupDescription => {
    const errorCode = int16();
    const errorMessage = nullableString();
    const groupId = string();
    const groupState = string();
    const groupEpoch = int32();
    const assignmentEpoch = int32();
    const assignorName = string();
    const members = array((): ConsumerGroupMember => {
      const member = {
        memberId: string(),
        instanceId: nullableString(),
        rackId: nullableString(),
        memberEpoch: int32(),
        clientId: string(),
        clientHost: string(),
        subscribedTopicNames: array(string),
        subscribedTopicRegex: nullableString(),
        assignment: assignment(),
        targetAssignment: assignment(),
      };
      skipTags();
      return member;
    });
    int32(); // authorized operations
    skipTags();
    return {
      errorCode,
      errorMessage,
      groupId,
      groupState,
      groupEpoch,
      assignmentEpoch,
      assignorName,
      members,
    };
  });
  return groups;
}

/** The request for KafkaJS's connection. */
export function consumerGroupDescribeRequest(groupIds: string[]): {
  request: ProtocolRequest;
  response: ProtocolResponse<ConsumerGroupDescription[]>;
} {
  return {
    request: {
      apiKey: CONSUMER_GROUP_DESCRIBE_API_KEY,
      apiVersion: VERSION,
      apiName: "ConsumerGroupDescribe",
      encode: () =>
        Promise.resolve(
          new Encoder().writeBuffer(Buffer.from(encodeConsumerGroupDescribe(groupIds))),
        ),
    },
    response: {
      decode: (payload) => Promise.resolve(decodeConsumerGroupDescribe(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}
