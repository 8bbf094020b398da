/**
 * OnDuty end to end through the REST proxy: OnDutyNow's request (json v2,
 * `{records: [{key, value}]}`) becomes a `demands.created` record that the
 * doctor consumer (the real module on the real runner) turns into a row.
 * And as the real `web` principal, a topic its ACLs do not cover is
 * refused by Kafka with Confluent's authorization code.
 */
import assert from "node:assert/strict";
import { doctorConsumer } from "../services/demands/consumer.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { getDemand } from "../services/demands/doctor_db.ts";
import { KAFKA_JSON_V2, KAFKA_V2 } from "../services/rest_proxy/mod.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { readEnv } from "../shared/core/config.ts";
import { kafkaEnvNames } from "../shared/kafka/config.ts";
import { restProxyFixture } from "./rest_proxy_helpers.ts";
import { waitFor } from "./helpers.ts";

Deno.test("rest proxy - an OnDutyNow request becomes a row in the doctor's database", async () => {
  const fx = await restProxyFixture();
  const doctor = `rest-${crypto.randomUUID().slice(0, 8)}`; // its own group
  const runner = createRunner(
    doctorConsumer.create({ FRESHET_TOPIC_PREFIX: fx.prefix, DOCTOR_NAME: doctor }),
    { dataDir: fx.dataDir, mode: "process", kafka: fx.kafka },
  );
  try {
    const demand = {
      id: `req-${crypto.randomUUID()}`,
      type: "emergency",
      location: { lat: -22.9, lng: -43.2 },
      metadata: { priority: "high" },
    };
    const res = await fx.post("/topics/demands.created", {
      records: [{ key: demand.id, value: demand }],
    }, { "content-type": KAFKA_JSON_V2, accept: KAFKA_V2 });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [{ partition, offset, error_code }] = res.body.offsets;
    assert.equal(error_code, null);

    await runner.start();
    await waitFor("the doctor to store the demand", () => runner.counters.processed >= 1);
    const db = openDatabase(`${fx.dataDir}/doctor-${doctor}/doctor-${doctor}.db`);
    try {
      const row = getDemand(db, demand.id);
      assert.ok(row, "demand row");
      assert.equal(row.type, "emergency");
      assert.equal(row.lat, -22.9);
      assert.equal(row.lng, -43.2);
      assert.equal(row.priority, "high");
      assert.equal(row.status, "pending");
      assert.equal(row.topic, `${fx.prefix}demands.created`);
      assert.equal(row.partition, partition);
      assert.equal(row.offset, offset);
    } finally {
      db.close();
    }
    assert.equal(runner.counters.deadLettered, 0);
  } finally {
    await runner.stop();
    await fx.cleanup();
  }
});

Deno.test("rest proxy - as the web principal, a topic outside its ACLs is refused by Kafka with 40301", async () => {
  // The prefixed topics exist, but kafka-acls.txt grants `web` only the unprefixed ones.
  const fx = await restProxyFixture({ env: readEnv(kafkaEnvNames("web")) });
  try {
    const res = await fx.post("/topics/demands.created", {
      records: [{ key: "a", value: { n: 1 } }],
    }, { "content-type": KAFKA_JSON_V2 });
    assert.equal(res.status, 403, JSON.stringify(res.body));
    assert.equal(res.body.error_code, 40301);
    assert.match(res.body.message, /Kafka refused the web principal/);
    assert.deepEqual(await fx.read("demands.created"), []);
  } finally {
    await fx.cleanup();
  }
});
