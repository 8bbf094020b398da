/**
 * Kafka as the web server's principal (`web`): one client, a producer and an
 * admin connected on first use and shared by every route, closed when the
 * server shuts down.
 */
import type { Admin, Kafka, Producer } from "kafkajs";
import { createIdempotentProducer, createKafka } from "../kafka/client.ts";
import type { KafkaConfig } from "../kafka/config.ts";

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
  let producer: Promise<Producer> | undefined;
  let admin: Promise<Admin> | undefined;
  const connect = <T extends { connect(): Promise<void> }>(make: () => T): Promise<T> => {
    const value = make();
    return value.connect().then(() => value);
  };
  return {
    config,
    client,
    producer() {
      producer ??= connect(() => createIdempotentProducer(client)).catch((error) => {
        producer = undefined;
        throw error;
      });
      return producer;
    },
    admin() {
      admin ??= connect(() => client.admin()).catch((error) => {
        admin = undefined;
        throw error;
      });
      return admin;
    },
    async close() {
      const [p, a] = [producer, admin];
      producer = admin = undefined;
      await Promise.allSettled([
        p?.then((x) => x.disconnect()),
        a?.then((x) => x.disconnect()),
      ]);
    },
  };
}
