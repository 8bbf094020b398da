/**
 * The KRaft POC endpoints (seed 004) in process, as the real `web`
 * principal: an empty topic reads as `[]` at once; POST /produce sends five
 * messages that GET /consume then returns, in order, from the earliest
 * offset; the `/api/poc/*` paths answer the same.
 */
import assert from "node:assert/strict";
import { readEnv } from "../shared/core/config.ts";
import { kafkaEnvNames } from "../shared/kafka/config.ts";
import { balancesFixture } from "./balances_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const BASE = "http://127.0.0.1:8000";
const VALUES = [1, 2, 3, 4, 5].map((n) => `Esta é a mensagem via API número ${n}.`);

Deno.test("poc - produce sends five messages and consume reads them all from earliest", async (t) => {
  const fx = await balancesFixture();
  const { app, shutdown } = await createWorldApp(fx, { env: readEnv(kafkaEnvNames("web")) });
  fx.defer(shutdown);
  const call = async (method: string, path: string) => {
    const res = await app.fetch(new Request(`${BASE}${path}`, { method }));
    return { status: res.status, body: await res.json() };
  };
  try {
    await t.step("consume on an empty topic answers at once with []", async () => {
      const started = Date.now();
      const { status, body } = await call("GET", "/consume");
      assert.equal(status, 200);
      assert.deepEqual(body.messages_read, []);
      assert.equal(body.complete, true);
      assert.ok(Date.now() - started < 4_000, `took ${Date.now() - started} ms`);
    });

    await t.step("produce answers with each message's partition and offset", async () => {
      const { status, body } = await call("POST", "/produce");
      assert.equal(status, 200);
      assert.equal(body.status, "Success");
      assert.equal(body.topic, fx.pocTopic);
      assert.deepEqual(
        body.messages_sent,
        VALUES.map((value, i) => ({ key: `chave-${i + 1}`, value, partition: 0, offset: i })),
      );
    });

    await t.step("consume returns the five messages", async () => {
      const { status, body } = await call("GET", "/consume");
      assert.equal(status, 200);
      assert.deepEqual(body.messages_read, VALUES);
      assert.deepEqual(body.records.map((r: { key: string }) => r.key), [
        "chave-1",
        "chave-2",
        "chave-3",
        "chave-4",
        "chave-5",
      ]);
      assert.equal(body.complete, true);
    });

    await t.step(
      "the /api/poc paths do the same; consume always starts at the earliest",
      async () => {
        assert.equal((await call("POST", "/api/poc/produce")).body.messages_sent[0].offset, 5);
        const { body } = await call("GET", "/api/poc/consume");
        assert.deepEqual(body.messages_read, [...VALUES, ...VALUES]);
      },
    );

    await t.step("consume does not produce; produce does not consume", async () => {
      for (const [method, path] of [["POST", "/consume"], ["GET", "/produce"]]) {
        const res = await app.fetch(new Request(`${BASE}${path}`, { method }));
        await res.body?.cancel();
        assert.equal(res.status, 405, `${method} ${path}`);
      }
    });
  } finally {
    await fx.cleanup();
  }
});
