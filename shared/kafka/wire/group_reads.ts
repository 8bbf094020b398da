/**
 * Many groups at once over a cluster object's broker connections: every
 * group of every broker (ListGroups to each), and their descriptions
 * (DescribeGroups to each coordinator for its groups, in chunks, the
 * coordinators found in one request by offset_fetch.ts). KafkaJS's admin
 * asks FindCoordinator once per group before each DescribeGroups, and its
 * `listGroups` first refreshes the metadata of every topic it was ever
 * asked about, which fails while one of their partitions is offline.
 */
import type { GroupDescription, GroupOverview } from "kafkajs";
import { mapLimit } from "../../core/map_limit.ts";
import { brokerById, type KafkaCluster } from "./kafka_cluster.ts";
import {
  type CoordinatorOf,
  findCoordinators,
  groupsByCoordinator,
  isCoordinatorMoving,
} from "./offset_fetch.ts";

/** Groups per DescribeGroups request. */
const DESCRIBE_CHUNK = 100;
/** DescribeGroups requests in flight at once. */
const CONCURRENCY = 4;

/** One group's description, or why it could not be read. */
export type DescribedGroup = { description: GroupDescription } | { error: unknown };

/**
 * The description of every group in `coordinators`, each asked of its
 * coordinator in chunks. A chunk that fails (KafkaJS fails a whole answer
 * when one of its groups has an error) fails its groups only; a group
 * without a coordinator has that error. Groups whose coordinator moved
 * meanwhile (NOT_COORDINATOR, still loading) are looked up and asked once more.
 */
export async function describeGroupsAt(
  cluster: KafkaCluster,
  coordinators: CoordinatorOf,
): Promise<Map<string, DescribedGroup>> {
  const described = await describeGroupsOnce(cluster, coordinators);
  const moved = [...described].filter(([, d]) => "error" in d && isCoordinatorMoving(d.error))
    .map(([id]) => id);
  if (moved.length === 0) return described;
  const again = await describeGroupsOnce(cluster, await findCoordinators(cluster, moved));
  for (const [id, d] of again) described.set(id, d);
  return described;
}

async function describeGroupsOnce(
  cluster: KafkaCluster,
  coordinators: CoordinatorOf,
): Promise<Map<string, DescribedGroup>> {
  const described = new Map<string, DescribedGroup>();
  for (const [groupId, c] of coordinators) {
    if ("error" in c) described.set(groupId, { error: c.error });
  }
  const chunks: { nodeId: number; groupIds: string[] }[] = [];
  for (const [nodeId, groupIds] of groupsByCoordinator(coordinators)) {
    for (let i = 0; i < groupIds.length; i += DESCRIBE_CHUNK) {
      chunks.push({ nodeId, groupIds: groupIds.slice(i, i + DESCRIBE_CHUNK) });
    }
  }
  await mapLimit(chunks, CONCURRENCY, async ({ nodeId, groupIds }) => {
    try {
      const broker = await brokerById(cluster, nodeId);
      const { groups } = await broker.describeGroups({ groupIds });
      for (const description of groups) described.set(description.groupId, { description });
    } catch (error) {
      for (const groupId of groupIds) described.set(groupId, { error });
    }
  });
  for (const groupId of coordinators.keys()) {
    if (!described.has(groupId)) described.set(groupId, { error: new Error("not in the answer") });
  }
  return described;
}

/**
 * Every group the brokers `nodeIds` coordinate (as a Metadata read lists
 * the brokers that are up), each broker asked once.
 */
export async function listGroupsOf(
  cluster: KafkaCluster,
  nodeIds: number[],
): Promise<GroupOverview[]> {
  const answers = await Promise.all(
    nodeIds.map(async (nodeId) => (await (await brokerById(cluster, nodeId)).listGroups()).groups),
  );
  return answers.flat();
}
