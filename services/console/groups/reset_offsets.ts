/**
 * Offset resets of a consumer group, with a dry-run preview of every
 * partition's old → new offset. Refused while the group has members (they
 * would overwrite the reset with their next commit; Kafka refuses it too)
 * and for Freshet's own consumers (freshet_groups.ts). New offsets are
 * clamped to the partition's start and end, as Kafka's own tool does.
 * The commit is one OffsetCommit to the group's coordinator, as Kafka's
 * admin client does for an empty group (generation -1, no member).
 */
import type { Admin } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { partitionRanges, refuseOffline } from "../topics/partition_ranges.ts";
import { assertTopicExists } from "../topics/topic_detail.ts";
import { describeGroup, type DescribeGroupOptions, INACTIVE_STATES } from "./group_detail.ts";
import type { ResetRequest } from "./reset_input.ts";

/** One partition's change. */
export interface OffsetChange {
  topic: string;
  partition: number;
  /** The committed offset now (null: none). */
  from: number | null;
  to: number;
  start: number;
  end: number;
  /** Why `to` is not exactly what was asked (clamped to the partition's range). */
  note?: string;
}

/** Throws 409 unless `groupId` has no member. */
export async function assertInactive(
  admin: Admin,
  groupId: string,
  doing: string,
  options: DescribeGroupOptions,
) {
  const group = await describeGroup(admin, groupId, options);
  if (!INACTIVE_STATES.has(group.state) || group.members.length > 0) {
    throw new HttpError(
      409,
      `cannot ${doing} while group ${groupId} has ${group.members.length} active member(s) ` +
        `(state ${group.state}): stop its consumers first`,
    );
  }
  return group;
}

/**
 * The offsets `request` would give each partition (nothing is changed);
 * 503 when a partition it covers is offline (or any of the topic's, for a
 * reset by time: KafkaJS reads those for every partition at once).
 */
export async function planReset(
  admin: Admin,
  cluster: KafkaCluster,
  groupId: string,
  request: ResetRequest,
): Promise<OffsetChange[]> {
  await assertTopicExists(admin, request.topic);
  const ranges = await partitionRanges(cluster, request.topic);
  if (request.partition !== undefined && !ranges.some((r) => r.partition === request.partition)) {
    throw new HttpError(400, `${request.topic} has partitions 0 to ${ranges.length - 1}`);
  }
  const chosen = ranges.filter((r) =>
    request.partition === undefined || r.partition === request.partition
  );
  refuseOffline(
    request.to.kind === "timestamp" ? ranges : chosen,
    request.topic,
    "resetting offsets",
  );
  const [committed] = await admin.fetchOffsets({ groupId, topics: [request.topic] });
  const byTime = request.to.kind === "timestamp"
    ? await admin.fetchTopicOffsetsByTimestamp(request.topic, request.to.timestampMs)
    : [];
  const missing: number[] = [];
  const changes = chosen.map((range): OffsetChange => {
    const c = committed?.partitions.find((p) => p.partition === range.partition);
    const from = c && Number(c.offset) >= 0 ? Number(c.offset) : null;
    let wanted: number;
    switch (request.to.kind) {
      case "earliest":
        wanted = range.start;
        break;
      case "latest":
        wanted = range.end;
        break;
      case "timestamp":
        wanted = Number(byTime.find((o) => o.partition === range.partition)?.offset ?? range.end);
        break;
      case "offset":
        wanted = request.to.offset;
        break;
      case "shift":
        if (from === null) missing.push(range.partition);
        wanted = (from ?? 0) + request.to.by;
        break;
    }
    const to = Math.min(range.end, Math.max(range.start, wanted));
    const note = to === wanted
      ? undefined
      : `${wanted} is outside ${range.start}–${range.end}, clamped`;
    return {
      topic: request.topic,
      partition: range.partition,
      from,
      to,
      start: range.start,
      end: range.end,
      note,
    };
  });
  if (missing.length > 0) {
    throw new HttpError(
      400,
      `the group has no committed offset to shift from on partition(s) ${missing.join(", ")}`,
    );
  }
  return changes;
}

/** Commits `changes` for the (empty) group `groupId`. */
export async function commitOffsets(
  cluster: KafkaCluster,
  groupId: string,
  changes: OffsetChange[],
): Promise<void> {
  if (changes.length === 0) return;
  await cluster.refreshMetadata();
  const coordinator = await cluster.findGroupCoordinator({ groupId });
  const topic = changes[0].topic;
  await coordinator.offsetCommit({
    groupId,
    groupGenerationId: -1,
    memberId: "",
    topics: [{
      topic,
      partitions: changes.map((c) => ({ partition: c.partition, offset: String(c.to) })),
    }],
  });
}
