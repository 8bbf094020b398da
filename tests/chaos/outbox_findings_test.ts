/**
 * Findings 6 and 7 of issue 17, on a one-node cluster behind a fault proxy
 * (127.0.0.37 behind 127.0.0.38):
 *
 * - 6: recovering rows of unknown outcome on a busy topic reads headers
 *   only, only where the rows can be, and goes on where it left off: it
 *   finishes however large the backlog, without holding it in memory;
 * - 7: a send that timed out but reaches the broker later is not sent a
 *   second time, and `stop()` ends within its deadline with the broker away.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { withAdmin } from "../../shared/kafka/client.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { enqueue, OUTBOX_MIGRATION, type OutboxRow } from "../../shared/outbox/outbox.ts";
import { logRecovery } from "../../shared/outbox/recovery.ts";
import { OutboxRelay } from "../../shared/outbox/relay.ts";
import { openDatabase, transaction } from "../../shared/sqlite/sqlite.ts";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { randomName, waitFor } from "../helpers.ts";
import { type ProxiedCluster, startProxiedNode } from "./proxied_cluster.ts";

const PRODUCE = 0;

Deno.test("chaos - the outbox on a proxied broker: recovery on a busy topic, a late send, a bounded stop", async (t) => {
  let cluster: ProxiedCluster | undefined;
  const dir = await Deno.makeTempDir({ prefix: "freshet-outbox-findings-" });
  try {
    cluster = await startProxiedNode();
    const proxy = cluster.proxies[0];
    const kafka = cluster.adminKafka();
    const newTopic = (topic: string, numPartitions: number) =>
      withAdmin(
        kafka,
        (admin) => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions }] }),
      );

    await t.step(
      "6: recovery reads only headers, only the key's partition, and resumes",
      async () => {
        const topic = randomName("busy");
        await newTopic(topic, 3);
        const since = Date.now();
        // A backlog of 240 MB, then the event whose outcome is unknown, last.
        const producer = createIdempotentProducer(kafka);
        await producer.connect();
        const value = Buffer.alloc(4_096, 120);
        try {
          for (let batch = 0; batch < 120; batch++) {
            await producer.send({
              topic,
              messages: Array.from({ length: 500 }, (_, i) => ({
                key: `k-${batch}-${i}`,
                value,
                headers: { ce_id: `other-${batch}-${i}` },
              })),
            });
          }
          await producer.send({
            topic,
            messages: [{ key: "order-1", value: Buffer.from("{}"), headers: { ce_id: "evt-1" } }],
          });
        } finally {
          await producer.disconnect();
        }
        const row = (id: string, key: string): OutboxRow => ({
          id: 1,
          event_id: id,
          topic,
          key,
          value: null,
          headers: "{}",
          state: "sending",
          sending_since: since,
        });
        // evt-1 was sent; evt-2 never was: every partition it may be in is read to the end.
        const rows = [row("evt-1", "order-1"), row("evt-2", "order-2")];
        const recover = logRecovery(kafka, "admin-", { budgetMs: 400 });
        const baseline = Deno.memoryUsage().rss;
        let peak = baseline;
        const sampler = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 10);
        let calls = 0;
        let found: Set<string> | undefined;
        try {
          while (!found && calls < 200) {
            calls++;
            found = await recover(rows).catch((error) => {
              assert.match(error.message, /in progress: .* it goes on from there/);
              return undefined;
            });
          }
        } finally {
          clearInterval(sampler);
        }
        assert.deepEqual([...found ?? []], ["evt-1"]);
        assert.ok(calls > 1, "the scan went on from where each call left off");
        const grewMb = (peak - baseline) / 1_048_576;
        console.log(
          `CHAOS outbox recovery: ${calls} calls, ${
            Math.round(recover.stats.bytes / 1_048_576)
          } MB read, partitions ${[...recover.stats.partitions].join(",")}, RSS +${
            Math.round(grewMb)
          } MB`,
        );
        // The reader it replaces kept every message of every partition: 240 MB and more.
        assert.ok(grewMb < 100, `the recovery (and the proxy) held ${Math.round(grewMb)} MB`);
        // Each record of the partitions the keys can be in, read once; the third never.
        const ends = await withAdmin(kafka, (admin) => admin.fetchTopicOffsets(topic));
        const scanned = [...recover.stats.partitions].map((key) => Number(key.split(":").pop()));
        assert.ok(scanned.length < 3, `scanned ${scanned.join(",")}`);
        const records = ends.filter((e) => scanned.includes(e.partition))
          .reduce((n, e) => n + Number(e.high), 0);
        assert.ok(
          recover.stats.records <= records,
          `${recover.stats.records} records read, ${records} in the partitions scanned`,
        );
      },
    );

    await t.step("7: a send that times out and lands later is not sent again", async () => {
      const topic = randomName("late");
      await newTopic(topic, 1);
      const db = openDatabase(`${dir}/late.db`, { migrations: [OUTBOX_MIGRATION] });
      const relay = new OutboxRelay(db, kafka, {
        recover: logRecovery(kafka),
        sendTimeoutMs: 1_000,
        settleMs: 14_000,
        maxBackoffMs: 500,
        // A Worker's idle wait (rounds finding nothing double it): the read-back is due at the
        // end of the settle time whatever that wait has grown to.
        idlePollMs: 60_000,
      });
      const started = Date.now();
      try {
        proxy.holdRequests(PRODUCE, 10_000, 1);
        transaction(db, () =>
          enqueue(db, {
            id: "evt-late",
            topic,
            key: "k",
            value: { n: 1 },
            type: "test.note",
            source: "freshet/test",
          }));
        relay.start();
        await waitFor("sent or recovered", () => relay.stats().unsent === 0, 60_000);
        const settledMs = Date.now() - started;
        // Left to the idle wait (200 ms doubling: looks at 13.6 and 26.4 s) it took 26 s.
        assert.ok(settledMs < 20_000, `read back ${settledMs} ms after the send, settle time 14 s`);
        await new Promise((r) => setTimeout(r, 2_000));
        const ids = (await readRange(kafka, {
          groupId: randomName("reader"),
          topics: [topic],
          from: "earliest",
        })).messages.map((m) => m.headers.ce_id);
        assert.deepEqual(ids, ["evt-late"], "one copy of the event");
      } finally {
        await relay.stop(5_000);
        db.close();
      }
    });

    await t.step(
      "7: stop() ends within its deadline while the broker does not answer",
      async () => {
        const topic = randomName("stuck");
        await newTopic(topic, 1);
        const db = openDatabase(`${dir}/stuck.db`, { migrations: [OUTBOX_MIGRATION] });
        const relay = new OutboxRelay(db, kafka, { recover: logRecovery(kafka) });
        try {
          proxy.blackhole(true);
          proxy.cut();
          transaction(db, () =>
            enqueue(db, {
              topic,
              key: "k",
              value: { n: 1 },
              type: "test.note",
              source: "freshet/test",
            }));
          relay.start();
          await waitFor("a send in flight", () =>
            Number(
              db.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'sending'").get()!.n,
            ) === 1, 30_000);
          const started = Date.now();
          await relay.stop(3_000);
          const ms = Date.now() - started;
          assert.ok(ms < 4_000, `stop took ${ms} ms (deadline 3 s)`);
        } finally {
          proxy.heal();
          db.close();
        }
      },
    );
  } finally {
    await cluster?.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
