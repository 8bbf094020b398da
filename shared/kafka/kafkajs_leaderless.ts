/**
 * KafkaJS 2.2.4 fails a whole Metadata answer when any partition in it has
 * an error (protocol/requests/metadata/v0/response.js `parse`). A
 * partition without a leader (its only replicas on brokers that are down:
 * LEADER_NOT_AVAILABLE, leader −1) thus made every metadata refresh of a
 * client that had ever touched its topic fail: the console's admin answered
 * 502 for every action, on any topic, and a producer could not send to
 * the topic's other partitions.
 *
 * `keepLeaderlessPartitions` makes the answer keep such a partition, as
 * Kafka's Java client does: leader −1, error cleared. KafkaJS then routes
 * around it by itself: a consumer's fetchers are per live broker, so the
 * partition is not fetched until a refresh shows its new leader; a
 * producer's default partitioner spreads keyless records over the
 * partitions that have a leader; a send to the partition itself fails
 * after its retries, as before (the console says so at once: produce.ts).
 * REPLICA_NOT_AVAILABLE (a follower down; the leader is there) is kept
 * the same way. Topic errors, and other partition errors, still fail the
 * answer. Like the other patches, it changes KafkaJS for the whole isolate:
 * the client factory (client.ts) applies it.
 */
// @ts-types="./kafkajs_metadata.d.ts"
import v0 from "kafkajs/src/protocol/requests/metadata/v0/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v1 from "kafkajs/src/protocol/requests/metadata/v1/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v2 from "kafkajs/src/protocol/requests/metadata/v2/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v3 from "kafkajs/src/protocol/requests/metadata/v3/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v4 from "kafkajs/src/protocol/requests/metadata/v4/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v5 from "kafkajs/src/protocol/requests/metadata/v5/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v6 from "kafkajs/src/protocol/requests/metadata/v6/response.js";

/** LEADER_NOT_AVAILABLE and REPLICA_NOT_AVAILABLE: the partition is listed, not failed. */
const KEPT_PARTITION_ERRORS = new Set([5, 9]);

/** A decoded Metadata answer, as far as this patch reads it. */
interface MetadataAnswer {
  topicMetadata: { partitionMetadata: { partitionErrorCode: number }[] }[];
}

/** `data` with the kept partition errors cleared (the same object when there is none). */
export function clearLeaderlessErrors<T>(data: T): T {
  const answer = data as unknown as MetadataAnswer;
  const kept = (p: { partitionErrorCode: number }) =>
    KEPT_PARTITION_ERRORS.has(p.partitionErrorCode);
  if (!answer?.topicMetadata?.some((t) => t.partitionMetadata?.some(kept))) return data;
  return {
    ...answer,
    topicMetadata: answer.topicMetadata.map((t) => ({
      ...t,
      partitionMetadata: t.partitionMetadata.map((p) =>
        kept(p) ? { ...p, partitionErrorCode: 0 } : p
      ),
    })),
  } as unknown as T;
}

/** Every Metadata version KafkaJS may use, the patched ones marked. */
const VERSIONS = [v0, v1, v2, v3, v4, v5, v6];
const patched = new WeakSet<object>();

/** Makes KafkaJS's Metadata answers keep leaderless partitions; idempotent. */
export function keepLeaderlessPartitions(): void {
  for (const response of VERSIONS) {
    if (patched.has(response)) continue;
    patched.add(response);
    const parse = response.parse;
    response.parse = (data) => parse(clearLeaderlessErrors(data));
  }
}
