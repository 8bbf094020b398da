/**
 * The consumer groups reading a topic, with their committed offsets and
 * lag per partition: every group with a committed offset on the topic.
 * Read through the kernel's batched requests (one ListGroups per broker,
 * one FindCoordinator, one OffsetFetch and DescribeGroups per coordinator)
 * instead of KafkaJS's one OffsetFetch per group, whose `listGroups` also
 * refreshes every topic the admin was asked about and fails while one of
 * their partitions is offline.
 */
import { describeGroupsAt, listGroupsOf } from "../../../shared/kafka/wire/group_reads.ts";
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { fetchGroupOffsets, findCoordinators } from "../../../shared/kafka/wire/offset_fetch.ts";

/** One group's position on one topic. */
export interface TopicGroup {
  groupId: string;
  state: string;
  members: number;
  /** Sum of the partitions' lag (end − committed), partitions without a commit left out. */
  lag: number;
  partitions: { partition: number; committed: number | null; end: number; lag: number | null }[];
}

/**
 * The groups with a committed offset on `topic`, by name; `ends` are its
 * end offsets, `brokerIds` the brokers that are up. A group whose offsets
 * cannot be read is left out, as one that reads nothing here.
 */
export async function groupsReading(
  cluster: KafkaCluster,
  brokerIds: number[],
  topic: string,
  ends: Map<number, number>,
): Promise<TopicGroup[]> {
  const listed = await listGroupsOf(cluster, brokerIds);
  const ids = [
    ...new Set(
      listed.filter((g) => g.protocolType === "consumer" || g.protocolType === "")
        .map((g) => g.groupId),
    ),
  ];
  const coordinators = await findCoordinators(cluster, ids);
  const committed = await fetchGroupOffsets(cluster, ids, coordinators);
  const reading = ids.flatMap((groupId) => {
    const read = committed.get(groupId);
    if (!read || "error" in read) return [];
    const partitions = read.offsets.filter((o) => o.topic === topic && o.errorCode === 0)
      .map((o) => {
        const value = o.offset >= 0 ? o.offset : null;
        const end = ends.get(o.partition) ?? 0;
        return {
          partition: o.partition,
          committed: value,
          end,
          lag: value === null ? null : Math.max(0, end - value),
        };
      }).sort((a, b) => a.partition - b.partition);
    return partitions.some((p) => p.committed !== null) ? [{ groupId, partitions }] : [];
  });
  if (reading.length === 0) return [];
  const described = await describeGroupsAt(
    cluster,
    new Map(reading.map((r) => [r.groupId, coordinators.get(r.groupId)!])),
  );
  return reading.map((r) => {
    const d = described.get(r.groupId);
    const description = d && "description" in d ? d.description : undefined;
    return {
      groupId: r.groupId,
      state: description?.state ?? "Unknown",
      members: description?.members.length ?? 0,
      lag: r.partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
      partitions: r.partitions,
    };
  }).sort((a, b) => a.groupId.localeCompare(b.groupId));
}
