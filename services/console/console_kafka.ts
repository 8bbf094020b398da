/**
 * The console's Kafka clients, as its own principal `console` (never a
 * super user; what it may do is in kafka-acls.txt): an admin client, a
 * producer for produce and redrive, and KafkaJS's cluster object for the
 * requests the admin lacks (kafka_cluster.ts). Each connects on first use
 * and is shared by every request; `close()` (at server shutdown)
 * disconnects them. Routes reach them as `ctx.services.console`.
 *
 * A KafkaJS client remembers every topic it touched and refreshes their
 * metadata on later calls; once someone else deletes one of them, every
 * call fails with UNKNOWN_TOPIC_OR_PARTITION. So the admin and producer
 * handed out here replace their client and retry when a call fails that
 * way (a produce refused that way appended nothing); the admin also while
 * a partition's leader moves.
 */
import type { Admin, Kafka, Producer } from "kafkajs";
import { createIdempotentProducer, createKafka } from "../../shared/kafka/client.ts";
import { isLeaderMoving, isMissingTopic, kafkaErrorType } from "../../shared/kafka/errors.ts";
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
  /** Disconnects whatever was connected. */
  close(): Promise<void>;
}

type Connectable = { connect(): Promise<void>; disconnect(): Promise<void> };

function lazy<T extends Connectable>(make: () => T) {
  let value: Promise<T> | undefined;
  return {
    get(): Promise<T> {
      value ??= (async () => {
        const client = make();
        await client.connect();
        return client;
      })().catch((error) => {
        value = undefined;
        throw error;
      });
      return value;
    },
    async close(): Promise<void> {
      const v = value;
      value = undefined;
      await v?.then((c) => c.disconnect(), () => {});
    },
  };
}

/** When a failed call is asked again on a new client, and how many times. */
interface Recovery {
  /** Whether `error`, from call number `attempt` (1-based), is worth a new client and another call. */
  retryOn(error: unknown, attempt: number): boolean;
  /** Wait before the n-th retry (1-based), in ms. */
  backoffMs(retry: number): number;
}

/**
 * A stand-in for the client `get()` gives whose every method, failing in a
 * way `recovery.retryOn` accepts, is asked again on a new client
 * (`reset()`).
 */
export function recovering<T extends object>(
  get: () => Promise<T>,
  reset: () => Promise<void>,
  recovery: Recovery,
): T {
  return new Proxy({} as T, {
    get(_target, property) {
      if (property === "then") return undefined; // not a promise
      return async (...args: unknown[]) => {
        const call = async () => {
          const client = await get();
          const method = (client as Record<string | symbol, unknown>)[property];
          if (typeof method !== "function") return method;
          return await method.apply(client, args);
        };
        for (let attempt = 1;; attempt++) {
          try {
            return await call();
          } catch (error) {
            if (!recovery.retryOn(error, attempt)) throw error;
            await reset();
            await new Promise((resolve) => setTimeout(resolve, recovery.backoffMs(attempt)));
          }
        }
      };
    },
  });
}

/**
 * The admin asks again on a deleted topic (the client's stale list) and
 * while a leader moves: a topic just created whose leader is not serving
 * yet, or an election after a broker loss. KafkaJS's admin gives up on the
 * first NOT_LEADER answer and keeps its stale metadata, hence the new
 * client. Six calls over about 3 s cover a new topic's first moments and
 * most elections; a missing topic is asked about once more only (it may
 * really be gone: a 404 should not wait).
 */
const ADMIN_RECOVERY: Recovery = {
  retryOn: (error, attempt) =>
    (isMissingTopic(error) && attempt === 1) || (isLeaderMoving(error) && attempt < 6),
  backoffMs: (retry) => 100 * 2 ** (retry - 1),
};

/** A produce refused for a deleted topic appended nothing: once more, on a new client. */
const PRODUCER_RECOVERY: Recovery = {
  retryOn: (error, attempt) =>
    kafkaErrorType(error) === "UNKNOWN_TOPIC_OR_PARTITION" && attempt === 1,
  backoffMs: () => 0,
};

/** Lazily connected clients for `config` (the `console` principal's settings). */
export function createConsoleKafka(config: KafkaConfig): ConsoleKafka {
  const client = createKafka(config, { clientSuffix: "console", retries: 3 });
  const admin = lazy(() => client.admin());
  const producer = lazy(() => createIdempotentProducer(client, { retries: 5 }));
  const cluster = lazy(() => createCluster(client));
  const recoveringAdmin = recovering(admin.get, admin.close, ADMIN_RECOVERY);
  const recoveringProducer = recovering(producer.get, producer.close, PRODUCER_RECOVERY);
  return {
    config,
    client,
    admin: () => admin.get().then(() => recoveringAdmin),
    producer: () => producer.get().then(() => recoveringProducer),
    cluster: cluster.get,
    async close() {
      await Promise.all([admin.close(), producer.close(), cluster.close()]);
    },
  };
}
