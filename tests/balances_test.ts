/**
 * The balances service (seed 003) against the real broker, as the real
 * `balances` principal: records of `contas` sent as kcat would send them
 * become rows served by `/api/saldo/:id`; tombstones delete; keyless
 * records are skipped and counted; a restart resumes without replay.
 */
import assert from "node:assert/strict";
import { balancesConsumer } from "../services/balances/consumer.ts";
import { allBalances, readStats } from "../services/balances/balances_db.ts";
import { balancesGroupId } from "../services/balances/group.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { offsetStore } from "../shared/consumer/offsets.ts";
import { readEnv } from "../shared/core/config.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { kafkaErrorType } from "../shared/kafka/errors.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { balanceJson, balancesFixture } from "./balances_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { joinAndFetch, produce, randomName, waitFor } from "./helpers.ts";

const BASE = "http://127.0.0.1:8000";

function startConsumer(env: Record<string, string>, dataDir: string) {
  return createRunner(balancesConsumer.create(env), { dataDir, mode: "process" });
}

function dbOf(dataDir: string) {
  return openDatabase(`${dataDir}/balances-service/balances-service.db`);
}

Deno.test("balances - a record sent to contas is served by /api/saldo/:id; a tombstone deletes it", async (t) => {
  const fx = await balancesFixture();
  const runner = startConsumer(fx.env, fx.dataDir);
  fx.defer(() => runner.stop());
  const { app, shutdown } = await createWorldApp(fx, { env: readEnv(kafkaEnvNames("web")) });
  fx.defer(shutdown);
  const get = async (path: string) => {
    const res = await app.fetch(new Request(`${BASE}${path}`));
    return { status: res.status, body: await res.json() };
  };
  try {
    await runner.start();
    assert.equal(runner.definition.groupId, balancesGroupId(fx.env));

    await t.step("upsert, then read at every path", async () => {
      await produce(fx.kafka, fx.topic, [{ key: "1", value: balanceJson("1", 150.0) }]);
      await waitFor("1 processed", () => runner.counters.processed === 1);
      const expected = { cliente_id: "1", saldo: 150, timestamp: "2025-10-14T10:30:45" };
      for (const path of ["/api/saldo/1", "/api/balances/1", "/saldo/1"]) {
        assert.deepEqual(await get(path), { status: 200, body: expected }, path);
      }
    });

    await t.step("/balances says how to create a balance", async () => {
      const html = await (await app.fetch(new Request(`${BASE}/balances`))).text();
      assert.match(html, /data-hint="create"/);
      assert.match(html, /deno task produce:balances/);
    });

    await t.step("an overwrite wins; a numeric timestamp stays a number", async () => {
      await produce(fx.kafka, fx.topic, [{ key: "1", value: balanceJson("1", -20.5, 1760437845) }]);
      await waitFor("2 processed", () => runner.counters.processed === 2);
      assert.deepEqual((await get("/api/saldo/1")).body, {
        cliente_id: "1",
        saldo: -20.5,
        timestamp: 1760437845,
      });
    });

    await t.step("a tombstone deletes the account: 404 as the seed answers", async () => {
      await produce(fx.kafka, fx.topic, [{ key: "1", value: null }]);
      await waitFor("3 processed", () => runner.counters.processed === 3);
      assert.deepEqual(await get("/api/saldo/1"), {
        status: 404,
        body: { error: "cliente não encontrado" },
      });
      assert.deepEqual(await get("/api/saldo/never-seen"), {
        status: 404,
        body: { error: "cliente não encontrado" },
      });
    });

    await t.step("the key wins over a disagreeing cliente_id, which is counted", async () => {
      await produce(fx.kafka, fx.topic, [{ key: "2", value: balanceJson("3", 7) }]);
      await waitFor("4 processed", () => runner.counters.processed === 4);
      assert.equal((await get("/api/saldo/2")).body.cliente_id, "2");
      assert.equal((await get("/api/saldo/3")).status, 404);
      assert.equal((await get("/api/balances")).body.stats.id_mismatches, 1);
    });

    await t.step("an invalid value or an empty key is dead-lettered, not applied", async () => {
      await produce(fx.kafka, fx.topic, [
        { key: "4", value: JSON.stringify({ cliente_id: "4", saldo: "lots", timestamp: "x" }) },
        { key: "4", value: "{not json" },
        { key: " ", value: balanceJson(" ", 1) },
      ]);
      await waitFor("3 dead letters", () => runner.counters.deadLettered === 3);
      assert.equal((await get("/api/saldo/4")).status, 404);
    });

    await t.step("a compacted topic refuses a keyless record at the broker", async () => {
      const quiet = createKafka(loadKafkaConfig("admin"), { quiet: true, retries: 0 });
      const error = await produce(quiet, fx.topic, [{ key: null, value: balanceJson("9", 1) }])
        .then(() => null, (e) => e);
      assert.equal(kafkaErrorType(error), "INVALID_RECORD");
    });

    await t.step("an id longer than 200 characters is a 400", async () => {
      const res = await get(`/api/saldo/${"x".repeat(201)}`);
      assert.equal(res.status, 400);
    });

    await t.step("the page shows the table and the counters, values as text", async () => {
      const hostile = "<script>alert(1)</script>";
      await produce(fx.kafka, fx.topic, [{
        key: hostile,
        value: balanceJson(hostile, 1, hostile),
      }]);
      await waitFor("5 processed", () => runner.counters.processed === 5);
      const res = await app.fetch(new Request(`${BASE}/balances?id=2`));
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.ok(!html.includes(hostile), "a value was rendered as markup");
      assert.match(html, /<th scope="row">&lt;script>alert\(1\)&lt;\/script><\/th>/);
      assert.match(html, /data-status="found"/);
      assert.match(html, /data-stat="id_mismatches">1</);
    });
  } finally {
    await fx.cleanup();
  }
});

