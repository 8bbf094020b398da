/**
 * The consumer runner under faults, against the real broker: retries are
 * counted per message, a poison message is dead-lettered while an outage
 * dead-letters nothing, a stored offset the log no longer has stops the
 * consumer loudly, a database from another cluster is refused, and a data
 * folder has one process at a time.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { createRunner } from "../shared/consumer/main.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { FolderLockedError } from "../shared/consumer/folder_lock.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { sinkConsumer } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, removeDir, waitFor } from "./helpers.ts";
import { deadLettersOf, sinkRows } from "./sink_helpers.ts";

async function setup(env: Record<string, string> = {}, partitions = 1) {
  const kafka = adminKafka();
  const topic = randomName("faults");
  const drop = await createTopics(kafka, [
    { topic, numPartitions: partitions },
    { topic: `${topic}.dlq` },
  ]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-faults-" });
  const definition = sinkConsumer.create({
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    ...env,
  });
  const rows = () => sinkRows(dataDir);
  const deadLetters = () => deadLettersOf(kafka, topic);
  /** Drops the topics and removes the data folder. */
  const dropTopics = async () => {
    await drop();
    await removeDir(dataDir);
  };
  return { kafka, topic, dropTopics, dataDir, definition, rows, deadLetters };
}

const items = (from: number, count: number, key?: (n: number) => string) =>
  Array.from({ length: count }, (_, i) => ({
    key: key?.(from + i),
    value: JSON.stringify({ n: from + i }),
  }));

