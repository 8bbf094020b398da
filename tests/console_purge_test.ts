/**
 * Purge against the real broker, as the `console` principal: the count
 * shown first (API and page), a viewer refused, the typed confirmation,
 * records deleted before an offset, before a time and to the end — each
 * checked with Kafka's own tool (`deno task kafka:cli kafka-get-offsets`)
 * — Kafka's internal topics refused, every purge audited.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Partitioners } from "kafkajs";
import { adminKafka, createTopics, randomName, runDeno } from "./helpers.ts";
import { basic, logIn, testAuth } from "./auth_helpers.ts";
import { consoleCaller } from "./console_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

/** Each partition's earliest offset, as Kafka's kafka-get-offsets reports it. */
async function earliestOffsets(topic: string): Promise<Map<number, number>> {
  const run = await runDeno([
    "task",
    "kafka:cli",
    "kafka-get-offsets",
    "--topic",
    topic,
    "--time",
    "earliest",
  ]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const out = new Map<number, number>();
  for (const line of run.stdout.trim().split("\n")) {
    const [name, partition, offset] = line.split(":");
    if (name === topic) out.set(Number(partition), Number(offset));
  }
  return out;
}

Deno.test({
  name: "console purge - counted first, confirmed by name, checked with kafka-get-offsets",
  sanitizeResources: false,
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-purge");
    const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-purge-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const call = consoleCaller(app);
    const path = `/api/topics/${topic}/purge`;
    const hourAgo = Date.now() - 3_600_000;
    try {
      // 10 records per partition: the first 5 an hour old, the next 5 new.
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      for (const partition of [0, 1, 2]) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: 10 }, (_, i) => ({
            partition,
            key: `k${i}`,
            value: Buffer.from(`v${i}`),
            timestamp: String(i < 5 ? hourAgo + i : Date.now()),
          })),
        });
      }
      await producer.disconnect();

      await t.step("the count comes first, and changes nothing", async () => {
        const { status, body } = await call(
          "viewer",
          "GET",
          `${path}?partition=0&before=offset&offset=4`,
        );
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.records, 4);
        assert.deepEqual(body.partitions, [{
          partition: 0,
          start: 0,
          end: 10,
          before: 4,
          records: 4,
        }]);
        const byTime = await call(
          "viewer",
          "GET",
          `${path}?before=timestamp&timestamp=${hourAgo + 3_000}`,
        );
        assert.equal(byTime.body.records, 15, JSON.stringify(byTime.body));
        assert.deepEqual(await earliestOffsets(topic), new Map([[0, 0], [1, 0], [2, 0]]));
      });

      await t.step("bad input names every problem", async () => {
        const { status, body } = await call("viewer", "GET", `${path}?before=offset&offset=3`);
        assert.equal(status, 400);
        assert.match(body.error.problems[0], /one partition/);
        const missing = await call("viewer", "GET", `${path}?partition=7&before=end`);
        assert.equal(missing.status, 404);
        assert.match(missing.body.error.message, /no partition 7 \(it has 3\)/);
      });

      await t.step("a viewer may not purge; an operator must type the name", async () => {
        const input = { partition: 0, before: "offset", offset: 4 };
        assert.equal(
          (await call("viewer", "POST", path, { ...input, confirm: topic })).status,
          403,
        );
        const unconfirmed = await call("operator", "POST", path, { ...input, confirm: "nope" });
        assert.equal(unconfirmed.status, 400);
        assert.match(unconfirmed.body.error.message, /type the topic's name/);
        assert.deepEqual(await earliestOffsets(topic), new Map([[0, 0], [1, 0], [2, 0]]));
      });

      await t.step("before an offset, in one partition", async () => {
        const { status, body } = await call("operator", "POST", path, {
          partition: 0,
          before: "offset",
          offset: 4,
          confirm: topic,
        });
        assert.equal(status, 200, JSON.stringify(body));
        assert.equal(body.deleted, 4);
        assert.deepEqual(await earliestOffsets(topic), new Map([[0, 4], [1, 0], [2, 0]]));
      });

      await t.step("before a time, in every partition", async () => {
        const preview = await call(
          "viewer",
          "GET",
          `${path}?before=timestamp&timestamp=${hourAgo + 60_000}`,
        );
        assert.equal(preview.body.records, 1 + 5 + 5, JSON.stringify(preview.body));
        const { body } = await call("operator", "POST", path, {
          partition: "all",
          before: "timestamp",
          timestamp: new Date(hourAgo + 60_000).toISOString(),
          confirm: topic,
        });
        assert.equal(body.deleted, 11, JSON.stringify(body));
        assert.deepEqual(await earliestOffsets(topic), new Map([[0, 5], [1, 5], [2, 5]]));
      });

      await t.step("to the end, from the page: preview, then the typed confirmation", async () => {
        const session = await logIn(app, "operator");
        const page = await app.fetch(
          new Request(`http://127.0.0.1/console/topics/${topic}/purge?partition=2&before=end`, {
            headers: { cookie: session.cookie },
          }),
        );
        const html = await page.text();
        assert.equal(page.status, 200, html.slice(0, 500));
        assert.match(html, /deletes <strong>5<\/strong> record/);
        const posted = await app.fetch(
          new Request(`http://127.0.0.1/console/topics/${topic}/purge`, {
            method: "POST",
            headers: { cookie: session.cookie, origin: "http://127.0.0.1" },
            body: new URLSearchParams({
              _csrf: session.csrfToken,
              partition: "2",
              before: "end",
              confirm: topic,
            }),
          }),
        );
        await posted.body?.cancel();
        assert.equal(posted.status, 303);
        assert.match(posted.headers.get("location")!, /purged=5$/);
        assert.deepEqual(await earliestOffsets(topic), new Map([[0, 5], [1, 5], [2, 10]]));
      });

      await t.step("Kafka's internal topics are refused, and the refusal audited", async () => {
        const { status, body } = await call(
          "operator",
          "POST",
          "/api/topics/__consumer_offsets/purge",
          {
            before: "end",
            confirm: "__consumer_offsets",
          },
        );
        assert.equal(status, 403, JSON.stringify(body));
        assert.match(body.error.message, /internal topic/);
        const page = await app.fetch(
          new Request("http://127.0.0.1/console/topics/__consumer_offsets/purge?before=end", {
            headers: basic("operator"),
          }),
        );
        const html = await page.text();
        assert.match(html, /never purges it/);
        assert.doesNotMatch(html, /name="confirm"/);
      });

      await t.step("every purge is audited with what was asked and deleted", async () => {
        const { body } = await call("viewer", "GET", "/api/audit?action=topic.purge&limit=20");
        const rows = body.entries as { target: string; result: string; detail: string }[];
        const mine = rows.filter((r) => r.target === `topic:${topic}`);
        assert.deepEqual(mine.map((r) => r.result).sort(), ["ok", "ok", "ok", "refused"]);
        assert.deepEqual(
          mine.filter((r) => r.result === "ok").map((r) => JSON.parse(r.detail).deleted)
            .sort((a, b) => a - b),
          [4, 5, 11],
        );
        assert.ok(
          rows.some((r) => r.target === "topic:__consumer_offsets" && r.result === "refused"),
        );
      });
    } finally {
      shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
