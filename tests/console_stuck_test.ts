/**
 * From a stuck group to the record it is stuck on, against the real
 * broker: a Kafka group stops on a poison record (it stays a member, its
 * offset does not move) → the monitor says STALL → the group pages link to
 * the record at its committed offset → its page shows the record and its
 * dead-letter history (a dead letter redriven from there) → the skip is
 * refused while the group has members, previewed and audited once it is
 * empty, and copies the record to `<topic>.dlq` and moves the group past it
 * by one. The Freshet-group variant: the consumer's stored offset in its
 * SQLite, refused while its folder's lock is held (it runs), moved by one
 * once it is free.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { OFFSETS_MIGRATION, offsetStore } from "../shared/consumer/offsets.ts";
import { lockFolder } from "../shared/consumer/folder_lock.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { balancesGroupId } from "../services/balances/group.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { basic, logIn, testAuth } from "./auth_helpers.ts";
import { consoleCaller } from "./console_helpers.ts";

Deno.test({
  name:
    "console stuck - a poison record: STALL, the link, its dead letters, the skip (Kafka and Freshet groups)",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const fx = await monitorFixture("stuck");
    const topic = await fx.createTopic("orders", 1);
    const dlq = await fx.createTopic("orders.dlq", 1);
    const group = `${fx.prefix}billing`;
    const { app, shutdown } = await createWorldApp(fx, { auth: testAuth() });
    const call = consoleCaller(app);
    const page = async (path: string, user: "viewer" | "operator" = "viewer") => {
      const res = await app.fetch(new Request(`http://127.0.0.1${path}`, { headers: basic(user) }));
      return { status: res.status, html: await res.text() };
    };
    const stuckPage = `/console/groups/${group}/stuck/${topic}/0`;
    const consumers: Consumer[] = [];
    const applied: string[] = [];
    // A consumer that applies records in order and stops (paused, still a member) on a poison one.
    const consume = async () => {
      const consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
          for (const m of batch.messages) {
            if (m.value?.toString() === "poison") {
              consumer.pause([{ topic }]);
              break;
            }
            applied.push(m.value!.toString());
            resolveOffset(m.offset);
          }
          await commitOffsetsIfNecessary();
        },
        autoCommitInterval: 100,
      });
      return consumer;
    };
    let producing = true;
    const producer = (async () => {
      await produce(fx.kafka, topic, [{ key: "a", value: "ok-0" }, { key: "b", value: "poison" }]);
      let i = 1;
      while (producing) {
        await produce(fx.kafka, topic, [{ key: `k${i}`, value: `ok-${i++}` }]);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      const monitor = fx.monitor();
      await monitor.start();
      const first = await consume();

      await t.step(
        "the group stops on the poison record: STALL, linked from both group pages",
        async () => {
          await waitFor("STALL on the monitor's page", async () => {
            const { html } = await page(`/groups/${group}`);
            return html.includes('data-stuck="') && html.includes("status-STALL");
          }, 60_000);
          const record = `/console/topics/${topic}/messages/0/1`;
          assert.match((await page(`/groups/${group}`)).html, new RegExp(`href="${record}"`));
          const consolePage = await page(`/console/groups/${group}`);
          assert.match(consolePage.html, new RegExp(`href="${record}"`));
          assert.match(consolePage.html, new RegExp(`href="${stuckPage}"`));
          assert.deepEqual(applied, ["ok-0"]);
        },
      );

      await t.step(
        "its page: the record, its dead letters, no skip while the group has members",
        async () => {
          await produce(fx.kafka, dlq, [{
            key: "b",
            value: "poison",
            headers: {
              dlq_original_topic: topic,
              dlq_original_partition: "0",
              dlq_original_offset: "1",
              dlq_error: "cannot bill",
              dlq_error_code: "INVALID_MESSAGE",
            },
          }, {
            key: "x",
            value: "another",
            headers: {
              dlq_original_topic: topic,
              dlq_original_partition: "0",
              dlq_original_offset: "7",
            },
          }]);
          const { status, html } = await page(stuckPage);
          assert.equal(status, 200, html.slice(0, 300));
          assert.match(html, /data-field="offset">1</);
          assert.match(html, /poison/);
          assert.match(html, new RegExp(`data-letter="${dlq}:0:0"`));
          assert.doesNotMatch(
            html,
            new RegExp(`data-letter="${dlq}:0:1"`),
            "another record's letter",
          );
          assert.match(html, /cannot bill/);
          assert.match(html, /has 1 active member\(s\)/);
          assert.doesNotMatch(html, /name="intent" value="skip"/);
          assert.match(html, new RegExp(`messages\\?partition=0&amp;seek=offset&amp;offset=1`));
          const refused = await call("operator", "POST", `/api/groups/${group}/skip`, {
            topic,
            partition: 0,
            offset: 1,
          });
          assert.equal(refused.status, 409, JSON.stringify(refused.body));
          assert.match(refused.body.error.message, /active member/);
        },
      );

      await t.step("redrive its dead letter from there", async () => {
        const session = await logIn(app, "operator");
        const res = await app.fetch(
          new Request(`http://127.0.0.1${stuckPage}`, {
            method: "POST",
            headers: { cookie: session.cookie, origin: "http://127.0.0.1" },
            body: new URLSearchParams({
              _csrf: session.csrfToken,
              intent: "redrive",
              dlqTopic: dlq,
              letter: "0:0",
            }),
          }),
        );
        await res.body?.cancel();
        assert.equal(res.status, 303);
        assert.match(
          decodeURIComponent(res.headers.get("location")!),
          new RegExp(`${dlq} 0:0 → ${topic}`),
        );
        assert.match((await page(stuckPage)).html, /redriven \(sent, 1×\)/);
      });

      await t.step(
        "stopped: previewed (audited), then copied to the DLQ and skipped by one",
        async () => {
          await first.disconnect();
          await waitFor("the group empty", async () => {
            const { body } = await call("operator", "POST", `/api/groups/${group}/skip`, {
              topic,
              partition: 0,
              dryRun: true,
            });
            return body.offset === 1 && body.refusal === undefined;
          }, 30_000);
          const session = await logIn(app, "operator");
          const res = await app.fetch(
            new Request(`http://127.0.0.1${stuckPage}`, {
              method: "POST",
              headers: { cookie: session.cookie, origin: "http://127.0.0.1" },
              body: new URLSearchParams({ _csrf: session.csrfToken, intent: "skip", offset: "1" }),
            }),
          );
          await res.body?.cancel();
          assert.equal(res.status, 303);
          const offsets = await withAdmin(
            fx.kafka,
            (admin) => admin.fetchOffsets({ groupId: group, topics: [topic] }),
          );
          assert.equal(offsets[0].partitions[0].offset, "2");
          const { messages } = await readRange(fx.kafka, {
            groupId: randomName("reader"),
            topics: [dlq],
            from: "earliest",
            timeoutMs: 30_000,
          });
          const copy = messages.at(-1)!;
          assert.equal(new TextDecoder().decode(copy.value!), "poison");
          const h = (name: string) => copy.headers[name];
          assert.equal(h("dlq_error_code"), "SKIPPED");
          assert.equal(h("dlq_original_offset"), "1");
          assert.equal(h("dlq_group"), group);
          assert.match(h("dlq_error"), /skipped from the console by operator/);
          const again = await call("operator", "POST", `/api/groups/${group}/skip`, {
            topic,
            partition: 0,
            offset: 1,
          });
          assert.equal(again.status, 409);
          assert.match(again.body.error.message, /is now 2, not 1/);
          const audit = await call("viewer", "GET", "/api/audit?action=group.skip&limit=20");
          const results = audit.body.entries.map((e: { result: string }) => e.result);
          for (const r of ["ok", "dry-run", "error"]) {
            assert.ok(results.includes(r), `${r} in ${results}`);
          }
        },
      );

      await t.step("started again, the group goes on after the skipped record", async () => {
        await consume();
        await waitFor("ok-1 applied", () => applied.includes("ok-1"), 30_000);
        assert.ok(!applied.includes("poison"));
      });

      await t.step(
        "a Freshet group: its stored offset, refused while the consumer holds its folder",
        async () => {
          const freshetGroup = balancesGroupId({ FRESHET_TOPIC_PREFIX: fx.prefix });
          const folder = `${fx.dataDir}/balances`;
          Deno.mkdirSync(folder, { recursive: true });
          const db = openDatabase(`${folder}/balances.db`, { migrations: [OFFSETS_MIGRATION] });
          offsetStore(db).set(topic, 0, 1);
          db.close();
          const path = `/api/groups/${freshetGroup}/skip`;
          const plan = await call("operator", "POST", path, { topic, partition: 0, dryRun: true });
          assert.equal(plan.status, 200, JSON.stringify(plan.body));
          assert.deepEqual([plan.body.kind, plan.body.consumer, plan.body.offset], [
            "freshet",
            "balances",
            1,
          ]);
          const lock = lockFolder(folder, "consumer balances");
          const dlqBefore = (await withAdmin(fx.kafka, (a) => a.fetchTopicOffsets(dlq)))[0].high;
          try {
            const refused = await call("operator", "POST", path, {
              topic,
              partition: 0,
              offset: 1,
            });
            assert.equal(refused.status, 409, JSON.stringify(refused.body));
            assert.match(
              refused.body.error.message,
              /the consumer is running \(consumer balances, pid \d+/,
            );
          } finally {
            lock.release();
          }
          const dlqAfterRefusal = (await withAdmin(fx.kafka, (a) =>
            a.fetchTopicOffsets(dlq)))[0].high;
          assert.equal(dlqAfterRefusal, dlqBefore, "a refused skip copies nothing");
          const done = await call("operator", "POST", path, { topic, partition: 0, offset: 1 });
          assert.equal(done.status, 200, JSON.stringify(done.body));
          assert.deepEqual([done.body.from, done.body.to], [1, 2]);
          const check = openDatabase(`${folder}/balances.db`);
          assert.equal(offsetStore(check).get(topic, 0), 2);
          check.close();
          const freshetPage = await page(`/console/groups/${freshetGroup}/stuck/${topic}/0`);
          assert.equal(freshetPage.status, 200, freshetPage.html.slice(0, 300));
          assert.match(freshetPage.html, /balances consumer stores its offset in its SQLite/);
          assert.match(freshetPage.html, /data-field="offset">2</);
        },
      );
    } finally {
      producing = false;
      await producer.catch(() => {});
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      shutdown();
      await fx.close();
    }
  },
});
