/**
 * The committed offsets of many consumer groups in one request per
 * coordinator, instead of KafkaJS's FindCoordinator + OffsetFetch per group:
 * FindCoordinator v4 (API key 10) finds every group's coordinator at once
 * and OffsetFetch v8 (API key 9, KIP-709) reads all its groups' offsets at
 * once (Kafka 3.0 and later). A broker that supports neither gets KafkaJS's
 * own per-group requests instead (its connection knows the versions each
 * broker supports). Errors are per group, never thrown.
 *
 * Both are flexible versions: KafkaJS writes request header v1, and v2 is
 * v1 plus an empty tagged-field buffer, which leads the body here; the
 * response header's tagged fields lead the payload.
 */
import { Buffer } from "node:buffer";
import EncoderModule from "kafkajs/src/protocol/encoder.js";
import ErrorModule from "kafkajs/src/protocol/error.js";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import {
  anyConnectedBroker,
  brokerById,
  type ClusterBroker,
  type KafkaCluster,
  type ProtocolRequest,
  type ProtocolResponse,
} from "./kafka_cluster.ts";

// deno-lint-ignore no-explicit-any
const Encoder = EncoderModule as any;
const { createErrorFromCode } = ErrorModule as unknown as {
  createErrorFromCode(code: number): Error & { type: string };
};

/** Kafka's API key of FindCoordinator. */
export const FIND_COORDINATOR_API_KEY = 10;
/** Kafka's API key of OffsetFetch. */
export const OFFSET_FETCH_API_KEY = 9;
const FIND_COORDINATOR_BATCHED = 4;
const OFFSET_FETCH_BATCHED = 8;
const GROUP_KEY = 0;

/** One key's coordinator in a FindCoordinator answer. */
export interface Coordinator {
  key: string;
  nodeId: number;
  /** Kafka error code (0: none; 15: not available yet). */
  errorCode: number;
}

/** One committed offset. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  /** The next offset to consume; -1 when none is committed. */
  offset: number;
  errorCode: number;
}

/** One group's committed offsets, as an OffsetFetch answer holds them. */
export interface GroupOffsetsAnswer {
  groupId: string;
  /** Kafka error code for the whole group (0: none; 16: not its coordinator). */
  errorCode: number;
  offsets: CommittedOffset[];
}

/** Encodes a FindCoordinator v4 body for consumer groups `groupIds`. */
export function encodeFindCoordinator(groupIds: string[]): Uint8Array {
  const w = new FlexibleWriter().tags().int8(GROUP_KEY);
  return w.array(groupIds, (id) => w.string(id)).tags().bytes();
}

/** Reads a FindCoordinator v4 response. */
export function decodeFindCoordinator(payload: Uint8Array): Coordinator[] {
  const r = new FlexibleReader(payload);
  r.tags(); // response header
  r.int32(); // throttle time
  const coordinators = r.array(() => {
    const key = r.string();
    const nodeId = r.int32();
    r.string(); // host
    r.int32(); // port
    const errorCode = r.int16();
    r.nullableString(); // error message
    r.tags();
    return { key, nodeId, errorCode };
  });
  r.tags();
  return coordinators;
}

/** Encodes an OffsetFetch v8 body: every committed offset of each of `groupIds`. */
export function encodeOffsetFetch(groupIds: string[]): Uint8Array {
  const w = new FlexibleWriter().tags();
  w.array(groupIds, (id) => w.string(id).array(null, () => {}).tags()); // topics null: all
  return w.bool(false).tags().bytes(); // require_stable: false
}

