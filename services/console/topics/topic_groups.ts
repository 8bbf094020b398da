/**
 * The consumer groups reading a topic, with their committed offsets and
 * lag per partition: every group with a committed offset on the topic.
 * One OffsetFetch per group (KafkaJS asks one group at a time), at most
 * 16 in flight.
 */
import type { Admin } from "kafkajs";
import { mapLimit } from "../../../shared/core/map_limit.ts";

/** One group's position on one topic. */
export interface TopicGroup {
  groupId: string;
  state: string;
  members: number;
  /** Sum of the partitions' lag (end − committed), partitions without a commit left out. */
  lag: number;
  partitions: { partition: number; committed: number | null; end: number; lag: number | null }[];
}

/** The groups with a committed offset on `topic`, by name; `ends` are its end offsets. */
export async function groupsReading(
  admin: Admin,
  topic: string,
  ends: Map<number, number>,
): Promise<TopicGroup[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.filter((g) => g.protocolType === "consumer" || g.protocolType === "")
    .map((g) => g.groupId);
  const positions = await mapLimit(ids, 16, async (groupId) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] }).catch(() => []);
    const partitions = (offsets?.partitions ?? []).map((p) => {
      const committed = Number(p.offset) >= 0 ? Number(p.offset) : null;
      const end = ends.get(p.partition) ?? 0;
      return {
        partition: p.partition,
        committed,
        end,
        lag: committed === null ? null : Math.max(0, end - committed),
      };
    }).sort((a, b) => a.partition - b.partition);
    return { groupId, partitions };
  });
  const reading = positions.filter((p) => p.partitions.some((x) => x.committed !== null));
  if (reading.length === 0) return [];
  const { groups: described } = await admin.describeGroups(reading.map((r) => r.groupId));
  return reading.map((r) => {
    const d = described.find((g) => g.groupId === r.groupId);
    return {
      groupId: r.groupId,
      state: d?.state ?? "Unknown",
      members: d?.members.length ?? 0,
      lag: r.partitions.reduce((sum, p) => sum + (p.lag ?? 0), 0),
      partitions: r.partitions,
    };
  }).sort((a, b) => a.groupId.localeCompare(b.groupId));
}
