/**
 * Export a whole search against the real broker: NDJSON and CSV of every
 * message matching the browser's filters, to the end of the range; a
 * budget that stops it part-way and the resume URL of its last line that
 * exports the rest — every match once, none twice; bytes that are not
 * UTF-8 as base64; a stream slot held while it streams (a 429 for one more)
 * and freed when the client goes; each export audited; the browser's link.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Partitioners } from "kafkajs";
import { adminKafka, createTopics, randomName } from "./helpers.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { consoleReader } from "./console_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { LogClient } from "../shared/kafka/wire/log_client.ts";
import { newReadStats, readRanges } from "../services/console/messages/range_reader.ts";

const TOTAL = 30_000;

Deno.test({
  name: "console export - a whole search streamed, resumed from its last line, every match once",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const kafka = adminKafka();
    const topic = randomName("t-export");
    const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-export-" });
    const messages = consoleReader({ limits: { total: 3, perUser: 1, operatorReserved: 1 } });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, {
      auth: testAuth(),
      messages,
    });
    const get = (path: string, user: "viewer" | "operator" = "viewer") =>
      Promise.resolve(app.fetch(new Request(`http://127.0.0.1${path}`, { headers: basic(user) })));
    const base = `/api/topics/${topic}/messages/export`;
    try {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      for (let i = 0; i < TOTAL; i += 5_000) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: 5_000 }, (_, j) => {
            const n = i + j;
            return {
              key: n % 1_000 === 7 ? Buffer.from([0xff, 0xfe, n % 256]) : `k${n}`,
              value: n === 42
                ? null
                : `{"n":${n},"tag":"${n % 3 === 0 ? "match" : "other"}","s":"a,b \\"q\\""}`,
              headers: { h: `v${n}` },
            };
          }),
        });
      }
      await producer.disconnect();
      const matching = Array.from({ length: TOTAL }, (_, n) => n).filter((n) =>
        n !== 42 && n % 3 === 0
      );

      await t.step(
        "NDJSON with a filter, stopped by its budget, resumed to the end: each match once",
        async () => {
          const seen = new Map<string, number>();
          let url: string | undefined = `${base}?value=%22match%22&maxMessages=7000`;
          const stops: string[] = [];
          while (url) {
            const res = await get(url);
            assert.equal(res.status, 200, url);
            assert.equal(res.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
            const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
            const { end } = lines.pop();
            for (const m of lines) {
              const id = `${m.partition}:${m.offset}`;
              assert.ok(!seen.has(id), `${id} exported twice`);
              seen.set(id, JSON.parse(m.value).n);
              assert.equal(m.topic, topic);
              assert.equal(m.headers.h, `v${JSON.parse(m.value).n}`);
            }
            stops.push(end.stop);
            assert.ok(end.scanned <= 7_000, `scanned ${end.scanned} within the budget`);
            url = end.resume;
          }
          assert.deepEqual([...seen.values()].sort((a, b) => a - b), matching);
          assert.deepEqual(stops, ["messages", "messages", "messages", "messages", "end"]);
        },
      );

      await t.step(
        "everything, without a filter: binary keys as base64, a tombstone as null",
        async () => {
          const res = await get(`${base}?maxMessages=100000`);
          const lines = (await res.text()).trim().split("\n").map((l) => JSON.parse(l));
          const { end } = lines.pop();
          assert.deepEqual([end.stop, end.exported, end.resume], ["end", TOTAL, undefined]);
          const tombstone = lines.find((m) => m.key === "k42");
          assert.equal(tombstone.value, null);
          const binary = lines.find((m) => m.keyEncoding === "base64");
          assert.deepEqual([...Buffer.from(binary.key, "base64")].slice(0, 2), [0xff, 0xfe]);
        },
      );

      await t.step("CSV: a header row, quoted fields, the end as a # line", async () => {
        const res = await get(`${base}?format=csv&value=%22n%22%3A3%2C`);
        assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
        const text = await res.text();
        const lines = text.trim().split("\n");
        assert.equal(lines[0], "partition,offset,timestamp,key,value,headers");
        assert.match(
          lines.at(-1)!,
          /^# end stop=end exported=1 scanned=30000 positions=0:\d+,1:\d+,2:\d+$/,
        );
        assert.equal(lines.length, 3, text);
        assert.match(
          lines[1],
          /^\d,\d+,\d{4}-.*Z,k3,"\{""n"":3,""tag"":""match"",""s"":""a,b \\""q\\""""\}","\{""h"":""v3""\}"$/,
        );
      });

      await t.step("bad queries: every problem at once", async () => {
        const res = await get(`${base}?seek=newest&format=xml`);
        assert.equal(res.status, 400);
        assert.match(
          (await res.json()).error.message,
          /format: expected ndjson or csv; seek: an export reads forward/,
        );
        assert.equal((await get(`/api/topics/${randomName("nope")}/messages/export`)).status, 404);
      });

      await t.step(
        "it holds a stream slot while it streams, and frees it when the client goes",
        async () => {
          // Not read: the stream holds its first chunk and waits for the client (and its slot).
          const slow = await get(`${base}?maxMessages=1000000`);
          const refused = await get(`${base}?value=x`);
          if (refused.status !== 429) await refused.body?.cancel();
          assert.equal(refused.status, 429);
          assert.match((await refused.json()).error.message, /viewer holds 1 of the 1 searches/);
          await slow.body!.cancel();
          await new Promise((r) => setTimeout(r, 200));
          const again = await get(`${base}?partition=1&value=nothing-matches&maxMessages=10`);
          assert.equal(again.status, 200);
          await again.body?.cancel();
        },
      );

      await t.step("each export is audited with how it ended", async () => {
        await new Promise((r) => setTimeout(r, 200));
        const res = await get("/api/audit?action=message.export&limit=50");
        const entries = (await res.json()).entries.filter((e: { target: string }) =>
          e.target === `topic:${topic}`
        );
        const stops = entries.map((e: { detail: string }) => JSON.parse(e.detail).stop);
        assert.ok(
          stops.includes("cancelled") && stops.includes("messages") && stops.includes("end"),
          String(stops),
        );
      });

      await t.step("the message browser links the export of its query", async () => {
        const res = await get(`/console/topics/${topic}/messages?value=match`);
        const html = await res.text();
        assert.match(
          html,
          new RegExp(`href="/api/topics/${topic}/messages/export\\?value=match&amp;format=ndjson"`),
        );
        assert.match(html, /format=csv"/);
      });
    } finally {
      shutdown();
      await messages.close();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "range reader - a range ending inside a batch stops at its end, so the next one loses none",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const kafka = adminKafka();
    const topic = randomName("t-range");
    const drop = await createTopics(kafka, [{ topic, numPartitions: 1 }]);
    const client = new LogClient(kafka);
    try {
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      // One batch of offsets 0-99.
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: 100 }, (_, n) => ({ value: `v${n}` })),
      });
      await producer.disconnect();
      const seen: number[] = [];
      const read = (from: number, until: number) =>
        readRanges(client, topic, [{ partition: 0, from, until }], (c) => {
          seen.push(c.offset);
        }, { partitionMaxBytes: 1024 * 1024, stats: newReadStats() });
      const first = await read(0, 30);
      assert.equal(first.get(0), 30, "the position is the range's end, not the batch's");
      await read(first.get(0)!, 100);
      assert.deepEqual(seen, Array.from({ length: 100 }, (_, n) => n));
    } finally {
      await client.close();
      await drop();
    }
  },
});
