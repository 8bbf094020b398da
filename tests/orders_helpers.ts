/**
 * Helpers of the orders and payments tests: an isolated world (a random
 * topic prefix, its topics, and the real kafka-acls.txt rules of the
 * `orders` and `payments` principals copied onto the prefixed topics, so
 * the consumers run as their real principals), runners in random groups,
 * and readers of what landed on the topics and in the databases.
 */
import { DatabaseSync } from "node:sqlite";
import type { Kafka } from "kafkajs";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerDefinition } from "../shared/consumer/define.ts";
import type { ConsumerRunner, ConsumerRunnerOptions } from "../shared/consumer/runner.ts";
import { withAdmin } from "../shared/kafka.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../shared/orders/events.ts";
import {
  type AclBinding,
  createBindings,
  DEFAULT_ACLS_FILE,
  deleteBindings,
  readAclsFile,
} from "../shared/provision/mod.ts";
import { type ReadMessage, readRange } from "../shared/topic_reader.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";

/** One test's topics, ACLs and data folder. */
export interface OrdersWorld {
  kafka: Kafka;
  /** `FRESHET_TOPIC_PREFIX` of this world, e.g. `t-1a2b3c4d5e6f.` */
  prefix: string;
  /** The variables giving a consumer module this world's prefix. */
  env: Record<string, string>;
  dataDir: string;
  /** `base` under this world's prefix. */
  topic(base: string): string;
  /** Deletes the ACL bindings, the topics and the data folder. */
  close(): Promise<void>;
}

/** Bindings of kafka-acls.txt for `orders` and `payments` on topics, moved under `prefix`. */
async function prefixedBindings(prefix: string): Promise<AclBinding[]> {
  const file = await readAclsFile(DEFAULT_ACLS_FILE);
  return file
    .filter((b) => ["orders", "payments"].includes(b.principal) && b.resourceType === "topic")
    .map(({ line: _line, ...b }) => ({ ...b, resourceName: `${prefix}${b.resourceName}` }));
}

/** Creates a world: prefixed topics (3 partitions, DLQs 1) and the principals' ACLs on them. */
export async function ordersWorld(): Promise<OrdersWorld> {
  const kafka = adminKafka();
  const prefix = `${randomName("t")}.`;
  const topic = (base: string) => `${prefix}${base}`;
  const main = [ORDERS_CREATED, ORDERS_PAID, ORDERS_FAILED];
  const dropTopics = await createTopics(kafka, [
    ...main.map((t) => ({ topic: topic(t), numPartitions: 3 })),
    ...main.map((t) => ({ topic: topic(`${t}.dlq`) })),
  ]);
  const bindings = await prefixedBindings(prefix);
  await withAdmin(kafka, (admin) => createBindings(admin, bindings));
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-orders-" });
  return {
    kafka,
    prefix,
    env: { FRESHET_TOPIC_PREFIX: prefix },
    dataDir,
    topic,
    async close() {
      await withAdmin(kafka, (admin) => deleteBindings(admin, bindings));
      await dropTopics();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/**
 * Starts `definition` in a random group under its principal's prefix
 * (`<principal>-test-…`), so no test joins the group of a running server.
 */
export async function startRunner(
  world: OrdersWorld,
  definition: ConsumerDefinition,
  options: Partial<ConsumerRunnerOptions> & { groupId?: string } = {},
): Promise<ConsumerRunner> {
  const { groupId, ...rest } = options;
  const runner = createRunner(
    { ...definition, groupId: groupId ?? randomName(`${definition.principal}-test`) },
    { dataDir: world.dataDir, mode: "process", sessionTimeoutMs: 6_000, ...rest },
  );
  await runner.start();
  return runner;
}

/** A read-only look at a consumer's database, as an operator would open it. */
export function withDb<T>(world: OrdersWorld, name: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(`${world.dataDir}/${name}/${name}.db`, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every message of the world's topic `base`, in partition then offset order. */
export async function readTopic(world: OrdersWorld, base: string): Promise<ReadMessage[]> {
  const { messages } = await readRange(world.kafka, {
    groupId: randomName("reader"),
    topics: [world.topic(base)],
    from: "earliest",
  });
  return messages.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** The JSON value of a message. */
export function jsonOf(message: ReadMessage): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(message.value!));
}
