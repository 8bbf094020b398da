/**
 * Finding 9 of issue 17: a payments instance frozen (SIGSTOP) past its
 * session, while orders keep coming, wakes up as a zombie with batches it
 * fetched before: its commits are fenced by the instance that took its
 * partitions, and it must not initialise a producer again by itself (that
 * would fence the new owner back and commit from its stale position). Every
 * order gets exactly one committed decision and one charge.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { consumerEntries } from "../../consumers/mod.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../../services/orders/events.ts";
import { consumerRunFlags } from "../../shared/consumer/workers.ts";
import { produce, waitFor } from "../helpers.ts";
import { jsonOf, ordersWorld, readTopic, seedOrderMessage } from "../orders_helpers.ts";
import { size } from "./chaos.ts";

const ORDERS = size(600, 3_000);
const FREEZES = size(2, 6);

function charges(dataDir: string, name: string): { orderId: string; chargeId: string }[] {
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

Deno.test(`chaos - a payments instance frozen past its session ${FREEZES} times during ${ORDERS} orders: one decision and one charge each`, async () => {
  const world = await ordersWorld();
  const instances = ["a", "b"].map((id) => {
    const entry = consumerEntries({ PAYMENTS_INSTANCE: id }).find((e) => e.task === "payments")!;
    const child = new Deno.Command("deno", {
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
    return { name: entry.name, child };
  });
  const decisions = async () => [
    ...await readTopic(world, ORDERS_PAID),
    ...await readTopic(world, ORDERS_FAILED),
  ];
  let producing = true;
  const ids = Array.from({ length: ORDERS }, (_, i) => `order-${i}`);
  const load = (async () => {
    for (let i = 0; i < ids.length && producing; i += 10) {
      await produce(
        world.kafka,
        world.topic(ORDERS_CREATED),
        ids.slice(i, i + 10).map((id) => seedOrderMessage(id, 45.5)),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    for (let k = 0; k < FREEZES; k++) {
      const target = (k + 1) * Math.floor(ORDERS / (FREEZES + 2));
      await waitFor(
        "decisions to progress",
        async () => (await decisions()).length >= target,
        120_000,
      );
      const zombie = instances[k % 2];
      zombie.child.kill("SIGSTOP");
      await new Promise((r) => setTimeout(r, 12_000)); // past its 6-s session: the other takes over
      zombie.child.kill("SIGCONT");
    }
    await load;
    await waitFor(`${ORDERS} decisions`, async () => (await decisions()).length >= ORDERS, 240_000);
    await new Promise((r) => setTimeout(r, 3_000)); // would a second decision still commit?
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
    const byOrder = new Map<string, Set<string>>();
    for (const { name } of instances) {
      for (const { orderId, chargeId } of charges(world.dataDir, name)) {
        byOrder.set(orderId, (byOrder.get(orderId) ?? new Set()).add(chargeId));
      }
    }
    assert.deepEqual([...byOrder].filter(([, c]) => c.size !== 1), [], "one charge per order");
  } finally {
    producing = false;
    await load.catch(() => {});
    for (const instance of instances) {
      try {
        instance.child.kill("SIGCONT");
        instance.child.kill("SIGTERM");
      } catch { /* gone */ }
      await instance.child.status;
    }
    await world.close();
  }
});