/** Reads an OffsetFetch v8 response. */
export function decodeOffsetFetch(payload: Uint8Array): GroupOffsetsAnswer[] {
  const r = new FlexibleReader(payload);
  r.tags(); // response header
  r.int32(); // throttle time
  const groups = r.array(() => {
    const groupId = r.string();
    const offsets = r.array(() => {
      const topic = r.string();
      const partitions = r.array(() => {
        const partition = r.int32();
        const offset = r.int64();
        r.int32(); // committed leader epoch
        r.nullableString(); // metadata
        const errorCode = r.int16();
        r.tags();
        return { topic, partition, offset, errorCode };
      });
      r.tags();
      return partitions;
    }).flat();
    const errorCode = r.int16();
    r.tags();
    return { groupId, errorCode, offsets };
  });
  r.tags();
  return groups;
}

function flexibleRequest<T>(
  apiKey: number,
  apiVersion: number,
  apiName: string,
  body: Uint8Array,
  decode: (payload: Uint8Array) => T,
): { request: ProtocolRequest; response: ProtocolResponse<T> } {
  return {
    request: {
      apiKey,
      apiVersion,
      apiName,
      encode: () => Promise.resolve(new Encoder().writeBuffer(Buffer.from(body))),
    },
    response: {
      decode: (payload) => Promise.resolve(decode(payload)),
      parse: (decoded) => Promise.resolve(decoded),
    },
  };
}

/** The FindCoordinator v4 request for KafkaJS's connection. */
export function findCoordinatorRequest(groupIds: string[]) {
  return flexibleRequest(
    FIND_COORDINATOR_API_KEY,
    FIND_COORDINATOR_BATCHED,
    "FindCoordinator",
    encodeFindCoordinator(groupIds),
    decodeFindCoordinator,
  );
}

/** The OffsetFetch v8 request for KafkaJS's connection. */
export function offsetFetchRequest(groupIds: string[]) {
  return flexibleRequest(
    OFFSET_FETCH_API_KEY,
    OFFSET_FETCH_BATCHED,
    "OffsetFetch",
    encodeOffsetFetch(groupIds),
    decodeOffsetFetch,
  );
}

/** KafkaJS's names of the answers meaning "ask this group's coordinator again" (it moved or is loading). */
const COORDINATOR_MOVING = new Set([
  "NOT_COORDINATOR_FOR_GROUP",
  "GROUP_COORDINATOR_NOT_AVAILABLE",
  "GROUP_LOAD_IN_PROGRESS",
]);

/** Whether `error` says the group's coordinator moved or is loading: worth one more look-up. */
export function isCoordinatorMoving(error: unknown): boolean {
  return COORDINATOR_MOVING.has((error as { type?: string } | null)?.type ?? "");
}

/** Whether `broker` answers `apiKey` at `version` (from its ApiVersions answer). */
function supports(broker: ClusterBroker, apiKey: number, version: number): boolean {
  return (broker.versions?.[apiKey]?.maxVersion ?? -1) >= version;
}

/** A Kafka error for `code`, as KafkaJS throws them (with its `type`). */
export function kafkaError(code: number): Error & { type: string } {
  return createErrorFromCode(code);
}

/** Each group's coordinator (its node id), or why it has none. */
export type CoordinatorOf = Map<string, { nodeId: number } | { error: Error }>;

/**
 * The coordinator of each of `groupIds`: one batched FindCoordinator, or
 * one per group on a broker older than Kafka 3.0.
 */
export async function findCoordinators(
  cluster: KafkaCluster,
  groupIds: string[],
): Promise<CoordinatorOf> {
  const found: CoordinatorOf = new Map();
  if (groupIds.length === 0) return found;
  const broker = await anyConnectedBroker(cluster);
  if (supports(broker, FIND_COORDINATOR_API_KEY, FIND_COORDINATOR_BATCHED)) {
    for (const c of await broker.connectionPool.send(findCoordinatorRequest(groupIds))) {
      found.set(
        c.key,
        c.errorCode === 0 ? { nodeId: c.nodeId } : { error: kafkaError(c.errorCode) },
      );
    }
  } else {
    await Promise.all(groupIds.map(async (groupId) => {
      try {
        found.set(groupId, { nodeId: (await cluster.findGroupCoordinator({ groupId })).nodeId });
      } catch (error) {
        found.set(groupId, { error: error as Error });
      }
    }));
  }
  for (const id of groupIds) {
    if (!found.has(id)) found.set(id, { error: new Error("no coordinator in the answer") });
  }
  return found;
}

