/**
 * Two payments instances (a processor: one group, Kafka transactions)
 * SIGKILLed alternately while orders arrive: every order gets exactly one
 * committed decision event, and one payment (every row recorded for an
 * order carries the same charge: the gateway's idempotency key).
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { consumerEntries } from "../../freshet.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../../services/orders/events.ts";
import { consumerRunFlags } from "../../shared/consumer/workers.ts";
import { produce, waitFor } from "../helpers.ts";
import { jsonOf, ordersWorld, readTopic, seedOrderMessage } from "../orders_helpers.ts";
import { size } from "./chaos.ts";

const ORDERS = size(1_000, 10_000);
const KILLS = size(4, 10);

/** Every payment row of an instance's database: order id → charge ids. */
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

Deno.test(`chaos - two payments instances SIGKILLed ${KILLS} times during ${ORDERS} orders: one decision and one payment each`, async () => {
  const world = await ordersWorld();
  const instances = ["a", "b"].map((id) => {
    const entry = consumerEntries({ PAYMENTS_INSTANCE: id }).find((e) => e.task === "payments")!;
    const env = {
      ...world.env,
      PAYMENTS_INSTANCE: id,
      DATA_DIR: world.dataDir,
      LOG_LEVEL: "error",
      CONSUMER_SESSION_TIMEOUT_MS: "6000",
    };
    const spawn = () =>
      new Deno.Command("deno", {
        args: [
          "run",
          ...consumerRunFlags(entry, { dataDir: world.dataDir, brokers: ["127.0.0.1:9092"] }),
          new URL(entry.url).pathname,
        ],
        env,
        stdout: "null",
        stderr: "inherit",
      }).spawn();
    return { name: entry.name, spawn, child: spawn() };
  });
  const decisions = async () => [
    ...await readTopic(world, ORDERS_PAID),
    ...await readTopic(world, ORDERS_FAILED),
  ];
  try {
    const began = Date.now();
    const ids = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
    const chunk = Math.ceil(ORDERS / (KILLS + 1));
    let decided = 0;
    for (let k = 0; k <= KILLS; k++) {
      await produce(
        world.kafka,
        world.topic(ORDERS_CREATED),
        ids.slice(k * chunk, (k + 1) * chunk).map((id) => seedOrderMessage(id, 45.5)),
      );
      if (k === KILLS) break;
      // Kill mid-stream, once the instances have decided more since the last kill.
      const target = decided + 1;
      await waitFor(
        "decisions to progress",
        async () => (decided = (await decisions()).length) >= target,
        120_000,
      );
      const victim = instances[k % 2];
      victim.child.kill("SIGKILL");
      await victim.child.status;
      victim.child = victim.spawn();
    }
    await waitFor(`${ORDERS} decisions`, async () => (await decisions()).length >= ORDERS, 240_000);
    console.log(
      `CHAOS payments: ${ORDERS} orders decided in ${Date.now() - began} ms with ${KILLS} kills`,
    );
    await new Promise((r) => setTimeout(r, 1_000)); // would a second decision still commit?

    const perOrder = new Map<string, number>();
    for (const m of await decisions()) {
      const id = String(jsonOf(m).orderId);
      perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
    }
    assert.equal(perOrder.size, ORDERS, "every order decided");
    assert.deepEqual(
      [...perOrder].filter(([, n]) => n !== 1),
      [],
      "exactly one decision per order",
    );

    const charges = new Map<string, Set<string>>();
    for (const { name } of instances) {
      for (const { orderId, chargeId } of payments(world.dataDir, name)) {
        charges.set(orderId, (charges.get(orderId) ?? new Set()).add(chargeId));
      }
    }
    assert.equal(charges.size, ORDERS, "every order has its payment recorded");
    assert.deepEqual([...charges].filter(([, c]) => c.size !== 1), [], "one charge per order");
  } finally {
    for (const instance of instances) {
      try {
        instance.child.kill("SIGTERM");
      } catch { /* gone */ }
      await instance.child.status;
    }
    await world.close();
  }
});
