/**
 * An idle system stays healthy after a transactional write (issue 17): one
 * order through the app, paid by the payments process in a Kafka
 * transaction, read by the orders process; then nothing. `orders.paid`
 * holds the decision and the transaction's commit marker (end offset 2),
 * and the orders group must be committed at 2, not stay at 1: the monitor
 * says OK, not STALL, and `/health` answers 200. The same for a tail of
 * aborted records (a view and a processor): nothing left to read is never
 * lag.
 */
import assert from "node:assert/strict";
import { ORDERS_PAID } from "../services/orders/events.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { GROUP_STATUSES } from "../services/monitor/group_status.ts";
import { createMonitor } from "../services/monitor/main.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { groupName } from "../shared/kafka/names.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import { ORDERS_GROUP } from "../services/orders/consumer.ts";
import type { Kafka } from "kafkajs";
import { Buffer } from "node:buffer";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import { ORDERS_CREATED } from "../services/orders/events.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { sinkConsumer } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { launch } from "./launched.ts";
import { FAST_MONITOR_ENV } from "./monitor_helpers.ts";
import { createOrder, ordersWorld, seedOrderMessage, startRunner } from "./orders_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { statusOf } from "./web_helpers.ts";

Deno.test("transaction markers - one paid order, then nothing: the orders group is committed to the end, OK and /health 200", async () => {
  const world = await ordersWorld();
  const group = groupName(world.env, ORDERS_GROUP);
  const env = {
    ...world.env,
    DATA_DIR: world.dataDir,
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
  };
  const orders = await launch("consumer:orders", { env });
  const payments = await launch("consumer:payments", { env });
  const statuses = new ConsumerStore();
  const { app, shutdown } = await createWorldApp(world, { statuses });
  const monitor = createMonitor({ ...world.env, ...FAST_MONITOR_ENV }, {
    dataDir: world.dataDir,
    mode: "process",
    noteIntervalMs: 200,
  });
  const paid = world.topic(ORDERS_PAID);
  try {
    await Promise.all([orders, payments].map((p) => p.waitForOutput(/consuming/, 60_000)));
    await monitor.start();
    const order = await createOrder(app, 4500);
    await waitFor("the order PAGO", async () => {
      const r = await app.fetch(new Request(`http://x/api/orders/${order.id}`));
      return (await r.json()).status === "PAGO";
    }, 60_000);

    const ends = await withAdmin(world.kafka, (admin) => admin.fetchTopicOffsets(paid));
    const written = ends.filter((p) => Number(p.high) > 0);
    assert.deepEqual(
      written.map((p) => Number(p.high)),
      [2],
      "one decision and its commit marker",
    );
    const committed = async () =>
      Number(
        (await withAdmin(world.kafka, (admin) =>
          admin.fetchOffsets({ groupId: group, topics: [paid] })))[0]
          .partitions.find((p) =>
            p.partition === written[0].partition
          )!.offset,
      );
    await waitFor(
      "the orders group committed past the marker",
      async () => (await committed()) === 2,
      20_000,
    )
      .catch(async (error) => {
        throw new Error(`${error.message}: committed ${await committed()}, end 2`);
      });

    // The monitor's window (5 s here) passes with the system idle.
    await new Promise((r) => setTimeout(r, 7_000));
    const db = openMonitorDatabase(world.dataDir);
    let status: string;
    try {
      status = GROUP_STATUSES[
        Number(db.prepare("SELECT status FROM group_state WHERE grp = ?").get(group)!.status)
      ];
    } finally {
      db.close();
    }
    assert.equal(status, "OK");
    statuses.update(statusOf({ name: "orders-service", groupId: group, lag: 0, partitionLag: {} }));
    const health = await app.fetch(new Request("http://127.0.0.1:8000/health"));
    assert.equal(health.status, 200, JSON.stringify(await health.json()));
  } finally {
    await monitor.stop();
    shutdown();
    const stopped = await Promise.all([orders.stop(), payments.stop()]);
    closeBus();
    await withAdmin(world.kafka, (admin) => admin.deleteGroups([group]).catch(() => {}));
    await world.close();
    assert.deepEqual(stopped.map((s) => s.code), [0, 0], orders.output() + payments.output());
  }
});

/** Writes `value` to `topic`'s partition 0 in a transaction that is then aborted. */
async function abortedWrite(kafka: Kafka, topic: string, value: string): Promise<void> {
  const producer = kafka.producer({
    transactionalId: randomName("aborted"),
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    await txn.send({ topic, messages: [{ value: Buffer.from(value), partition: 0 }] });
    await txn.abort();
  } finally {
    await producer.disconnect();
  }
}

/** The group's committed offset of partition 0 and the partition's end. */
async function committedAndEnd(kafka: Kafka, groupId: string, topic: string) {
  return await withAdmin(kafka, async (admin) => {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const ends = await admin.fetchTopicOffsets(topic);
    return {
      committed: Number(offsets.partitions.find((p) => p.partition === 0)!.offset),
      end: Number(ends.find((p) => p.partition === 0)!.high),
    };
  });
}

Deno.test("transaction markers - a tail of aborted records is committed past, by a view and by a processor", async (t) => {
  await t.step("a view", async () => {
    const kafka = adminKafka();
    const topic = randomName("markers");
    const dropTopics = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-markers-" });
    const groupId = randomName("g");
    const runner = createRunner(sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: groupId }), {
      dataDir,
      mode: "process",
      kafka,
    });
    try {
      await runner.start();
      await produce(kafka, topic, [{ value: JSON.stringify({ n: 1 }), partition: 0 }]);
      await waitFor("applied", () => runner.counters.processed === 1);
      await abortedWrite(kafka, topic, JSON.stringify({ n: 2 }));
      await waitFor("committed to the end", async () => {
        const { committed, end } = await committedAndEnd(kafka, groupId, topic);
        return end === 3 && committed === end;
      }, 15_000).catch(async (error) => {
        throw new Error(
          `${error.message}: ${JSON.stringify(await committedAndEnd(kafka, groupId, topic))}`,
        );
      });
      assert.equal(runner.counters.processed, 1, "the aborted record was not applied");
    } finally {
      await runner.stop();
      await dropTopics();
      await Deno.remove(dataDir, { recursive: true });
    }
  });

  await t.step("a processor (payments)", async () => {
    const world = await ordersWorld();
    const groupId = randomName("payments-test");
    const topic = world.topic(ORDERS_CREATED);
    const payments = await startRunner(world, paymentsConsumer.create(world.env), { groupId });
    try {
      await produce(world.kafka, topic, [{ ...seedOrderMessage("order-1", 45), partition: 0 }]);
      await waitFor("decided", () => payments.counters.processed === 1, 30_000);
      await abortedWrite(world.kafka, topic, seedOrderMessage("order-2", 45).value);
      await waitFor("committed to the end", async () => {
        const { committed, end } = await committedAndEnd(world.kafka, groupId, topic);
        return end === 3 && committed === end;
      }, 15_000).catch(async (error) => {
        throw new Error(
          `${error.message}: ${JSON.stringify(await committedAndEnd(world.kafka, groupId, topic))}`,
        );
      });
      assert.equal(payments.counters.processed, 1, "the aborted order was not decided");
    } finally {
      await payments.stop();
      await world.close();
    }
  });
});
