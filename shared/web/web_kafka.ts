/**
 * Kafka as the web server's principal (`web`): one client, a producer and an
 * admin connected on first use and shared by every route, closed when the
 * server shuts down.
 */
import type { Admin, Kafka, Producer } from "kafkajs";
import { createIdempotentProducer, createKafka } from "../kafka/client.ts";
import type { KafkaConfig } from "../kafka/config.ts";
import { RenewingClient } from "../kafka/renewing_client.ts";

/** The web server's Kafka clients. */
export interface WebKafka {
  config: KafkaConfig;
  client: Kafka;
  /** The idempotent producer (acks=all), connected on first use. */
  producer(): Promise<Producer>;
  /** The admin client, connected on first use. */
  admin(): Promise<Admin>;
  /** Disconnects whatever was connected. */
  close(): Promise<void>;
}

/** Lazily connected clients for `config`. */
export function createWebKafka(config: KafkaConfig): WebKafka {
  const client = createKafka(config, { clientSuffix: "web" });
  const producer = new RenewingClient(() => createIdempotentProducer(client));
  const admin = new RenewingClient(() => client.admin());
  return {
    config,
    client,
    producer: () => producer.connected(),
    admin: () => admin.connected(),
    async close() {
      await Promise.allSettled([producer.close(), admin.close()]);
    },
  };
}
