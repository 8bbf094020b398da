/**
 * A batch a consumer cannot read never stops it: between the doctor (the
 * real module on the real runner) and the real broker, a relay breaks a
 * gzip batch of three demands in every Fetch response — its codec bits set
 * to 5 (a codec no Kafka defines), or its compressed bytes overwritten.
 * The three are dead-lettered to `<topic>.dlq` with the reason in the
 * kernel's headers, the demands before and after are applied, and the
 * consumer keeps running.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { CompressionTypes, Kafka, logLevel } from "kafkajs";
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { UNDECODABLE_HEADERS } from "../shared/kafka/undecodable.ts";
import { getDemand } from "../services/demands/doctor_db.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { prefixedWorld } from "./prefixed_world.ts";
import { batchBreakingProxy, type Breakage } from "./batch_breaking_proxy.ts";
import { randomName, waitFor } from "./helpers.ts";

const demand = (id: string) => ({
  id,
  type: "emergency",
  location: { lat: -22.9, lng: -43.2 },
  metadata: { priority: "high" },
});

const CASES: [Breakage, string, RegExp][] = [
  ["unknown-codec", "UNKNOWN_CODEC", /compressed with codec 5, which no Kafka version defines/],
  ["corrupt-bytes", "CORRUPT_BATCH", /the gzip-compressed batch cannot be decompressed/],
];

Deno.test({
  name: "undecodable batch - its records are dead-lettered with the reason and the doctor goes on",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    for (const [how, code, reason] of CASES) {
      await t.step(how, async () => {
        const world = await prefixedWorld({
          label: "undecodable",
          topics: ["demands.created", "demands.assumed"],
          principals: ["doctor"],
        });
        const topic = world.topic("demands.created");
        const doctorConfig = loadKafkaConfig("doctor");
        const proxy = await batchBreakingProxy(doctorConfig.brokers[0], how);
        createKafka(doctorConfig); // registers Freshet's codecs in KafkaJS
        const kafka = new Kafka({
          clientId: "undecodable-test",
          brokers: doctorConfig.brokers,
          sasl: doctorConfig.sasl as never,
          socketFactory: proxy.socketFactory,
          logLevel: logLevel.NOTHING,
        });
        const doctor = randomName("undecodable").slice(0, 30);
        const runner = createRunner(
          doctorConsumer.create({ FRESHET_TOPIC_PREFIX: world.prefix, DOCTOR_NAME: doctor }),
          { dataDir: world.dataDir, mode: "process", kafka },
        );
        try {
          const producer = world.kafka.producer();
          await producer.connect();
          const send = (ids: string[], compression = CompressionTypes.None) =>
            producer.send({
              topic,
              compression,
              messages: ids.map((id) => ({
                key: id,
                value: Buffer.from(JSON.stringify(demand(id))),
                partition: 0,
              })),
            });
          await send(["before"]);
          await send(["bad-1", "bad-2", "bad-3"], CompressionTypes.GZIP);
          await send(["after"]);
          await producer.disconnect();

          await runner.start();
          await waitFor(
            "the good demands applied and the broken batch dead-lettered",
            () => runner.counters.processed >= 2 && runner.counters.deadLettered >= 3,
            30_000,
          );
          assert.ok(proxy.broken > 0, "the relay broke the batch");
          assert.equal(runner.status().state, "running");
          assert.equal(runner.counters.processed, 2);
          assert.equal(runner.counters.deadLettered, 3);
          const db = openDatabase(`${world.dataDir}/doctor-${doctor}/doctor-${doctor}.db`);
          try {
            assert.ok(getDemand(db, "before"));
            assert.ok(getDemand(db, "after"));
            assert.equal(getDemand(db, "bad-1"), undefined);
          } finally {
            db.close();
          }

          let letters: Awaited<ReturnType<typeof readRange>>["messages"] = [];
          await waitFor("three dead letters", async () => {
            letters = (await readRange(world.kafka, {
              groupId: randomName("dlq-reader"),
              topics: [`${topic}.dlq`],
              from: "earliest",
            })).messages;
            return letters.length >= 3;
          });
          assert.deepEqual(letters.map((m) => m.headers[DLQ_HEADERS.offset]), ["1", "2", "3"]);
          for (const letter of letters) {
            assert.match(letter.headers[DLQ_HEADERS.error], reason);
            assert.equal(letter.headers[DLQ_HEADERS.code], code);
            assert.equal(letter.headers[DLQ_HEADERS.topic], topic);
            assert.equal(letter.headers[DLQ_HEADERS.partition], "0");
            assert.equal(letter.headers[UNDECODABLE_HEADERS.offsets], "1-3");
          }
          assert.ok(letters[0].value && letters[0].value.byteLength > 0, "the batch's bytes kept");
        } finally {
          await runner.stop();
          await proxy.close();
          closeBus();
          await world.close();
        }
      });
    }
  },
});
