/**
 * Supervision of consumer Workers (issue 17, item 3): a Worker that dies
 * (an uncaught error) is started again by the server with backoff; its
 * restart count shows in its status, `/health` and `/metrics`; it goes on
 * from its stored offsets. One that stopped on a fault it reported is left
 * stopped.
 */
import assert from "node:assert/strict";
import { subscribe } from "../shared/bus/bus.ts";
import { startConsumerWorkers } from "../shared/consumer/workers.ts";
import { ConsumerStore, feedConsumerStore } from "../shared/web/consumer_store.ts";
import { sinkEntry } from "./fixtures/sink_consumer.ts";
import { sinkRows } from "./chaos/chaos.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const BROKERS = ["127.0.0.1:9092", "localhost:9092"];

Deno.test("consumer supervision - a Worker that dies is restarted with backoff, its restarts shown", async () => {
  const kafka = adminKafka();
  const topic = randomName("supervised");
  const dropTopics = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-supervision-" });
  const env = {
    SINK_TOPIC: topic,
    SINK_GROUP: randomName("g"),
    SINK_CRASH_ONCE_MS: "1500",
    CONSUMER_SESSION_TIMEOUT_MS: "6000",
  };
  for (const [name, value] of Object.entries(env)) Deno.env.set(name, value);
  const statuses = new ConsumerStore();
  const stopFeed = feedConsumerStore(statuses, subscribe);
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { statuses });
  const workers = startConsumerWorkers({
    entries: [sinkEntry],
    dataDir,
    brokers: BROKERS,
    restartDelayMs: 300,
  });
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 5 }, (_, n) => ({ value: JSON.stringify({ n }) })),
    );
    await waitFor("restarted once", () => workers.restarts().sink === 1, 30_000);
    await produce(
      kafka,
      topic,
      Array.from({ length: 5 }, (_, n) => ({ value: JSON.stringify({ n: 5 + n }) })),
    );
    await waitFor("every message applied once", () => sinkRows(dataDir).rows === 10, 60_000)
      .catch((error) => {
        throw new Error(`${error.message}: ${JSON.stringify(sinkRows(dataDir))}`);
      });
    assert.deepEqual(sinkRows(dataDir), { rows: 10, distinct: 10 });
    await waitFor("its status says so", () => {
      const [record] = statuses.list();
      return record?.status.restarts === 1 && record.status.state === "running";
    }, 30_000);
    const health = await (await app.fetch(new Request("http://127.0.0.1:8000/health"))).json();
    assert.equal(health.consumers[0].restarts, 1);
    const metrics = await (await app.fetch(new Request("http://127.0.0.1:8000/metrics"))).text();
    assert.match(metrics, /freshet_consumer_restarts_total\{consumer="sink"\} 1/);
  } finally {
    await workers.stop();
    stopFeed();
    shutdown();
    for (const name of Object.keys(env)) Deno.env.delete(name);
    await dropTopics();
    await Deno.remove(dataDir, { recursive: true });
  }
});