Deno.test("runner faults - every message may fail 3 times: each is retried on its own, none dead-lettered", async () => {
  const fx = await setup({ SINK_FAIL_EACH: "3" });
  const runner = createRunner(fx.definition, {
    dataDir: fx.dataDir,
    mode: "process",
    kafka: fx.kafka,
    initialRetryMs: 10,
    maxRetryMs: 40,
  });
  try {
    await produce(fx.kafka, fx.topic, items(0, 10));
    await runner.start();
    await waitFor("10 applied", () => runner.counters.processed === 10, 60_000);
    assert.deepEqual(fx.rows(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(runner.counters.deadLettered, 0);
    assert.equal(runner.counters.retries, 30, "3 retries for each of the 10 messages");
  } finally {
    await runner.stop();
    await fx.dropTopics();
  }
});

Deno.test("runner faults - a poison message is dead-lettered after its budget; its partition alone waited", async () => {
  const fx = await setup({ SINK_FAIL_ALWAYS_N: "3" }, 2);
  const runner = createRunner(fx.definition, {
    dataDir: fx.dataDir,
    mode: "process",
    kafka: fx.kafka,
    initialRetryMs: 20,
    maxRetryMs: 100,
    messageBudgetMs: 3_000,
  });
  try {
    // n=0..5 on partition 0, n=100..105 on partition 1.
    await produce(fx.kafka, fx.topic, [
      ...items(0, 6).map((m) => ({ ...m, partition: 0 })),
      ...items(100, 6).map((m) => ({ ...m, partition: 1 })),
    ]);
    await runner.start();
    await waitFor("partition 1 applied while partition 0 waits", () => fx.rows().includes(105));
    assert.ok(!fx.rows().includes(4), "partition 0 waits at n=3, in order");
    await waitFor("the dead letter and the rest", () => runner.counters.processed === 11, 30_000);
    assert.deepEqual(fx.rows(), [0, 1, 2, 4, 5, 100, 101, 102, 103, 104, 105]);
    let dead: Awaited<ReturnType<typeof fx.deadLetters>> = [];
    await waitFor(
      "the dead letter in the DLQ",
      async () => (dead = await fx.deadLetters()).length > 0,
    );
    assert.equal(dead.length, 1);
    assert.equal(dead[0].headers[DLQ_HEADERS.offset], "3");
    assert.equal(dead[0].headers[DLQ_HEADERS.code], "TRANSIENT");
    assert.match(dead[0].headers[DLQ_HEADERS.error], /simulated lasting failure/);
  } finally {
    await runner.stop();
    await fx.dropTopics();
  }
});

Deno.test("runner faults - an outage longer than the budget dead-letters nothing", async () => {
  const fx = await setup({ SINK_DOWN_MS: "2500" });
  const runner = createRunner(fx.definition, {
    dataDir: fx.dataDir,
    mode: "process",
    kafka: fx.kafka,
    initialRetryMs: 20,
    maxRetryMs: 200,
    messageBudgetMs: 300,
  });
  try {
    await produce(fx.kafka, fx.topic, items(0, 8));
    await runner.start();
    await waitFor("retrying", () => runner.status().state === "retrying");
    await waitFor("all 8 applied after the outage", () => runner.counters.processed === 8, 30_000);
    assert.equal(runner.counters.deadLettered, 0);
    assert.deepEqual(await fx.deadLetters(), []);
    assert.equal(runner.status().state, "running");
  } finally {
    await runner.stop();
    await fx.dropTopics();
  }
});

Deno.test("runner faults - a topic recreated under a consumer stops it loudly, skipping nothing", async () => {
  const fx = await setup();
  const runner = createRunner(fx.definition, {
    dataDir: fx.dataDir,
    mode: "process",
    kafka: fx.kafka,
    logCheckIntervalMs: 300,
  });
  let fatal: Error | undefined;
  try {
    await produce(fx.kafka, fx.topic, items(0, 5));
    await runner.start();
    await waitFor("5 applied", () => runner.counters.processed === 5);
    await runner.stop();
    await withAdmin(fx.kafka, async (admin) => {
      await admin.deleteTopics({ topics: [fx.topic] });
      await waitFor("the topic gone", async () => !(await admin.listTopics()).includes(fx.topic));
      await admin.createTopics({
        topics: [{ topic: fx.topic, numPartitions: 1 }],
        waitForLeaders: true,
      });
    });
    await produce(fx.kafka, fx.topic, items(10, 2));
    const restarted = createRunner(fx.definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
      logCheckIntervalMs: 300,
      logEndGraceMs: 1_000,
      onFatal: (error) => (fatal = error),
    });
    await restarted.start().catch(() => {});
    await waitFor("the consumer failed", () => restarted.status().state === "failed", 30_000);
    assert.match(
      restarted.status().lastError ?? "",
      /\/0: the topic was deleted and created again \(topic id \w+ is now \w+\); the stored offset 5 counts the old log/,
    );
    await waitFor("onFatal called once it stopped", () => fatal !== undefined);
    assert.deepEqual(fx.rows(), [0, 1, 2, 3, 4], "the new topic's messages were not applied");
    await restarted.stop();
  } finally {
    await fx.dropTopics();
  }
});

Deno.test("runner faults - a database built from another cluster is refused with what to do", async () => {
  const fx = await setup();
  try {
    const first = createRunner(fx.definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
    });
    await first.start();
    await first.stop();
    const db = new DatabaseSync(`${fx.dataDir}/sink/sink.db`);
    db.prepare("UPDATE consumer_meta SET value = 'another-cluster' WHERE key = 'cluster_id'").run();
    db.close();
    const second = createRunner(fx.definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
    });
    await assert.rejects(
      second.start(),
      /was built from Kafka cluster another-cluster, but the brokers now belong to cluster/,
    );
    assert.equal(second.status().state, "failed");
  } finally {
    await fx.dropTopics();
  }
});

Deno.test("runner faults - one process per data folder: a second runner is refused, naming the first", async () => {
  const fx = await setup();
  try {
    const first = createRunner(fx.definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
    });
    assert.throws(
      () => createRunner(fx.definition, { dataDir: fx.dataDir, mode: "process", kafka: fx.kafka }),
      (error: unknown) =>
        error instanceof FolderLockedError && /consumer sink, pid \d+/.test(error.message),
    );
    await first.stop();
    const again = createRunner(fx.definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
    });
    await again.stop();
  } finally {
    await fx.dropTopics();
  }
});
