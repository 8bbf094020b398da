/**
 * The console's Kafka clients, as its own principal `console` (never a
 * super user; what it may do is in kafka-acls.txt): an admin client, a
 * producer for produce and redrive, and KafkaJS's cluster object for the
 * requests the admin lacks (kafka_cluster.ts). Each connects on first use
 * and is shared by every request; `close()` (at server shutdown)
 * disconnects them. Routes reach them through the console's web part (web/console_part.ts).
 *
 * The admin and producer handed out here are renewed after stale metadata
 * (shared/kafka/admin_session.ts): the admin while a partition's leader
 * moves and once for a deleted topic, the producer once for a deleted
 * topic (a produce refused that way appended nothing).
 */
import type { Admin, Kafka, Producer } from "kafkajs";
import { createIdempotentProducer, createKafka } from "../../shared/kafka/client.ts";
import {
  AdminSession,
  RENEW_ON_MISSING_TOPIC,
  RENEW_WHILE_LEADER_MOVES,
} from "../../shared/kafka/admin_session.ts";
import { RenewingClient } from "../../shared/kafka/renewing_client.ts";
import type { KafkaConfig } from "../../shared/kafka/config.ts";
import { createCluster, type KafkaCluster } from "../../shared/kafka/wire/kafka_cluster.ts";

/** Kafka principal of the console. */
export const CONSOLE_PRINCIPAL = "console";

/** The console's Kafka clients. */
export interface ConsoleKafka {
  config: KafkaConfig;
  client: Kafka;
  /** The admin client, connected on first use. */
  admin(): Promise<Admin>;
  /**
   * The idempotent producer (acks=all), connected on first use. A send is
   * retried a few times, then fails with the broker's error: a console user
   * waits for an answer.
   */
  producer(): Promise<Producer>;
  /** KafkaJS's cluster object, connected on first use (see kafka_cluster.ts). */
  cluster(): Promise<KafkaCluster>;
  /**
   * A cluster object for broker-level requests only (the cluster overview):
   * nothing asks it for a topic's metadata, so KafkaJS's metadata refresh —
   * which fails a whole answer when one of its partitions has no leader —
   * lists brokers alone on it and holds while a partition is offline.
   */
  brokerCluster(): Promise<KafkaCluster>;
  /** Disconnects whatever was connected. */
  close(): Promise<void>;
}

/** Lazily connected clients for `config` (the `console` principal's settings). */
export function createConsoleKafka(config: KafkaConfig): ConsoleKafka {
  const client = createKafka(config, { clientSuffix: "console", retries: 3 });
  const admin = new AdminSession(client, RENEW_WHILE_LEADER_MOVES);
  const producer = new RenewingClient(
    () => createIdempotentProducer(client, { retries: 5 }),
    RENEW_ON_MISSING_TOPIC,
  );
  const cluster = new RenewingClient(() => createCluster(client));
  const brokerCluster = new RenewingClient(() => createCluster(client));
  const [adminStandIn, producerStandIn] = [admin.standIn(), producer.standIn()];
  return {
    config,
    client,
    admin: () => admin.connected().then(() => adminStandIn),
    producer: () => producer.connected().then(() => producerStandIn),
    cluster: () => cluster.connected(),
    brokerCluster: () => brokerCluster.connected(),
    async close() {
      await Promise.all([admin.close(), producer.close(), cluster.close(), brokerCluster.close()]);
    },
  };
}
