/**
 * One consumer group as the console shows it: its type (classic, or the
 * KIP-848 consumer protocol), state, members with what each is assigned
 * (and, on the new protocol, its epoch and target assignment), and its
 * committed offset on every partition it has committed to, next to the
 * partition's start and end offsets and the lag.
 */
import { type Admin, AssignerProtocol, type GroupDescription } from "kafkajs";
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import type { AssignedTopic } from "../../../shared/kafka/wire/consumer_group_describe.ts";
import { describeConsumerProtocolGroup } from "./consumer_protocol.ts";
import { HttpError } from "../../../shared/web/http_error.ts";
import { partitionRanges } from "../topics/partition_ranges.ts";

/** One partition's position. */
export interface GroupPartition {
  topic: string;
  partition: number;
  committed: number | null;
  start: number;
  end: number;
  lag: number | null;
  /** No leader now (its brokers down): start, end and lag unknown. */
  offline: boolean;
}

/** Partitions of one topic. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

/** A member of the group. */
export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  /** What it is assigned now (classic: as the group leader's assignor decided). */
  assignment: TopicPartitions[];
  /** Consumer protocol: the member's epoch, its static instance id, rack, subscription and target assignment. */
  memberEpoch?: number;
  instanceId?: string | null;
  rackId?: string | null;
  subscribedTopics?: string[];
  subscribedTopicRegex?: string | null;
  targetAssignment?: TopicPartitions[];
}

/** The group. */
export interface GroupDetail {
  groupId: string;
  /** `classic` (JoinGroup/SyncGroup) or `consumer` (KIP-848, epochs and server-side assignment). */
  type: "classic" | "consumer";
  state: string;
  protocolType: string;
  /** Classic: the assignor the members agreed on; consumer: the broker's assignor. */
  protocol: string;
  /** Consumer protocol: the group's epoch and the epoch of its target assignment. */
  groupEpoch?: number;
  assignmentEpoch?: number;
  members: GroupMember[];
  offsets: GroupPartition[];
}

/** States in which a group has no member: its offsets may be reset and it may be deleted. */
export const INACTIVE_STATES = new Set(["Empty", "Dead"]);

const byTopic = (topics: AssignedTopic[]): TopicPartitions[] =>
  topics.map(({ topic, partitions }) => ({
    topic,
    partitions: [...partitions].sort((a, b) => a - b),
  }))
    .sort((a, b) => a.topic.localeCompare(b.topic));

/** A classic member's assignment, as the consumer protocol encodes it (empty if it cannot be read). */
function classicAssignment(bytes: Uint8Array | undefined): TopicPartitions[] {
  if (!bytes || bytes.byteLength === 0) return [];
  try {
    const decoded = AssignerProtocol.MemberAssignment.decode(bytes as never);
    return Object.entries(decoded?.assignment ?? {}).map(([topic, partitions]) => ({
      topic,
      partitions: [...partitions].sort((a, b) => a - b),
    })).sort((a, b) => a.topic.localeCompare(b.topic));
  } catch {
    return [];
  }
}

/** Options of `describeGroup`. */
export interface DescribeGroupOptions {
  /** KafkaJS's cluster: groups on the consumer protocol, and each partition's offsets. */
  cluster: KafkaCluster;
}

/** The group `groupId`; 404 when the broker does not know it. */
export async function describeGroup(
  admin: Admin,
  groupId: string,
  options: DescribeGroupOptions,
): Promise<GroupDetail> {
  const { groups } = await admin.describeGroups([groupId]);
  const classic = groups[0];
  const modern = classic?.state === "Dead" && classic.protocolType === ""
    ? await describeConsumerProtocolGroup(options.cluster, groupId)
    : undefined;
  const committed = await admin.fetchOffsets({ groupId });
  if (
    !modern &&
    (!classic || (classic.state === "Dead" && committed.every((t) => t.partitions.length === 0)))
  ) {
    throw new HttpError(404, `no consumer group ${groupId} on the broker`);
  }
  const offsets: GroupPartition[] = [];
  const topics = new Set(await admin.listTopics());
  for (const { topic, partitions } of committed) {
    const ranges = topics.has(topic) ? await partitionRanges(options.cluster, topic) : [];
    for (const p of partitions) {
      const range = ranges.find((e) => e.partition === p.partition);
      const value = Number(p.offset);
      const committedOffset = value >= 0 ? value : null;
      const known = range && !range.offline ? range : undefined;
      offsets.push({
        topic,
        partition: p.partition,
        committed: committedOffset,
        start: known?.start ?? 0,
        end: known?.end ?? 0,
        lag: committedOffset === null || !known ? null : Math.max(0, known.end - committedOffset),
        offline: range?.offline ?? false,
      });
    }
  }
  offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  if (modern) {
    return {
      groupId,
      type: "consumer",
      state: modern.groupState,
      protocolType: "consumer",
      protocol: modern.assignorName,
      groupEpoch: modern.groupEpoch,
      assignmentEpoch: modern.assignmentEpoch,
      members: modern.members.map((m) => ({
        memberId: m.memberId,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: byTopic(m.assignment),
        memberEpoch: m.memberEpoch,
        instanceId: m.instanceId,
        rackId: m.rackId,
        subscribedTopics: [...m.subscribedTopicNames].sort(),
        subscribedTopicRegex: m.subscribedTopicRegex || null,
        targetAssignment: byTopic(m.targetAssignment),
      })),
      offsets,
    };
  }
  return {
    groupId,
    type: "classic",
    state: classic.state,
    protocolType: classic.protocolType,
    protocol: classic.protocol,
    members: classic.members.map((m) => ({
      memberId: m.memberId,
      clientId: m.clientId,
      host: m.clientHost,
      assignment: classicAssignment(m.memberAssignment),
    })),
    offsets,
  };
}

/** A group in the list. */
export interface GroupSummary {
  groupId: string;
  type: "classic" | "consumer";
  protocolType: string;
  state: string;
  members: number;
}

/**
 * Every group the broker knows, by name, with its type, state and member
 * count (groups on the consumer protocol asked again through `cluster`).
 */
export async function listGroupSummaries(
  admin: Admin,
  options: Partial<DescribeGroupOptions> = {},
): Promise<GroupSummary[]> {
  const { groups } = await admin.listGroups();
  const ids = groups.map((g) => g.groupId);
  const described: GroupDescription[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    described.push(...(await admin.describeGroups(ids.slice(i, i + 100))).groups);
  }
  const summaries = await Promise.all(groups.map(async (g): Promise<GroupSummary> => {
    const d = described.find((x) => x.groupId === g.groupId);
    const modern = d?.state === "Dead" && d.protocolType === "" && options.cluster
      ? await describeConsumerProtocolGroup(options.cluster, g.groupId).catch(() => undefined)
      : undefined;
    if (modern) {
      return {
        groupId: g.groupId,
        type: "consumer",
        protocolType: g.protocolType,
        state: modern.groupState,
        members: modern.members.length,
      };
    }
    return {
      groupId: g.groupId,
      type: "classic",
      protocolType: g.protocolType,
      state: d?.state ?? "Unknown",
      members: d?.members.length ?? 0,
    };
  }));
  return summaries.sort((a, b) => a.groupId.localeCompare(b.groupId));
}
