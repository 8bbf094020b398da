/**
 * Groups on Kafka's new consumer protocol (KIP-848, `group.protocol=consumer`):
 * DescribeGroups (KafkaJS's `describeGroups`) answers them as `Dead` with no
 * member, so they are asked again with ConsumerGroupDescribe (API 69,
 * shared/kafka/wire/consumer_group_describe.ts) at their coordinator.
 */
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import {
  consumerGroupDescribeRequest,
  type ConsumerGroupDescription,
} from "../../../shared/kafka/wire/consumer_group_describe.ts";

/** GROUP_ID_NOT_FOUND: not a consumer-protocol group (a classic one, or none). */
const GROUP_ID_NOT_FOUND = 69;
const ERROR_NAMES: Record<number, string> = {
  15: "COORDINATOR_NOT_AVAILABLE",
  16: "NOT_COORDINATOR",
  30: "GROUP_AUTHORIZATION_FAILED",
  35: "UNSUPPORTED_VERSION",
};

/** The broker refused to describe a consumer-protocol group. */
export class ConsumerGroupDescribeError extends Error {
  readonly type: string;
  constructor(readonly errorCode: number, groupId: string, message: string | null) {
    const type = ERROR_NAMES[errorCode] ?? `error ${errorCode}`;
    super(`Kafka refused to describe group ${groupId}: ${type}${message ? ` (${message})` : ""}`);
    this.name = "ConsumerGroupDescribeError";
    this.type = type;
  }
}

/**
 * `groupId` as a consumer-protocol group, or undefined when it is not one
 * (a classic group, no group, or a broker without KIP-848).
 */
export async function describeConsumerProtocolGroup(
  cluster: KafkaCluster,
  groupId: string,
): Promise<ConsumerGroupDescription | undefined> {
  let answer: ConsumerGroupDescription[];
  try {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    answer = await coordinator.connectionPool.send(consumerGroupDescribeRequest([groupId]));
  } catch (error) {
    // A broker before Kafka 3.7 does not know API 69 (it closes the connection).
    if ((error as { name?: string })?.name === "KafkaJSConnectionClosedError") return undefined;
    throw error;
  }
  const group = answer.find((g) => g.groupId === groupId);
  if (!group || group.errorCode === GROUP_ID_NOT_FOUND || group.errorCode === 35) return undefined;
  if (group.errorCode !== 0) {
    throw new ConsumerGroupDescribeError(group.errorCode, groupId, group.errorMessage);
  }
  return group;
}
