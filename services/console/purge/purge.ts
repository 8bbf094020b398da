/**
 * Purge: records deleted from the start of a topic's partitions up to an
 * offset, a time, or the end (Kafka's DeleteRecords: the log's start
 * offset moves up; the records below it are gone for every reader). A
 * plan comes first — per partition the start and end offsets now, where
 * the new start would be, and how many records that removes — so the
 * count is shown before anything happens; the purge itself plans again at
 * once (the log may have moved since the preview) and reports what each
 * partition's start became.
 *
 * Counts are end − start offsets: a compacted topic or transaction
 * markers make them an upper bound, as the topic list's counts are.
 */
import type { Admin } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { describePurge, type PurgeRequest } from "./purge_input.ts";
import { brokerById, type KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import { partitionRanges, refuseOffline } from "../topics/partition_ranges.ts";

/** One partition of a plan. */
export interface PurgePartition {
  partition: number;
  /** Log start and end offsets when planned. */
  start: number;
  end: number;
  /** The new log start: every record below it goes. */
  before: number;
  /** Records removed (`before − start`, at least 0). */
  records: number;
}

/** What a purge would do. */
export interface PurgePlan {
  topic: string;
  request: PurgeRequest;
  /** The request in words. */
  description: string;
  partitions: PurgePartition[];
  /** Records removed in all. */
  records: number;
}

/** What a purge did, per partition: its start before and after. */
export interface PurgeResult {
  topic: string;
  description: string;
  partitions: { partition: number; startBefore: number; startAfter: number; deleted: number }[];
  deleted: number;
}

/**
 * The plan of `request` on `topic`; 404 for a partition the topic lacks,
 * 503 when a partition it covers is offline (or any of the topic's, for a
 * purge by time: KafkaJS reads those for every partition at once).
 */
export async function planPurge(
  admin: Admin,
  cluster: KafkaCluster,
  topic: string,
  request: PurgeRequest,
): Promise<PurgePlan> {
  const ranges = await partitionRanges(cluster, topic);
  const chosen = request.partition === undefined
    ? ranges
    : ranges.filter((o) => o.partition === request.partition);
  if (chosen.length === 0) {
    throw new HttpError(
      404,
      `topic ${topic} has no partition ${request.partition} (it has ${ranges.length})`,
    );
  }
  refuseOffline(request.before.kind === "timestamp" ? ranges : chosen, topic, "purging");
  const byTime = request.before.kind === "timestamp"
    ? new Map(
      (await admin.fetchTopicOffsetsByTimestamp(topic, request.before.timestampMs))
        .map((o) => [o.partition, Number(o.offset)]),
    )
    : undefined;
  const partitions = chosen.map((o): PurgePartition => {
    const { start, end } = o;
    const b = request.before;
    const wanted = b.kind === "end"
      ? end
      : b.kind === "offset"
      ? b.offset
      : byTime!.get(o.partition) ?? end;
    const before = Math.min(end, Math.max(start, wanted));
    return { partition: o.partition, start, end, before, records: before - start };
  }).sort((a, b) => a.partition - b.partition);
  return {
    topic,
    request,
    description: describePurge(request),
    partitions,
    records: partitions.reduce((sum, p) => sum + p.records, 0),
  };
}

/** Runs `plan` (DeleteRecords on the partitions it shortens) and reads each start back. */
export async function runPurge(cluster: KafkaCluster, plan: PurgePlan): Promise<PurgeResult> {
  const shortened = plan.partitions.filter((p) => p.records > 0);
  if (shortened.length > 0) {
    // To each leader, as KafkaJS's deleteTopicRecords does, but without reading every
    // partition's offsets first (it fails the whole purge when another partition is offline).
    const metadata = await readTopicMetadata(cluster, [plan.topic], { from: "any" });
    const leaders = new Map(
      metadata.topics.find((t) => t.name === plan.topic)?.partitions
        .map((p) => [p.partition, p.leader]) ?? [],
    );
    const leaderOf = (partition: number) => leaders.get(partition) ?? -1;
    // Offline since the plan was made: refused before anything is deleted.
    refuseOffline(
      shortened.map((p) => ({ ...p, offline: leaderOf(p.partition) < 0 })),
      plan.topic,
      "purging",
    );
    const byLeader = new Map<number, { partition: number; offset: string }[]>();
    for (const p of shortened) {
      const leader = leaderOf(p.partition);
      byLeader.set(leader, [
        ...(byLeader.get(leader) ?? []),
        { partition: p.partition, offset: String(p.before) },
      ]);
    }
    await Promise.all(
      [...byLeader].map(async ([leader, partitions]) =>
        await (await brokerById(cluster, leader)).deleteRecords({
          topics: [{ topic: plan.topic, partitions }],
        })
      ),
    );
  }
  const after = new Map(
    (await partitionRanges(cluster, plan.topic)).filter((o) => !o.offline)
      .map((o) => [o.partition, o.start]),
  );
  const partitions = plan.partitions.map((p) => {
    const startAfter = after.get(p.partition) ?? p.start;
    return {
      partition: p.partition,
      startBefore: p.start,
      startAfter,
      deleted: Math.max(0, startAfter - p.start),
    };
  });
  return {
    topic: plan.topic,
    description: plan.description,
    partitions,
    deleted: partitions.reduce((sum, p) => sum + p.deleted, 0),
  };
}
