/**
 * Payments instances as real processes for the chaos tests (each as
 * `deno task consumer:payments` would run it, on the shared broker), and
 * the check that every order has exactly one committed decision and one
 * charge across them.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { consumerEntries } from "../../freshet.ts";
import { ORDERS_FAILED, ORDERS_PAID } from "../../services/orders/events.ts";
import { consumerRunFlags } from "../../shared/consumer/workers.ts";
import type { ReadMessage } from "../../shared/kafka/topic_reader.ts";
import { jsonOf, type OrdersWorld, readTopic } from "../orders_helpers.ts";

/** One payments instance: its consumer name, its process, and how to start it again. */
export interface PaymentsInstance {
  name: string;
  child: Deno.ChildProcess;
  spawn(): Deno.ChildProcess;
}

/** Starts payments instance `id` of `world` (session timeout 6 s). */
export function paymentsInstance(world: OrdersWorld, id: string): PaymentsInstance {
  const entry = consumerEntries({ PAYMENTS_INSTANCE: id }).find((e) => e.task === "payments")!;
  const spawn = () =>
    new Deno.Command("deno", {
      args: [
        "run",
        ...consumerRunFlags(entry, { dataDir: world.dataDir, brokers: ["127.0.0.1:9092"] }),
        new URL(entry.url).pathname,
      ],
      env: {
        ...world.env,
        PAYMENTS_INSTANCE: id,
        DATA_DIR: world.dataDir,
        LOG_LEVEL: "error",
        CONSUMER_SESSION_TIMEOUT_MS: "6000",
      },
      stdout: "null",
      stderr: "inherit",
    }).spawn();
  return { name: entry.name, spawn, child: spawn() };
}

/** Every committed decision (read_committed) of `world`. */
export async function decisions(world: OrdersWorld): Promise<ReadMessage[]> {
  return [...await readTopic(world, ORDERS_PAID), ...await readTopic(world, ORDERS_FAILED)];
}

/** Every payment row of an instance's database: order id → charge id. */
function payments(dataDir: string, name: string): { orderId: string; chargeId: string }[] {
  try {
    const db = new DatabaseSync(`${dataDir}/${name}/${name}.db`, { readOnly: true });
    try {
      return db.prepare("SELECT order_id AS orderId, charge_id AS chargeId FROM payments").all()
        .map((r) => ({ orderId: String(r.orderId), chargeId: String(r.chargeId) }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/** Asserts `orders` orders were each decided once and charged once across `instances`. */
export async function assertOncePerOrder(
  world: OrdersWorld,
  instances: { name: string }[],
  orders: number,
): Promise<void> {
  const perOrder = new Map<string, number>();
  for (const m of await decisions(world)) {
    const id = String(jsonOf(m).orderId);
    perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
  }
  assert.equal(perOrder.size, orders, "every order decided");
  assert.deepEqual([...perOrder].filter(([, n]) => n !== 1), [], "exactly one decision per order");
  const charges = new Map<string, Set<string>>();
  for (const { name } of instances) {
    for (const { orderId, chargeId } of payments(world.dataDir, name)) {
      charges.set(orderId, (charges.get(orderId) ?? new Set()).add(chargeId));
    }
  }
  assert.equal(charges.size, orders, "every order has its payment recorded");
  assert.deepEqual([...charges].filter(([, c]) => c.size !== 1), [], "one charge per order");
}
