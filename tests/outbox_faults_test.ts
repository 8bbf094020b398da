/**
 * The outbox relay when a target topic is missing: the topic is set aside
 * with a clear error while the other topics' events go out, the relay
 * stops within its deadline, the stuck backlog turns /health red, and the
 * events go out once the topic exists — each once.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { enqueue, OUTBOX_MIGRATION } from "../shared/outbox/outbox.ts";
import { logRecovery } from "../shared/outbox/recovery.ts";
import { OutboxRelay } from "../shared/outbox/relay.ts";
import { openDatabase, transaction } from "../shared/sqlite/sqlite.ts";
import { healthReport } from "../shared/web/health.ts";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";

Deno.test("outbox - a missing target topic is named and set aside; the others go out; then it catches up", async () => {
  const kafka = adminKafka();
  const present = randomName("outbox-ok");
  const missing = randomName("outbox-missing");
  const drop = await createTopics(kafka, [{ topic: present }]);
  const dir = await Deno.makeTempDir({ prefix: "freshet-outbox-faults-" });
  const db = openDatabase(`${dir}/service.db`, { migrations: [OUTBOX_MIGRATION] });
  const write = (topic: string, id: string) =>
    transaction(
      db,
      () =>
        enqueue(db, {
          id,
          topic,
          key: id,
          value: { id },
          type: "test.note",
          source: "freshet/test",
        }),
    );
  const relay = new OutboxRelay(db, kafka, {
    recover: logRecovery(kafka, "admin-"),
    sendTimeoutMs: 3_000,
    maxBackoffMs: 500,
  });
  const readIds = async (topic: string) =>
    (await readRange(kafka, { groupId: randomName("reader"), topics: [topic], from: "earliest" }))
      .messages.map((m) => m.headers.ce_id);
  try {
    write(missing, "m-1");
    write(present, "p-1");
    write(missing, "m-2");
    write(present, "p-2");
    relay.start();
    await waitFor(
      "the present topic's events sent",
      async () => (await readIds(present)).length === 2,
      30_000,
    );
    await waitFor(
      "the missing topic named",
      () =>
        relay.stats().failingTopics.some((t) =>
          t.topic === missing && /outbox target topic .* does not exist/.test(t.error)
        ),
      60_000,
    );
    const stats = relay.stats();
    assert.equal(stats.unsent, 2, "the missing topic's two events wait in the outbox");

    const report = healthReport({ reachable: true, brokers: 1 }, [{
      receivedAt: Date.now(),
      status: {
        name: "svc",
        groupId: "g",
        topics: [],
        state: "running",
        mode: "process",
        lag: 0,
        partitionLag: {},
        counters: { processed: 0, deadLettered: 0, skipped: 0, batches: 0, retries: 0 },
        outbox: { ...stats, oldestUnsentMs: 61_000 },
        at: Date.now(),
      },
    }], { now: Date.now(), staleAfterMs: 10_000, outboxMaxAgeMs: 60_000 });
    assert.equal(report.status, "degraded");
    assert.match(report.consumers[0].reason ?? "", /outbox stuck: 2 events unsent.*does not exist/);

    await withAdmin(
      kafka,
      (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic: missing }] }),
    );
    await waitFor(
      "the waiting events sent once the topic exists",
      async () => (await readIds(missing)).length === 2,
      60_000,
    );
    assert.deepEqual((await readIds(missing)).sort(), ["m-1", "m-2"]);
    assert.deepEqual((await readIds(present)).sort(), ["p-1", "p-2"]);
    await waitFor("nothing unsent", () => relay.stats().unsent === 0);

    write(`${missing}-gone-too`, "x-1");
    const stopping = Date.now();
    await relay.stop(2_000);
    assert.ok(Date.now() - stopping < 15_000, `stopped in ${Date.now() - stopping} ms`);
  } finally {
    await relay.stop(1_000);
    db.close();
    await withAdmin(kafka, (admin) => admin.deleteTopics({ topics: [missing] })).catch(() => {});
    await drop();
    await Deno.remove(dir, { recursive: true });
  }
});
