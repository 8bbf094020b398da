/**
 * Findings 3, 5 and 9 of issue 17: payments (a processor) on a one-node
 * cluster reached through a fault proxy (127.0.0.37 behind 127.0.0.38).
 *
 * - 5: the answer to a transaction's EndTxn is lost: the transaction did
 *   commit, and the decision must not be committed a second time;
 * - 3: the broker unreachable while a transaction is in flight: the
 *   partition waits to retry (its status says so), a stop ends within its
 *   deadline, and the order is decided once when the broker is back;
 * - 9: the log checks do not pile up while the broker does not answer;
 * - and a connection lost during SASL authentication (KafkaJS calls it a
 *   non-retriable authentication failure; CI saw a consumer stop on it).
 */
import assert from "node:assert/strict";
import type { Kafka } from "kafkajs";
import { paymentsConsumer } from "../../services/payments/consumer.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../../services/orders/events.ts";
import { createRunner } from "../../shared/consumer/main.ts";
import type { ConsumerRunner } from "../../shared/consumer/runner.ts";
import { withAdmin } from "../../shared/kafka/client.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { produce, randomName, waitFor } from "../helpers.ts";
import { seedOrderMessage } from "../orders_helpers.ts";
import { type ProxiedCluster, startProxiedNode } from "./proxied_cluster.ts";

const END_TXN = 26;
const LIST_OFFSETS = 2;
const SASL_AUTHENTICATE = 36;

/** The committed decisions (read_committed) of a prefix's orders, by order id. */
async function decisions(kafka: Kafka, prefix: string): Promise<Map<string, number>> {
  const { messages } = await readRange(kafka, {
    groupId: randomName("reader"),
    topics: [`${prefix}${ORDERS_PAID}`, `${prefix}${ORDERS_FAILED}`],
    from: "earliest",
  });
  const count = new Map<string, number>();
  for (const m of messages) {
    const id = String(JSON.parse(new TextDecoder().decode(m.value!)).orderId);
    count.set(id, (count.get(id) ?? 0) + 1);
  }
  return count;
}

/** The order topics under a new prefix on the cluster. */
async function orderTopics(kafka: Kafka): Promise<string> {
  const prefix = `${randomName("p")}.`;
  await withAdmin(kafka, (admin) =>
    admin.createTopics({
      waitForLeaders: true,
      topics: [ORDERS_CREATED, ORDERS_PAID, ORDERS_FAILED, `${ORDERS_CREATED}.dlq`].map((t) => ({
        topic: `${prefix}${t}`,
        numPartitions: 1,
      })),
    }));
  return prefix;
}

