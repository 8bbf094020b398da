/**
 * One consumer group as the console shows it: state, members, and its
 * committed offset on every partition it has committed to, next to the
 * partition's start and end offsets and the lag.
 */
import type { Admin, GroupDescription } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { partitionOffsets } from "../topics/topic_list.ts";

/** One partition's position. */
export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number | null;
  start: number;
  end: number;
  lag: number | null;
}

/** A member of the group. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
}

/** The group. */
export interface GroupDetail {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
  offsets: GroupPartition[];
}

/** States in which a group has no member: its offsets may be reset and it may be deleted. */
export const INACTIVE_STATES = new Set(["Empty", "Dead"]);

/** The group `groupId`; 404 when the broker does not know it. */
export async function describeGroup(admin: Admin, groupId: string): Promise<GroupDetail> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  const committed = await admin.fetchOffsets({ groupId });
  if (!group || (group.state === "Dead" && committed.every((t) => t.partitions.length === 0))) {
    throw new HttpError(404, `no consumer group ${groupId} on the broker`);
  }
  const offsets: GroupPartition[] = [];
  const topics = new Set(await admin.listTopics());
  for (const { topic, partitions } of committed) {
    const ends = topics.has(topic) ? await partitionOffsets(admin, topic) : [];
    for (const p of partitions) {
      const range = ends.find((e) => e.partition === p.partition);
      const value = Number(p.offset);
      const committedOffset = value >= 0 ? value : null;
      offsets.push({
        topic,
        partition: p.partition,
        committed: committedOffset,
        start: range?.start ?? 0,
        end: range?.end ?? 0,
        lag: committedOffset === null || !range ? null : Math.max(0, range.end - committedOffset),
      });
    }
  }
  offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  return {
    groupId,
    state: group.state,
    protocolType: group.protocolType,
    protocol: group.protocol,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
    })),
    offsets,
  };
}

/** Every group the broker knows, by name, with its state and member count. */
export async function listGroupSummaries(
  admin: Admin,
): Promise<{ groupId: string; protocolType: string; state: string; members: number }[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.map((g) => g.groupId);
  const described: GroupDescription[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    described.push(...(await admin.describeGroups(ids.slice(i, i + 100))).groups);
  }
  return groups.map((g) => {
    const d = described.find((x) => x.groupId === g.groupId);
    return {
      groupId: g.groupId,
      protocolType: g.protocolType,
      state: d?.state ?? "Unknown",
      members: d?.members.length ?? 0,
    };
  }).sort((a, b) => a.groupId.localeCompare(b.groupId));
}
