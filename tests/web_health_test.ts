/**
 * `/health`: the real broker answers 200; a closed port, a failed or a
 * stale consumer answer 503.
 */
import assert from "node:assert/strict";
import { createApp } from "../main.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import type { HealthReport } from "../shared/web/health.ts";
import { fakeProbe, statusOf } from "./web_helpers.ts";

async function health(app: { fetch(req: Request): Response | Promise<Response> }) {
  const res = await app.fetch(new Request("http://127.0.0.1:8000/health"));
  return { status: res.status, body: await res.json() as HealthReport };
}

Deno.test("health - ok with the real broker and a running consumer", async () => {
  const statuses = new ConsumerStore();
  statuses.update(statusOf({ name: "doctor", lag: 5, mode: "process" }));
  const { status, body } = await health(await createApp({ env: {}, statuses }));
  assert.equal(status, 200);
  assert.equal(body.status, "ok");
  assert.equal(body.broker.reachable, true);
  assert.ok(body.broker.brokers >= 1);
  assert.equal(body.consumers.length, 1);
  const [doctor] = body.consumers;
  assert.equal(doctor.name, "doctor");
  assert.equal(doctor.state, "running");
  assert.equal(doctor.lag, 5);
  assert.equal(doctor.mode, "process");
  assert.ok(doctor.lastSeenMsAgo >= 0 && doctor.lastSeenMsAgo < 5_000);
});

Deno.test("health - down (503) when the broker port is closed, answered quickly", async () => {
  const started = Date.now();
  const { status, body } = await health(
    await createApp({ env: { KAFKA_BROKERS: "127.0.0.1:1" } }),
  );
  assert.equal(status, 503);
  assert.equal(body.status, "down");
  assert.equal(body.broker.reachable, false);
  assert.match(body.broker.error ?? "", /ECONNREFUSED|Connection/i);
  assert.ok(Date.now() - started < 3_000, "the check is bounded");
});

Deno.test("health - degraded (503) when a consumer failed or went quiet", async (t) => {
  const now = Date.now();
  const cases: [string, (s: ConsumerStore) => void, number][] = [
    ["failed", (s) => s.update(statusOf({ state: "failed", lastError: "boom" })), 503],
    ["stale (no report for over 15 s)", (s) => s.update(statusOf(), now - 16_000), 503],
    // Two keep-alives missed (an event loop held up by a long transaction) is not yet stale.
    ["quiet for 11 s", (s) => s.update(statusOf(), now - 11_000), 200],
    ["fresh and running", (s) => s.update(statusOf(), now - 1_000), 200],
    [
      "stopped on purpose, long ago",
      (s) => s.update(statusOf({ state: "stopped" }), now - 60_000),
      200,
    ],
  ];
  for (const [name, feed, expected] of cases) {
    await t.step(name, async () => {
      const statuses = new ConsumerStore();
      feed(statuses);
      const { status, body } = await health(
        await createApp({ statuses, brokerProbe: fakeProbe() }),
      );
      assert.equal(status, expected);
      assert.equal(body.status, expected === 200 ? "ok" : "degraded");
    });
  }
});

Deno.test("health - invalid status reports are ignored by the store", () => {
  const statuses = new ConsumerStore();
  assert.equal(statuses.update({ name: "x", state: "running" }), false);
  assert.equal(statuses.update(statusOf({ state: "weird" as "running" })), false);
  assert.equal(statuses.update(statusOf()), true);
  assert.equal(statuses.list().length, 1);
});