Deno.test("balances - a record without a key is skipped and counted", async () => {
  // Only a topic that is not compacted (misconfigured, or created by hand
  // as in the seed) can hold a keyless record.
  const fx = await balancesFixture({ compacted: false, partitions: 1 });
  const runner = startConsumer(fx.env, fx.dataDir);
  fx.defer(() => runner.stop());
  try {
    await produce(fx.kafka, fx.topic, [
      { key: null, value: balanceJson("1", 10) },
      { key: null, value: null },
      { key: "2", value: balanceJson("2", 20) },
    ]);
    await runner.start();
    await waitFor("3 processed", () => runner.counters.processed === 3);
    const db = dbOf(fx.dataDir);
    assert.equal(readStats(db).null_keys, 2);
    assert.equal(readStats(db).upserts, 1);
    assert.deepEqual(allBalances(db).map((r) => r.cliente_id), ["2"]);
    db.close();
    assert.equal(runner.counters.deadLettered, 0);
  } finally {
    await fx.cleanup();
  }
});

Deno.test("balances - a restart resumes from the stored offsets: nothing is replayed", async () => {
  const fx = await balancesFixture();
  const batch = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => {
      const id = String((from + i) % 10);
      return { key: id, value: balanceJson(id, from + i) };
    });
  try {
    await produce(fx.kafka, fx.topic, batch(0, 30));
    const first = startConsumer(fx.env, fx.dataDir);
    fx.defer(() => first.stop());
    await first.start();
    await waitFor("30 processed", () => first.counters.processed === 30);
    await first.stop();

    await produce(fx.kafka, fx.topic, batch(30, 5));
    const second = startConsumer(fx.env, fx.dataDir);
    fx.defer(() => second.stop());
    await second.start();
    await waitFor("5 more processed", () => second.counters.processed === 5);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await second.stop();

    assert.equal(second.counters.processed, 5, "the second run applied only the new records");
    const db = dbOf(fx.dataDir);
    assert.equal(readStats(db).upserts, 35, "each record was applied once in all");
    const stored = offsetStore(db).all().reduce((n, o) => n + o.next_offset, 0);
    assert.equal(stored, 35);
    assert.equal(allBalances(db).length, 10);
    db.close();
  } finally {
    await fx.cleanup();
  }
});

/** Joins `groupId` as `principal` and fetches `topic` once; rejects with the broker's refusal. */
async function consumeAs(principal: string, topic: string, groupId: string): Promise<void> {
  const kafka = createKafka(loadKafkaConfig(principal), {
    quiet: true,
    retries: 0,
    clientSuffix: "balances-acl-test",
  });
  await joinAndFetch(kafka, topic, groupId);
}

Deno.test("balances - ACLs: payments cannot read contas, balances can", async (t) => {
  const fx = await balancesFixture();
  try {
    for (const topic of ["contas", fx.topic]) {
      await t.step(`payments is refused on ${topic}`, async () => {
        const error = await consumeAs("payments", topic, randomName("payments-test")).then(
          () => null,
          (e) => e,
        );
        assert.ok(error, "payments read contas");
        assert.equal(kafkaErrorType(error), "TOPIC_AUTHORIZATION_FAILED");
      });
    }
    await t.step("balances reads the test's contas in its own group", async () => {
      await consumeAs("balances", fx.topic, randomName("balances-test"));
    });
  } finally {
    await fx.cleanup();
  }
});