/** One group's committed offsets, or why they could not be read. */
export type GroupOffsets = { offsets: CommittedOffset[] } | { error: Error };

/** The groups of `coordinators` by coordinator node id (groups without one left out). */
export function groupsByCoordinator(coordinators: CoordinatorOf): Map<number, string[]> {
  const byNode = new Map<number, string[]>();
  for (const [groupId, c] of coordinators) {
    if (!("nodeId" in c)) continue;
    const groups = byNode.get(c.nodeId) ?? [];
    byNode.set(c.nodeId, groups);
    groups.push(groupId);
  }
  return byNode;
}

/**
 * Every committed offset of each of `groupIds`: one OffsetFetch per
 * coordinator (one per group on a broker older than Kafka 3.0). A group
 * whose coordinator cannot be found or asked has its error instead; one
 * whose coordinator moved meanwhile (NOT_COORDINATOR, a coordinator still
 * loading) is looked up and asked once more. `coordinators` may be passed
 * when already looked up.
 */
export async function fetchGroupOffsets(
  cluster: KafkaCluster,
  groupIds: string[],
  coordinators?: CoordinatorOf,
): Promise<Map<string, GroupOffsets>> {
  const results = await fetchGroupOffsetsOnce(cluster, groupIds, coordinators);
  const moved = groupIds.filter((id) => {
    const r = results.get(id);
    return r !== undefined && "error" in r && isCoordinatorMoving(r.error);
  });
  if (moved.length === 0) return results;
  const again = await fetchGroupOffsetsOnce(cluster, moved, await findCoordinators(cluster, moved));
  for (const [id, r] of again) results.set(id, r);
  return results;
}

async function fetchGroupOffsetsOnce(
  cluster: KafkaCluster,
  groupIds: string[],
  coordinators?: CoordinatorOf,
): Promise<Map<string, GroupOffsets>> {
  const of = coordinators ?? await findCoordinators(cluster, groupIds);
  const results = new Map<string, GroupOffsets>();
  for (const id of groupIds) {
    const c = of.get(id);
    if (!c) results.set(id, { error: new Error("coordinator not looked up") });
    else if ("error" in c) results.set(id, { error: c.error });
  }
  const wanted = new Set(groupIds);
  const byNode = groupsByCoordinator(of);
  await Promise.all([...byNode].map(async ([nodeId, all]) => {
    const groups = all.filter((id) => wanted.has(id));
    if (groups.length === 0) return;
    try {
      const broker = await brokerById(cluster, nodeId);
      if (supports(broker, OFFSET_FETCH_API_KEY, OFFSET_FETCH_BATCHED)) {
        for (const g of await broker.connectionPool.send(offsetFetchRequest(groups))) {
          results.set(
            g.groupId,
            g.errorCode === 0 ? { offsets: g.offsets } : { error: kafkaError(g.errorCode) },
          );
        }
      } else {
        await Promise.all(groups.map(async (groupId) => {
          try {
            const { responses } = await broker.offsetFetch({ groupId, topics: null });
            results.set(groupId, {
              offsets: responses.flatMap(({ topic, partitions }) =>
                partitions.map((p) => ({
                  topic,
                  partition: p.partition,
                  offset: Number(p.offset),
                  errorCode: p.errorCode,
                }))
              ),
            });
          } catch (error) {
            results.set(groupId, { error: error as Error });
          }
        }));
      }
    } catch (error) {
      for (const id of groups) results.set(id, { error: error as Error });
    }
  }));
  for (const id of groupIds) {
    if (!results.has(id)) results.set(id, { error: new Error("group missing from the answer") });
  }
  return results;
}
