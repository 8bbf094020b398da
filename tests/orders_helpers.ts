/**
 * Helpers of the orders and payments tests: an isolated world (a random
 * topic prefix, its topics, and the real kafka-acls.txt rules of the
 * `orders` and `payments` principals copied onto the prefixed topics, so
 * the consumers run as their real principals), runners in random groups,
 * and readers of what landed on the topics and in the databases.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { Hono } from "hono";
import type { Order } from "../services/orders/order.ts";
import type { WebEnv } from "../shared/web/route_types.ts";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerDefinition } from "../shared/consumer/define.ts";
import type { ConsumerRunner, ConsumerRunnerOptions } from "../shared/consumer/runner.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../services/orders/events.ts";
import { CLIENTS, PRODUCTS } from "../services/orders/catalog_events.ts";
import { type ReadMessage, readRange } from "../shared/kafka/topic_reader.ts";
import { randomName } from "./helpers.ts";
import { type PrefixedWorld, prefixedWorld } from "./prefixed_world.ts";

/** One test's order topics, ACLs and data folder, plus the consumer variables for its prefix. */
export interface OrdersWorld extends PrefixedWorld {
  /** The variables giving a consumer module this world's prefix. */
  env: Record<string, string>;
}

/**
 * Creates a world: the prefixed order and catalogue topics and the
 * `orders` and `payments` ACLs on them.
 */
export async function ordersWorld(): Promise<OrdersWorld> {
  const world = await prefixedWorld({
    label: "t",
    topics: [ORDERS_CREATED, ORDERS_PAID, ORDERS_FAILED, CLIENTS, PRODUCTS],
    principals: ["orders", "payments"],
  });
  return { ...world, env: { FRESHET_TOPIC_PREFIX: world.prefix } };
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

/** An `orders.created` exactly as seed 001 shows it (one item at `total`), keyed by its order id. */
export function seedOrderMessage(orderId: string, total: number): { key: string; value: string } {
  return {
    key: orderId,
    value: JSON.stringify({
      orderId,
      clientId: "1",
      total,
      status: "PENDENTE",
      items: [{ productId: "1", quantity: 1, price: total }],
      itemsCount: 1,
      createdAt: "2024-01-15T10:30:00.000Z",
    }),
  };
}

/** Creates an order of `total` through the app's `/api/orders` (two items at half the total). */
export async function createOrder(app: Hono<WebEnv>, total: number): Promise<Order> {
  const res = await app.fetch(
    new Request("http://x/api/orders", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client: { id: "1", name: "João Silva" },
        items: [{ productId: "1", quantity: 2, price: total / 2 }],
        total,
      }),
    }),
  );
  assert.equal(res.status, 201, await res.clone().text());
  return await res.json();
}
