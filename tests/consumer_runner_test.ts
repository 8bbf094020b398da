/**
 * The consumer runner against the real broker: atomic batches, dead
 * letters, retries. (Kills and restarts are in consumer_crash_test.ts.)
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { type BusMessage, subscribe } from "../shared/bus/bus.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { offsetStore } from "../shared/consumer/offsets.ts";
import { CONSUMER_STATUS_TOPIC } from "../shared/consumer/status.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { sinkConsumer } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, removeDir, waitFor } from "./helpers.ts";

async function setup(env: Record<string, string> = {}, partitions = 1) {
  const kafka = adminKafka();
  const topic = randomName("runner");
  const drop = await createTopics(kafka, [
    { topic, numPartitions: partitions },
    { topic: `${topic}.dlq` },
  ]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-runner-" });
  const definition = sinkConsumer.create({
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    ...env,
  });
  /** Drops the topics and removes the data folder. */
  const dropTopics = async () => {
    await drop();
    await removeDir(dataDir);
  };
  return { kafka, topic, dropTopics, dataDir, definition };
}

Deno.test("consumer runner - an invalid message lands in the DLQ with its reason and the next valid one is processed", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup();
  const runner = createRunner(definition, { dataDir, mode: "process", kafka });
  try {
    await produce(kafka, topic, [
      { key: "a", value: JSON.stringify({ n: 1 }) },
      { key: "b", value: "{not json", headers: { ce_id: "evt-1" } },
      { key: "c", value: JSON.stringify({ n: "two" }) },
      { key: "d", value: JSON.stringify({ n: 4 }) },
    ]);
    await runner.start();
    await waitFor(
      "2 processed and 2 dead-lettered",
      () => runner.counters.processed === 2 && runner.counters.deadLettered === 2,
    );
    const dlq = await waitForDlq(kafka, topic, 2);
    assert.deepEqual(dlq.map((m) => m.key), ["b", "c"]);
    assert.match(dlq[0].headers[DLQ_HEADERS.error], /not valid JSON/);
    assert.equal(dlq[0].headers[DLQ_HEADERS.code], "INVALID_JSON");
    assert.equal(dlq[0].headers[DLQ_HEADERS.topic], topic);
    assert.equal(dlq[0].headers[DLQ_HEADERS.partition], "0");
    assert.equal(dlq[0].headers[DLQ_HEADERS.offset], "1");
    assert.equal(dlq[0].headers.original_ce_id, "evt-1");
    assert.equal(new TextDecoder().decode(dlq[0].value!), "{not json");
    assert.match(dlq[1].headers[DLQ_HEADERS.error], /n: /);
    assert.equal(dlq[1].headers[DLQ_HEADERS.code], "SCHEMA_MISMATCH");
    assert.equal(dlq[1].headers[DLQ_HEADERS.offset], "2");
  } finally {
    await runner.stop();
    await dropTopics();
  }
});

Deno.test("consumer runner - a batch that throws midway leaves no partial rows and no advanced offset", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup({ SINK_FAIL_OFFSETS: "5" });
  const observed: { rows: number; stored: number | undefined; attempt: number }[] = [];
  const runner = createRunner(definition, {
    dataDir,
    mode: "process",
    kafka,
    initialRetryMs: 50,
    onBatchError(info) {
      const db = dbOf(dataDir, definition.name);
      observed.push({
        rows: Number(db.prepare("SELECT count(*) AS c FROM items").get()!.c),
        stored: offsetStore(db).get(topic, 0),
        attempt: info.attempt,
      });
      db.close();
      assert.equal(info.offset, 5);
      assert.equal(info.willRetry, true);
    },
  });
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 10 }, (_, n) => ({ value: JSON.stringify({ n }) })),
    );
    await runner.start();
    await waitFor("10 processed", () => runner.counters.processed === 10);
    assert.deepEqual(observed, [{ rows: 0, stored: undefined, attempt: 1 }]);
    assert.equal(runner.counters.retries, 1);
    const db = dbOf(dataDir, definition.name);
    assert.equal(Number(db.prepare("SELECT count(*) AS c FROM items").get()!.c), 10);
    assert.equal(offsetStore(db).get(topic, 0), 10);
    db.close();
  } finally {
    await runner.stop();
    await dropTopics();
  }
});

