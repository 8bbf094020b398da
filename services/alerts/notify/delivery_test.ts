import assert from "node:assert/strict";
import { openDatabase } from "../../../shared/sqlite/sqlite.ts";
import { ALERTS_MIGRATIONS } from "../alerts_db.ts";
import type { Notification } from "./bodies.ts";
import { enqueue, listDeliveries } from "./deliveries.ts";
import { defaultBackoffMs, DeliveryLoop } from "./delivery.ts";

const NOTE: Notification = {
  status: "firing",
  rule: "r",
  kind: "status",
  instance: "g",
  severity: "warning",
  summary: "g is STALL",
  details: {},
  startsAt: null,
  endsAt: null,
  at: new Date(0).toISOString(),
  dedupKey: "r/g/1",
  repeat: 0,
};

async function until(what: string, check: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("delivery loop - retries with backoff until the webhook answers 2xx, or fails for good", async (t) => {
  let answers = [500, 503, 200];
  const received: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    received.push(await req.text());
    if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 500));
    return new Response(null, { status: answers.shift() ?? 500 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  const db = openDatabase(":memory:", { migrations: ALERTS_MIGRATIONS });
  const loop = new DeliveryLoop(() => db, {
    backoffMs: () => 50,
    maxAttempts: 3,
    timeoutMs: 200,
    pollMs: 10,
    idlePollMs: 60_000, // only kicks and due times wake it
  });
  loop.start();
  try {
    await t.step("two refusals, then delivered: three attempts, one body each time", async () => {
      const [id] = enqueue(db, 1, NOTE, [{ url: `${base}/ok`, format: "json" }], Date.now());
      loop.kick(); // as evaluation does after queueing
      await until("sent", () => listDeliveries(db, { ids: [id] })[0].state === "sent");
      assert.equal(listDeliveries(db, { ids: [id] })[0].attempts, 3);
      assert.equal(received.length, 3);
      assert.equal(JSON.parse(received[0]).dedupKey, "r/g/1");
      assert.equal(new Set(received).size, 1, "every attempt sends the same body");
    });
    await t.step("queued twice for one webhook: once", () => {
      assert.deepEqual(enqueue(db, 1, NOTE, [{ url: `${base}/ok`, format: "json" }], 0), []);
    });
    await t.step("no answer in time, then refusals: failed after the last attempt", async () => {
      answers = [];
      const [id] = enqueue(db, 2, NOTE, [{ url: `${base}/slow`, format: "json" }], Date.now());
      loop.kick(); // as evaluation does after queueing
      await until("failed", () => listDeliveries(db, { ids: [id] })[0].state === "failed");
      const [d] = listDeliveries(db, { ids: [id] });
      assert.equal(d.attempts, 3);
      assert.match(d.lastError!, /no answer within 200 ms|answered 500/);
    });
    await t.step("a webhook nobody listens on: the connection error is kept", async () => {
      const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const port = (closed.addr as Deno.NetAddr).port;
      closed.close();
      const url = `http://127.0.0.1:${port}/none`;
      const [id] = enqueue(db, 3, NOTE, [{ url, format: "json" }], Date.now());
      loop.kick(); // as evaluation does after queueing
      await until("failed", () => listDeliveries(db, { ids: [id] })[0].state === "failed");
      assert.match(listDeliveries(db, { ids: [id] })[0].lastError!, /fetch failed: .*refused/i);
    });
  } finally {
    await loop.stop();
    await server.shutdown();
    db.close();
  }
});

Deno.test("delivery loop - idle, it does not look for due deliveries every poll", async () => {
  const db = openDatabase(":memory:", { migrations: ALERTS_MIGRATIONS });
  let looks = 0;
  const loop = new DeliveryLoop(() => (looks++, db), { pollMs: 10, idlePollMs: 60_000 });
  loop.start();
  try {
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(
      looks <= 2,
      `looked ${looks} times in 0.5 s with nothing queued (every 10 ms before)`,
    );
  } finally {
    await loop.stop();
    db.close();
  }
});

Deno.test("delivery loop - the default backoff doubles from 1 s to at most 5 min", () => {
  assert.deepEqual([1, 2, 3, 4, 10, 20].map(defaultBackoffMs), [
    1_000,
    2_000,
    4_000,
    8_000,
    300_000,
    300_000,
  ]);
});