Deno.test("chaos - payments on a proxied broker: a lost EndTxn answer, an outage mid-transaction, log checks", async (t) => {
  let cluster: ProxiedCluster | undefined;
  const runners: ConsumerRunner[] = [];
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-processor-faults-" });
  try {
    cluster = await startProxiedNode();
    const proxy = cluster.proxies[0];
    const kafka = cluster.adminKafka();
    const payments = (prefix: string, options: Record<string, unknown> = {}) => {
      const runner = createRunner(
        { ...paymentsConsumer.create({ FRESHET_TOPIC_PREFIX: prefix }), groupId: `${prefix}g` },
        {
          dataDir: `${dataDir}/${prefix}`,
          mode: "process",
          kafka: cluster!.adminKafka(`payments-${prefix}`),
          sessionTimeoutMs: 6_000,
          initialRetryMs: 200,
          maxRetryMs: 1_000,
          ...options,
        },
      );
      runners.push(runner);
      return runner;
    };

    await t.step("5: the EndTxn answer is lost: the decision is committed once", async () => {
      const prefix = await orderTopics(kafka);
      const runner = payments(prefix);
      await runner.start();
      await waitFor("running", () => runner.status().state === "running", 60_000);
      proxy.loseAnswers(END_TXN, 1);
      await produce(kafka, `${prefix}${ORDERS_CREATED}`, [seedOrderMessage("order-5", 45)]);
      await waitFor("the answer lost", () => proxy.lost === 1, 60_000);
      await waitFor("decided", async () => (await decisions(kafka, prefix)).size === 1, 60_000);
      await waitFor("running again", () => runner.status().state === "running", 60_000);
      // Long enough for a retry from memory to have committed a second decision.
      await new Promise((r) => setTimeout(r, 5_000));
      assert.deepEqual([...await decisions(kafka, prefix)], [["order-5", 1]]);
      await runner.stop();
    });

    await t.step(
      "3: an outage mid-transaction: retrying, a bounded stop, decided once after",
      async () => {
        const prefix = await orderTopics(kafka);
        const runner = payments(prefix, { commitTimeoutMs: 5_000 });
        await runner.start();
        await waitFor("running", () => runner.status().state === "running", 60_000);
        proxy.holdRequests(END_TXN, 600_000, 1); // the commit never answers
        await produce(kafka, `${prefix}${ORDERS_CREATED}`, [seedOrderMessage("order-3", 45)]);
        await waitFor("the commit held", () => (proxy.requests.get(END_TXN) ?? 0) > 0, 60_000);
        proxy.blackhole(true);
        proxy.cut(); // the held commit is dropped; nothing answers any more
        await waitFor(
          "the partition waits to retry",
          () => runner.status().state === "retrying",
          60_000,
        )
          .catch((error) => {
            throw new Error(`${error.message}: ${JSON.stringify(runner.status())}`);
          });
        const started = Date.now();
        await runner.stop();
        const stopMs = Date.now() - started;
        assert.ok(stopMs < 21_000, `stop took ${stopMs} ms with the broker away (deadline 20 s)`);
        proxy.heal();
        const again = payments(prefix);
        await again.start();
        await waitFor("decided", async () => (await decisions(kafka, prefix)).size === 1, 60_000);
        await new Promise((r) => setTimeout(r, 3_000));
        assert.deepEqual([...await decisions(kafka, prefix)], [["order-3", 1]]);
        await again.stop();
      },
    );

    await t.step("9: log checks do not pile up while the broker does not answer", async () => {
      proxy.heal();
      const prefix = await orderTopics(kafka);
      const runner = payments(prefix, { logCheckIntervalMs: 200 });
      await runner.start();
      await waitFor("running", () => runner.status().state === "running", 60_000);
      proxy.blackhole(true);
      const before = proxy.requests.get(LIST_OFFSETS) ?? 0;
      await new Promise((r) => setTimeout(r, 4_000));
      const during = (proxy.requests.get(LIST_OFFSETS) ?? 0) - before;
      proxy.heal();
      proxy.cut();
      assert.ok(during <= 4, `${during} ListOffsets sent in 4 s of silence (checks every 200 ms)`);
      await runner.stop();
    });

    await t.step(
      "10: the connection lost during SASL authentication: the consumer restarts, never stops",
      async () => {
        proxy.heal();
        const prefix = await orderTopics(kafka);
        const runner = payments(prefix);
        await runner.start();
        await waitFor("running", () => runner.status().state === "running", 60_000);
        const states = new Set<string>();
        const watch = setInterval(() => states.add(runner.status().state), 20);
        try {
          // Every connection is cut; the next ones lose the broker's answer
          // to SaslAuthenticate and are closed, as a broker killed mid-login.
          proxy.loseAnswers(SASL_AUTHENTICATE, 2);
          proxy.cut();
          await waitFor("two logins cut", () => proxy.lost >= 2, 60_000);
          await produce(kafka, `${prefix}${ORDERS_CREATED}`, [seedOrderMessage("order-10", 45)]);
          await waitFor("decided", async () => (await decisions(kafka, prefix)).size === 1, 60_000)
            .catch((error) => {
              throw new Error(`${error.message}: ${JSON.stringify(runner.status())}`);
            });
          await waitFor("running again", () => runner.status().state === "running", 60_000);
        } finally {
          clearInterval(watch);
        }
        assert.ok(!states.has("failed"), `states seen: ${[...states].join(", ")}`);
        assert.deepEqual([...await decisions(kafka, prefix)], [["order-10", 1]]);
        await runner.stop();
      },
    );
  } finally {
    for (const runner of runners) await runner.stop().catch(() => {});
    await cluster?.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