Deno.test("consumer runner - a message rejected by its handler is dead-lettered and the rest of the batch is applied", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup({ SINK_REJECT_N: "3" });
  const runner = createRunner(definition, { dataDir, mode: "process", kafka });
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 6 }, (_, n) => ({ value: JSON.stringify({ n }) })),
    );
    await runner.start();
    await waitFor(
      "5 processed, 1 dead-lettered",
      () => runner.counters.processed === 5 && runner.counters.deadLettered === 1,
    );
    const [dead] = await waitForDlq(kafka, topic, 1);
    assert.equal(dead.headers[DLQ_HEADERS.code], "REJECTED");
    assert.equal(dead.headers[DLQ_HEADERS.offset], "3");
    const db = dbOf(dataDir, definition.name);
    const ns = db.prepare("SELECT n FROM items ORDER BY n").all().map((r) => Number(r.n));
    db.close();
    assert.deepEqual(ns, [0, 1, 2, 4, 5]);
  } finally {
    await runner.stop();
    await dropTopics();
  }
});

Deno.test("consumer runner - a restart resumes from SQLite's offsets, even when Kafka's commit is behind", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup({}, 2);
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 20 }, (_, n) => ({ key: String(n), value: JSON.stringify({ n }) })),
    );
    const first = createRunner(definition, { dataDir, mode: "process", kafka });
    await first.start();
    await waitFor("20 processed", () => first.counters.processed === 20);
    await first.stop();
    // Rewind Kafka's committed offsets: only SQLite may decide where to resume.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: definition.groupId, topic, earliest: true });
    await admin.disconnect();
    await produce(
      kafka,
      topic,
      Array.from(
        { length: 5 },
        (_, i) => ({ key: String(i), value: JSON.stringify({ n: 20 + i }) }),
      ),
    );
    const second = createRunner(definition, { dataDir, mode: "process", kafka });
    await second.start();
    await waitFor("5 more processed", () => second.counters.processed === 5);
    await new Promise((r) => setTimeout(r, 500));
    await second.stop();
    const db = dbOf(dataDir, definition.name);
    const row = db.prepare("SELECT count(*) AS c, count(DISTINCT n) AS d FROM items").get()!;
    db.close();
    assert.deepEqual([Number(row.c), Number(row.d)], [25, 25]);
  } finally {
    await dropTopics();
  }
});

/** A second connection, as an operator would open it: it sees only committed state. */
function dbOf(dataDir: string, name: string): DatabaseSync {
  return new DatabaseSync(`${dataDir}/${name}/${name}.db`);
}

async function waitForDlq(kafka: ReturnType<typeof adminKafka>, topic: string, count: number) {
  let messages: Awaited<ReturnType<typeof readRange>>["messages"] = [];
  await waitFor(`${count} dead letters`, async () => {
    ({ messages } = await readRange(kafka, {
      groupId: randomName("dlq-reader"),
      topics: [`${topic}.dlq`],
      from: "earliest",
    }));
    return messages.length >= count;
  });
  return messages;
}

Deno.test("consumer runner - a transaction with many bus notes publishes one bulk note per topic", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup();
  const notes: BusMessage[] = [];
  const unsubscribe = subscribe((m) => m.topic === "sink" && notes.push(m));
  const runner = createRunner(definition, { dataDir, mode: "process", kafka });
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 120 }, (_, n) => ({ value: JSON.stringify({ n }) })),
    );
    await runner.start();
    await waitFor("120 processed", () => runner.counters.processed === 120);
    await new Promise((r) => setTimeout(r, 100));
    const bulk = notes.filter((m) => m.type === "bulk");
    const single = notes.filter((m) => m.type === "item");
    assert.ok(bulk.length > 0, "a bulk note");
    const counted = bulk.reduce((sum, m) => sum + (m.data as { count: number }).count, 0);
    assert.equal(counted + single.length, 120);
    assert.deepEqual((bulk[0].data as { types: string[] }).types, ["item"]);
  } finally {
    unsubscribe();
    await runner.stop();
    await dropTopics();
  }
});

Deno.test("consumer runner - an idle consumer's log checks that change nothing publish no status (the keep-alive does)", async () => {
  const { kafka, topic, dropTopics, dataDir, definition } = await setup();
  const reports: number[] = [];
  const unsubscribe = subscribe((message: BusMessage) => {
    const data = message.data as { name?: string } | undefined;
    if (message.topic === CONSUMER_STATUS_TOPIC && data?.name === definition.name) {
      reports.push(Date.now());
    }
  });
  const runner = createRunner(definition, {
    dataDir,
    mode: "process",
    kafka,
    logCheckIntervalMs: 200,
    statusKeepAliveMs: 60_000,
  });
  try {
    await produce(kafka, topic, [{ key: "a", value: JSON.stringify({ n: 1 }) }]);
    await runner.start();
    await waitFor(
      "applied and running",
      () => runner.counters.processed === 1 && runner.status().state === "running",
    );
    // Let the last changes (the commit, the first log checks) be reported.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const before = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.ok(
      reports.length - before <= 1,
      `${reports.length - before} reports in 3 s of ~15 log checks that changed nothing`,
    );
  } finally {
    unsubscribe();
    await runner.stop();
    await dropTopics();
  }
});
