/**
 * Exactly once under hard stops: a consumer Worker terminated mid-load and
 * restarted ends with every message materialised once: 0 lost, 0
 * duplicated (processes killed with SIGKILL: tests/chaos/). Also: a
 * consumer Worker cannot read outside its data folder.
 */
import assert from "node:assert/strict";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { startConsumerWorker } from "../shared/consumer/workers.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { sinkEntry, sinkMessage } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, removeDir, waitFor } from "./helpers.ts";
import { sinkRows } from "./chaos/chaos.ts";

const TOTAL = 10_000;
const BROKERS = ["127.0.0.1:9092"];

async function loadedTopic() {
  const kafka = adminKafka();
  const topic = randomName("crash");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq` }]);
  await produce(
    kafka,
    topic,
    Array.from({ length: TOTAL }, (_, n) => sinkMessage(n)),
  );
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-crash-" });
  const env = {
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
    CONSUMER_TXN_MESSAGES: "250",
    SINK_SLOW_US: "500", // ~5 s for the whole load, so the stops land mid-load
  };
  return { kafka, topic, drop, dataDir, env };
}

Deno.test("consumer runner - a Worker terminated mid-load and restarted ends with exactly 10,000 rows", async () => {
  const { drop, dataDir, env } = await loadedTopic();
  try {
    const first = startConsumerWorker(sinkEntry, { dataDir, brokers: BROKERS }, env);
    await first.started;
    await waitFor("3000 rows", () => sinkRows(dataDir).rows >= 3_000, 60_000);
    first.worker.terminate(); // hard stop: no commit, no leave-group
    const atTerminate = sinkRows(dataDir).rows;
    assert.ok(atTerminate < TOTAL, `terminated mid-load (${atTerminate} rows)`);
    const second = startConsumerWorker(sinkEntry, { dataDir, brokers: BROKERS }, env);
    await second.started;
    await waitFor(`${TOTAL} rows`, () => sinkRows(dataDir).rows >= TOTAL, 90_000);
    await new Promise((r) => setTimeout(r, 500));
    await second.stop();
    assert.deepEqual(sinkRows(dataDir), { rows: TOTAL, distinct: TOTAL });
  } finally {
    await drop();
    await removeDir(dataDir);
  }
});

Deno.test("consumer permissions - a consumer Worker reading a file outside its data folder is denied", async () => {
  const kafka = adminKafka();
  const topic = randomName("perm");
  const drop = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-perm-" });
  const outside = new URL("../deno.json", import.meta.url).pathname;
  const consumer = startConsumerWorker(sinkEntry, { dataDir, brokers: BROKERS }, {
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    SINK_PROBE_FILE: outside,
  });
  try {
    await consumer.started;
    await produce(kafka, topic, [{ key: "probe", value: JSON.stringify({ n: 1 }) }]);
    let dead: Awaited<ReturnType<typeof readRange>>["messages"] = [];
    await waitFor("the probe's dead letter", async () => {
      ({ messages: dead } = await readRange(kafka, {
        groupId: randomName("reader"),
        topics: [`${topic}.dlq`],
        from: "earliest",
      }));
      return dead.length > 0;
    });
    assert.equal(dead[0].headers[DLQ_HEADERS.code], "NotCapable");
    assert.match(dead[0].headers[DLQ_HEADERS.error], /Requires read access to ".*deno\.json"/);
    assert.equal(sinkRows(dataDir).rows, 0);
  } finally {
    await consumer.stop();
    await drop();
    await removeDir(dataDir);
  }
});
