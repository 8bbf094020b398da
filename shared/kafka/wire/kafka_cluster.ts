/**
 * KafkaJS's cluster object, for the requests its admin client lacks:
 * DescribeUserScramCredentials (the SCRAM users known to the broker), a
 * plain OffsetCommit for an empty group (KafkaJS's `setOffsets` joins the
 * group with a throw-away consumer instead), and the message browser's
 * Fetch and ListOffsets without a consumer group (messages/log_client.ts). KafkaJS keeps the cluster
 * factory under a private symbol; it is looked up by its description and
 * checked, so an upgrade that moves it fails loudly here, not elsewhere.
 */
import type { Admin, Kafka } from "kafkajs";

/** A broker connection as KafkaJS's cluster hands it out (the parts used here). */
export interface ClusterBroker {
  nodeId: number;
  /** The API versions this broker supports, by API key (from its ApiVersions answer at connect). */
  versions?: Record<number, { minVersion: number; maxVersion: number }>;
  connectionPool: {
    send<T>(
      request: { request: ProtocolRequest; response: ProtocolResponse<T>; requestTimeout?: number },
    ): Promise<T>;
  };
  listOffsets(request: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<
    { responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }
  >;
  /** DescribeConfigs to this broker (the admin's answer, without its metadata refresh). */
  describeConfigs: Admin["describeConfigs"];
  /** OffsetFetch of one group (KafkaJS's version; it throws on a group-level error). */
  offsetFetch(request: { groupId: string; topics: null }): Promise<{
    responses: {
      topic: string;
      partitions: { partition: number; offset: string; errorCode: number }[];
    }[];
  }>;
  /** DeleteRecords of partitions this broker leads (KafkaJS's; it throws on a partition's error). */
  deleteRecords(request: {
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<unknown>;
  /** ListGroups: the groups this broker coordinates. */
  listGroups(): Promise<{ groups: { groupId: string; protocolType: string }[] }>;
  /** DescribeGroups of groups this broker coordinates (KafkaJS's decoding). */
  describeGroups(request: { groupIds: string[] }): ReturnType<Admin["describeGroups"]>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
  }): Promise<{
    responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[];
  }>;
}

/** A request in KafkaJS's protocol layer. */
export interface ProtocolRequest {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  encode(): Promise<unknown>;
}

/** A response decoder in KafkaJS's protocol layer. */
export interface ProtocolResponse<T> {
  decode(data: Uint8Array): Promise<T>;
  parse(data: T): Promise<T>;
}

/** KafkaJS's cluster (the parts used here). */
export interface KafkaCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findControllerBroker(): Promise<ClusterBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<ClusterBroker>;
  metadata(options: { topics: string[] }): Promise<{
    topicMetadata: {
      topic: string;
      partitionMetadata: { partitionId: number; leader: number }[];
    }[];
  }>;
  findBroker(options: { nodeId: string }): Promise<ClusterBroker>;
}

type ClusterFactory = (options: Record<string, unknown>) => KafkaCluster;

/** A new, unconnected cluster object of `kafka`. */
export function createCluster(kafka: Kafka): KafkaCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) =>
    s.description === "private:Kafka:createCluster"
  );
  const factory = symbol === undefined
    ? undefined
    : (kafka as unknown as Record<symbol, ClusterFactory>)[symbol];
  if (typeof factory !== "function") {
    throw new Error("this KafkaJS version has no cluster factory (expected KafkaJS 2.2.x)");
  }
  return factory({ allowAutoTopicCreation: false });
}

/**
 * A broker of a connected `cluster` to ask: one already connected, else
 * the first known one that connects, else a bootstrap broker — never
 * through KafkaJS's metadata refresh, which fails a whole answer while
 * one of its partitions has no leader.
 */
export async function anyConnectedBroker(cluster: KafkaCluster): Promise<ClusterBroker> {
  const pool = (cluster as unknown as {
    brokerPool?: { findConnectedBroker?: () => Promise<ClusterBroker> };
  }).brokerPool;
  if (typeof pool?.findConnectedBroker !== "function") {
    throw new Error("this KafkaJS version has no broker pool (expected KafkaJS 2.2.x)");
  }
  return await pool.findConnectedBroker();
}

/**
 * The broker `nodeId` of a connected `cluster`, connected. KafkaJS knows
 * the brokers its last metadata refresh listed: one it does not know yet
 * (a cluster object just connected, a broker added since) is looked up
 * again after a refresh.
 */
export async function brokerById(cluster: KafkaCluster, nodeId: number): Promise<ClusterBroker> {
  try {
    return await cluster.findBroker({ nodeId: String(nodeId) });
  } catch (error) {
    if ((error as { name?: string } | null)?.name !== "KafkaJSBrokerNotFound") throw error;
    await cluster.refreshMetadata();
    return await cluster.findBroker({ nodeId: String(nodeId) });
  }
}
