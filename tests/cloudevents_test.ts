/**
 * CloudEvents both ways, written by kcat as another team's service would:
 * a demand in binary mode (`ce_*` headers, the demand as the value) and one
 * in structured mode (`content-type: application/cloudevents+json`, the
 * demand in `data`) are both applied by the doctor; a structured event
 * without its required attributes is dead-lettered with the reason; the
 * console shows each event's mode, attributes and data.
 */
import assert from "node:assert/strict";
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { getDemand } from "../services/demands/doctor_db.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { closeBus } from "../shared/bus/bus.ts";
import { createWorldApp, prefixedWorld } from "./prefixed_world.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { kcat } from "./codecs_helpers.ts";
import { randomName, waitFor } from "./helpers.ts";

const demand = (id: string) => ({
  id,
  type: "emergency",
  location: { lat: -22.9, lng: -43.2 },
  metadata: { priority: "high" },
});

Deno.test({
  name: "cloudevents - binary and structured mode are read by the doctor and shown by the console",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const world = await prefixedWorld({
      label: "cloudevents",
      topics: ["demands.created", "demands.assumed"],
      principals: ["doctor"],
    });
    const topic = world.topic("demands.created");
    const doctor = randomName("ce").slice(0, 20);
    const runner = createRunner(
      doctorConsumer.create({ FRESHET_TOPIC_PREFIX: world.prefix, DOCTOR_NAME: doctor }),
      {
        dataDir: world.dataDir,
        mode: "process",
        kafka: createKafka(loadKafkaConfig("doctor"), { clientSuffix: doctor }),
      },
    );
    const { app, shutdown } = await createWorldApp({ dataDir: world.dataDir, prefix: "" }, {
      auth: testAuth(),
    });
    try {
      await t.step("kcat writes a binary, a structured and a broken structured event", async () => {
        const produce = (key: string, value: string, headers: string[]) =>
          kcat(
            ["-P", "-t", topic, "-p", "0", "-k", key, ...headers.flatMap((h) => ["-H", h])],
            value,
          );
        await produce("bin-1", JSON.stringify(demand("bin-1")), [
          "ce_specversion=1.0",
          "ce_id=evt-bin-1",
          "ce_type=com.example.demand.created",
          "ce_source=/java/ondutynow",
          "content-type=application/json",
        ]);
        await produce(
          "str-1",
          JSON.stringify({
            specversion: "1.0",
            id: "evt-str-1",
            type: "com.example.demand.created",
            source: "/dotnet/dispatch",
            time: "2024-05-01T10:00:00Z",
            datacontenttype: "application/json",
            data: demand("str-1"),
          }),
          ["content-type=application/cloudevents+json; charset=UTF-8"],
        );
        await produce(
          "bad-1",
          JSON.stringify({ id: "evt-bad", type: "t", data: demand("bad-1") }),
          ["content-type=application/cloudevents+json"],
        );
      });

      await t.step("the doctor applies both modes and dead-letters the broken event", async () => {
        await runner.start();
        await waitFor(
          "two applied, one dead-lettered",
          () => runner.counters.processed >= 2 && runner.counters.deadLettered >= 1,
          30_000,
        );
        const db = openDatabase(`${world.dataDir}/doctor-${doctor}/doctor-${doctor}.db`);
        try {
          assert.equal(getDemand(db, "bin-1")?.priority, "high");
          assert.equal(getDemand(db, "str-1")?.priority, "high");
          assert.equal(getDemand(db, "bad-1"), undefined);
        } finally {
          db.close();
        }
        let letters: Awaited<ReturnType<typeof readRange>>["messages"] = [];
        await waitFor("the dead letter", async () => {
          letters = (await readRange(world.kafka, {
            groupId: randomName("ce-dlq"),
            topics: [`${topic}.dlq`],
            from: "earliest",
          })).messages;
          return letters.length === 1;
        });
        assert.equal(letters[0].headers[DLQ_HEADERS.code], "INVALID_CLOUDEVENT");
        assert.match(letters[0].headers[DLQ_HEADERS.error], /no specversion/);
      });

      await t.step("the console shows each event's mode, attributes and data", async () => {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/api/topics/${topic}/messages?seek=oldest&partition=0`, {
            headers: basic("viewer"),
          }),
        );
        assert.equal(res.status, 200);
        const { messages } = await res.json();
        const [bin, str, bad] = messages;
        assert.equal(bin.cloudEvent.mode, "binary");
        assert.equal(bin.cloudEvent.attributes.id, "evt-bin-1");
        assert.equal(bin.cloudEvent.attributes.source, "/java/ondutynow");
        assert.equal(str.cloudEvent.mode, "structured");
        assert.equal(str.cloudEvent.attributes.id, "evt-str-1");
        assert.equal(str.cloudEvent.attributes.time, "2024-05-01T10:00:00Z");
        assert.equal(JSON.parse(str.cloudEvent.data.text).id, "str-1");
        assert.equal(bad.cloudEvent.mode, "structured");
        assert.match(bad.cloudEvent.problem, /no specversion/);
        const page = await (await app.fetch(
          new Request(`http://127.0.0.1/console/topics/${topic}/messages?seek=oldest&partition=0`, {
            headers: basic("viewer"),
          }),
        )).text();
        assert.match(page, /Structured mode: the event is the value/);
        assert.match(page, /Binary mode: the attributes are headers/);
      });
    } finally {
      shutdown();
      await runner.stop();
      closeBus();
      await world.close();
    }
  },
});
