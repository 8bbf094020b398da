/**
 * Findings 1, 2 and 8 of issue 17, against the real broker: a partition
 * paused while it waited to retry, revoked and given back, is fetched
 * again; two poison messages in a row, or one last in its partition, are
 * dead-lettered instead of blocking it for ever; a partition that never
 * committed shows its lag in the runner's status and the monitor. And one
 * the fault campaign found: a partition added to a topic while a consumer
 * runs is read within seconds, not after KafkaJS's 5-minute metadata age.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { GROUP_STATUSES } from "../services/monitor/group_status.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { sinkConsumer } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { DEMANDS_CREATED } from "../services/demands/demand.ts";
import { sampleDemand } from "../services/demands/sample_demands.ts";
import { demandsWorld } from "./demands_helpers.ts";
import { sinkRows } from "./sink_helpers.ts";
import { launch } from "./launched.ts";

const items = (ns: number[], partition?: number) =>
  ns.map((n) => ({ value: JSON.stringify({ n }), partition }));

const rows = sinkRows;

Deno.test("runner findings - 1: partitions paused to retry, revoked and given back, are fetched again", async () => {
  const kafka = adminKafka();
  const topic = randomName("f1");
  const group = randomName("g");
  const dropTopics = await createTopics(kafka, [
    { topic, numPartitions: 4 },
    { topic: `${topic}.dlq` },
  ]);
  const dirA = await Deno.makeTempDir({ prefix: "freshet-f1-a-" });
  const dirB = await Deno.makeTempDir({ prefix: "freshet-f1-b-" });
  // A: every message fails (retriable) for its first 4 s, so all four partitions wait to retry.
  const a = createRunner(
    sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: group, SINK_DOWN_MS: "4000" }),
    { dataDir: dirA, mode: "process", kafka, initialRetryMs: 500, maxRetryMs: 500 },
  );
  let b: ConsumerRunner | undefined;
  try {
    await produce(kafka, topic, [0, 1, 2, 3].flatMap((p) => items([p], p)));
    await a.start();
    await waitFor("A retrying", () => a.status().state === "retrying", 30_000);
    // B joins: two of A's paused partitions move to it, then come back when B leaves.
    b = createRunner(
      sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: group }),
      { dataDir: dirB, mode: "process", kafka, sessionTimeoutMs: 6_000 },
    );
    await b.start();
    await waitFor("B applied two partitions", () => b!.counters.processed === 2, 30_000);
    await b.stop();
    b = undefined;
    await waitFor("A's outage over", () => a.counters.processed >= 2, 30_000);
    await produce(kafka, topic, [0, 1, 2, 3].flatMap((p) => items([10 + p], p)));
    await waitFor(
      "A applies new messages on all four partitions",
      () => [10, 11, 12, 13].every((n) => rows(dirA).includes(n)),
      30_000,
    ).catch((error) => {
      throw new Error(`${error.message}: A has ${JSON.stringify(rows(dirA))}`);
    });
  } finally {
    await b?.stop();
    await a.stop();
    await dropTopics();
    await Deno.remove(dirA, { recursive: true });
    await Deno.remove(dirB, { recursive: true });
  }
});

Deno.test("runner findings - 2: poison messages that look transient never block a partition for ever", async (t) => {
  const kafka = adminKafka();
  const options = { mode: "process" as const, kafka, initialRetryMs: 50, maxRetryMs: 200 };
  await t.step(
    "two in a row: both dead-lettered after their budgets, the rest applied",
    async () => {
      const topic = randomName("f2a");
      const dropTopics = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
      const dataDir = await Deno.makeTempDir({ prefix: "freshet-f2-" });
      // n=3 and n=4 fail every time with a retriable error.
      const runner = createRunner(
        sinkConsumer.create({
          SINK_TOPIC: topic,
          SINK_GROUP: randomName("g"),
          SINK_FAIL_ALWAYS_N: "3,4",
        }),
        { ...options, dataDir, messageBudgetMs: 1_500 },
      );
      try {
        await produce(kafka, topic, items([0, 1, 2, 3, 4, 5, 6]));
        await runner.start();
        await waitFor(
          "both dead-lettered, the rest applied",
          () => runner.counters.deadLettered === 2 && runner.counters.processed === 5,
          30_000,
        ).catch((error) => {
          throw new Error(`${error.message}: ${JSON.stringify(runner.status())}`);
        });
        assert.deepEqual(rows(dataDir), [0, 1, 2, 5, 6]);
        assert.equal(runner.status().state, "running");
      } finally {
        await runner.stop();
        await dropTopics();
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  );

  await t.step(
    "last in its partition while the topic's other partition applies: dead-lettered",
    async () => {
      const topic = randomName("f2b");
      const dropTopics = await createTopics(kafka, [
        { topic, numPartitions: 2 },
        { topic: `${topic}.dlq` },
      ]);
      const dataDir = await Deno.makeTempDir({ prefix: "freshet-f2-" });
      const runner = createRunner(
        sinkConsumer.create({
          SINK_TOPIC: topic,
          SINK_GROUP: randomName("g"),
          SINK_FAIL_ALWAYS_N: "2",
        }),
        { ...options, dataDir, messageBudgetMs: 1_500 },
      );
      try {
        await produce(kafka, topic, [...items([0, 1, 2], 0), ...items([100], 1)]);
        await runner.start();
        await waitFor("the other partition applied", () => rows(dataDir).includes(100), 30_000);
        // The dependency works: messages of the topic keep applying on partition 1.
        let n = 101;
        const traffic = setInterval(() => void produce(kafka, topic, items([n++], 1)), 300);
        try {
          await waitFor(
            "the poison dead-lettered",
            () => runner.counters.deadLettered === 1,
            30_000,
          )
            .catch((error) => {
              throw new Error(`${error.message}: ${JSON.stringify(runner.status())}`);
            });
        } finally {
          clearInterval(traffic);
        }
        await waitFor("running", () => runner.status().state === "running");
        assert.deepEqual(
          rows(dataDir).filter((x) => x < 100),
          [0, 1],
        );
      } finally {
        await runner.stop();
        await dropTopics();
        await Deno.remove(dataDir, { recursive: true });
      }
    },
  );
});

Deno.test("runner findings - 8: a partition that never committed shows its lag to the runner and the monitor", async () => {
  const fx = await monitorFixture("f8");
  const topic = await fx.createTopic("items", 1);
  await fx.createTopic("items.dlq", 1);
  const group = `${fx.prefix}sink`;
  // Its first message keeps failing (retriable, within its budget): nothing is ever committed.
  const runner = createRunner(
    sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: group, SINK_FAIL_ALWAYS_N: "0" }),
    {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
      initialRetryMs: 200,
      maxRetryMs: 500,
      messageBudgetMs: 600_000,
    },
  );
  const monitor = fx.monitor();
  try {
    await produce(fx.kafka, topic, items([0, 1, 2, 3, 4]));
    await runner.start();
    await waitFor("retrying", () => runner.status().state === "retrying", 30_000);
    await waitFor("the runner's lag", () => runner.status().partitionLag[`${topic}:0`] === 5)
      .catch((error) => {
        throw new Error(`${error.message}: ${JSON.stringify(runner.status())}`);
      });
    assert.equal(runner.status().lag, 5);
    await monitor.start();
    const row = () => {
      const db = openMonitorDatabase(fx.dataDir);
      try {
        const r = db.prepare("SELECT status, lag FROM group_state WHERE grp = ?").get(group);
        return r && { status: GROUP_STATUSES[Number(r.status)], lag: Number(r.lag) };
      } finally {
        db.close();
      }
    };
    await waitFor("the monitor sees lag 5, then STALL", () => {
      const r = row();
      return r?.lag === 5 && r.status === "STALL";
    }, 30_000).catch((error) => {
      throw new Error(`${error.message}: ${JSON.stringify(row())}`);
    });
  } finally {
    await monitor.stop();
    await runner.stop();
    await fx.close();
  }
});

Deno.test("runner findings - a partition added while a doctor runs is read within seconds (the campaign's finding)", async () => {
  const world = await demandsWorld();
  const topic = world.topic(DEMANDS_CREATED);
  const doctor = await launch("consumer:doctor", {
    env: { DOCTOR_NAME: "grow", DATA_DIR: world.dataDir, FRESHET_TOPIC_PREFIX: world.prefix },
  });
  const partitions = () => {
    try {
      const db = new DatabaseSync(`${world.dataDir}/doctor-grow/doctor-grow.db`, {
        readOnly: true,
      });
      try {
        return db.prepare("SELECT partition FROM demands").all().map((r) => Number(r.partition));
      } finally {
        db.close();
      }
    } catch {
      return [];
    }
  };
  try {
    await doctor.waitForOutput(/\] consuming /, 60_000);
    await produce(world.kafka, topic, [{ value: JSON.stringify(sampleDemand()), partition: 0 }]);
    await waitFor("the first demand", () => partitions().length === 1, 30_000);
    await withAdmin(
      world.kafka,
      (admin) => admin.createPartitions({ topicPartitions: [{ topic, count: 4 }] }),
    );
    await produce(world.kafka, topic, [{ value: JSON.stringify(sampleDemand()), partition: 3 }]);
    // KafkaJS alone refreshes its metadata every 5 minutes: the new partition waited that long.
    await waitFor("the new partition's demand", () => partitions().includes(3), 30_000);
  } finally {
    assert.equal((await doctor.stop()).code, 0, doctor.output().slice(-2_000));
    await world.close();
  }
});
