/**
 * KafkaJS's cluster object (brokers, metadata, authenticated connections),
 * taken from a `Kafka` client. KafkaJS offers no consumer without a group
 * (`assign()`), and joining a group costs seconds (join, sync, the
 * broker's initial rebalance delay) — too slow for a page. The console
 * therefore sends its own Fetch and ListOffsets requests on KafkaJS's
 * connections. The factory is private in KafkaJS, found by its symbol's
 * description; kafkajs is pinned (deno.json), and a test fails if an
 * upgrade moves it.
 */
import type { Kafka } from "kafkajs";
import type { ProtocolRequest } from "./fetch_request.ts";

/** A partition's leader, as the metadata says. */
export interface PartitionMetadata {
  partitionId: number;
  leader: number;
}

/** What the console uses of a KafkaJS broker. */
export interface WireBroker {
  connectionPool: { send<T>(request: ProtocolRequest<T>): Promise<T> };
  listOffsets(request: {
    isolationLevel: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<
    { responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }
  >;
}

/** What the console uses of a KafkaJS cluster. */
export interface WireCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  metadata(options: { topics: string[] }): Promise<{
    topicMetadata: { topic: string; partitionMetadata: PartitionMetadata[] }[];
  }>;
  findBroker(options: { nodeId: string }): Promise<WireBroker>;
}

const CREATE_CLUSTER = "private:Kafka:createCluster";

/** A new, unconnected cluster with the client's settings (brokers, SASL, TLS, retries). */
export function createWireCluster(kafka: Kafka): WireCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
  if (!symbol) {
    throw new Error(`KafkaJS no longer has ${CREATE_CLUSTER}: the console's reader needs updating`);
  }
  const create = (kafka as unknown as Record<symbol, (options: object) => WireCluster>)[symbol];
  return create({ allowAutoTopicCreation: false, metadataMaxAge: 300_000 });
}
