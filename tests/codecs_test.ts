/**
 * Every codec, both ways, with clients that are not Freshet: kcat
 * (librdkafka, `-z`) and Kafka's Java console producer
 * (`--compression-codec`) write demands compressed with none, gzip,
 * snappy, lz4 and zstd into a doctor's topic; the doctor (the real module
 * on the real runner), the console's message browser and the monitor read
 * every one. And Freshet's producer writing each codec is read back by
 * Kafka's Java console consumer.
 */
import assert from "node:assert/strict";
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { createIdempotentProducer, createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { COMPRESSION_CODECS } from "../shared/kafka/codecs/codecs.ts";
import { getDemand } from "../services/demands/doctor_db.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { createMonitor } from "../services/monitor/main.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { createWorldApp, prefixedWorld } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { countedPerTopic, FAST_MONITOR_ENV } from "./monitor_helpers.ts";
import { batchCodecs, javaConsume, javaProduce, kcatProduce } from "./codecs_helpers.ts";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";

/** A demand as OnDutyNow sends it. */
function demand(id: string) {
  return {
    id,
    type: "emergency",
    location: { lat: -22.9, lng: -43.2 },
    metadata: { priority: "high" },
  };
}

Deno.test({
  name:
    "codecs - what kcat and Java's producer write in every codec is read by the doctor, the console and the monitor",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const world = await prefixedWorld({
      label: "codecs",
      topics: ["demands.created", "demands.assumed"],
      principals: ["doctor"],
    });
    const topic = world.topic("demands.created");
    const doctor = `codecs-${crypto.randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    const runner = createRunner(
      doctorConsumer.create({ FRESHET_TOPIC_PREFIX: world.prefix, DOCTOR_NAME: doctor }),
      {
        dataDir: world.dataDir,
        mode: "process",
        kafka: createKafka(loadKafkaConfig("doctor"), { clientSuffix: doctor }),
      },
    );
    const monitor = createMonitor({ FRESHET_TOPIC_PREFIX: world.prefix, ...FAST_MONITOR_ENV }, {
      dataDir: world.dataDir,
      mode: "process",
      noteIntervalMs: 200,
    });
    const { app, shutdown } = await createWorldApp({ dataDir: world.dataDir, prefix: "" }, {
      auth: testAuth(),
    });
    try {
      await t.step("kcat writes one batch per codec (-z)", async () => {
        for (const codec of COMPRESSION_CODECS) {
          const batch = [1, 2].map((n) => demand(`kcat-${codec}-${n}`));
          ids.push(...batch.map((d) => d.id));
          await kcatProduce(
            topic,
            batch.map((d) => ({ key: d.id, value: JSON.stringify(d) })),
            codec,
          );
        }
      });

      await t.step("Java's console producer writes one batch per codec", async () => {
        for (const codec of COMPRESSION_CODECS) {
          const batch = [1, 2].map((n) => demand(`java-${codec}-${n}`));
          ids.push(...batch.map((d) => d.id));
          await javaProduce(
            topic,
            batch.map((d) => ({ key: d.id, value: JSON.stringify(d) })),
            codec,
          );
        }
      });

      await t.step("the batches really are compressed with each codec", async () => {
        const codecs = await batchCodecs(world.kafka, topic);
        for (const [id, codec] of COMPRESSION_CODECS.entries()) {
          assert.ok((codecs.get(id) ?? 0) >= 2, `${codec}: kcat's and Java's batches`);
        }
      });

      await t.step("the console's message browser shows all 20", async () => {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/topics/${topic}/messages?seek=oldest&limit=100`, {
            headers: basic("viewer"),
          }),
        );
        assert.equal(res.status, 200, await res.clone().text());
        const page = await res.json();
        assert.equal(page.messages.length, 20, "the console reads all 20");
        const seen = new Set(
          page.messages.map((m: { value: { text: string } }) => JSON.parse(m.value.text).id),
        );
        assert.deepEqual([...seen].sort(), [...ids].sort());
      });

      await t.step("the doctor applies all 20, dead-letters none", async () => {
        await runner.start();
        await waitFor(
          "the doctor to apply every demand",
          () => runner.counters.processed >= 20,
          60_000,
        );
        assert.equal(runner.counters.processed, 20);
        assert.equal(runner.counters.deadLettered, 0);
        assert.equal(runner.status().state, "running");
        const db = openDatabase(`${world.dataDir}/doctor-${doctor}/doctor-${doctor}.db`);
        try {
          for (const id of ids) assert.equal(getDemand(db, id)?.type, "emergency", id);
        } finally {
          db.close();
        }
      });

      await t.step("the monitor counts all 20", async () => {
        await monitor.start();
        await waitFor(
          "the monitor's count",
          () => countedPerTopic(world.dataDir).get(topic) === 20,
          60_000,
        );
      });
    } finally {
      shutdown();
      await runner.stop();
      await monitor.stop();
      closeBus();
      await world.close();
    }
  },
});

Deno.test({
  name: "codecs - Freshet's producer writes every codec, and Java's console consumer reads it",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kafka = adminKafka();
    const topics = COMPRESSION_CODECS.map((codec) => ({ topic: randomName(`codec-${codec}`) }));
    const drop = await createTopics(kafka, topics);
    try {
      for (const [i, codec] of COMPRESSION_CODECS.entries()) {
        await t.step(codec, async () => {
          const producer = createIdempotentProducer(kafka, { compression: codec });
          await producer.connect();
          const values = Array.from(
            { length: 50 },
            (_, n) => JSON.stringify({ n, codec, pad: "x".repeat(200) }),
          );
          try {
            await producer.send({
              topic: topics[i].topic,
              messages: values.map((value, n) => ({ key: `k${n}`, value })),
            });
          } finally {
            await producer.disconnect();
          }
          const codecs = await batchCodecs(kafka, topics[i].topic);
          assert.deepEqual([...codecs.keys()], [i], `every batch is ${codec}`);
          const read = await javaConsume(topics[i].topic, values.length);
          assert.deepEqual(read, values.map((value, n) => `k${n}|${value}`));
        });
      }
    } finally {
      await drop();
    }
  },
});
