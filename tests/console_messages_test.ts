/**
 * The console's message browser against the real broker, as the `console`
 * principal, through GET /api/topics/:topic/messages in process: seeking
 * newest, oldest, an offset and a time over known data; paging older and
 * newer without gaps or repeats; key, value and header filters; an exact-key
 * search that reads only the key's partition; tombstones and cut values;
 * clear errors. And on a topic of more than 100,000 messages: the newest 50
 * come from the end offsets without scanning, and a cancelled search stops.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Partitioners } from "kafkajs";
import { browse } from "../services/console/messages/browse.ts";
import type { ScanProgress } from "../services/console/messages/browse_types.ts";
import { keyPartition } from "../shared/kafka/key_partition.ts";
import { LogClient } from "../shared/kafka/wire/log_client.ts";
import type { PageJson } from "../services/console/messages/web/page_json.ts";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";
import { consoleReader } from "./console_helpers.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { sseReader } from "./web_helpers.ts";

/** A GET as the viewer (HTTP Basic): the console needs a login. */
const viewerRequest = (url: string) => new Request(url, { headers: basic("viewer") });

const T0 = Date.parse("2024-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** 90 messages: i = 0..89, keyed `key-<i % 10>`, at T0 + (i / 30) hours + i ms. */
function knownMessages() {
  return Array.from({ length: 90 }, (_, i) => ({
    key: `key-${i % 10}`,
    value: JSON.stringify({ i, status: i % 3 === 0 ? "PAGO" : "PENDENTE" }),
    headers: { kind: i % 2 === 0 ? "even" : "odd", seq: String(i) },
    timestamp: String(T0 + Math.floor(i / 30) * HOUR + i),
  }));
}

async function send(
  kafka: ReturnType<typeof adminKafka>,
  topic: string,
  messages: {
    key: string | Uint8Array | null;
    value: string | Uint8Array | null;
    headers?: Record<string, string>;
    timestamp?: string;
  }[],
) {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 5_000) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.slice(i, i + 5_000).map((m) => ({
          ...m,
          key: m.key === null || typeof m.key === "string" ? m.key : Buffer.from(m.key),
          value: m.value === null ? null : Buffer.from(m.value),
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

const seqOf = (page: PageJson) => page.messages.map((m) => JSON.parse(m.value!.text).i as number);

Deno.test("console messages - seek, page, filter and render known data", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("console-msgs");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-msgs-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  const get = async (query: string) => {
    const res = await app.fetch(
      viewerRequest(`http://127.0.0.1/api/topics/${topic}/messages?${query}`),
    );
    return { status: res.status, body: await res.json() };
  };
  const page = async (query: string): Promise<PageJson> => {
    const { status, body } = await get(query);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };
  try {
    await send(kafka, topic, knownMessages());

    await t.step("newest: the last messages by time, newest first", async () => {
      const p = await page("limit=5");
      assert.equal(p.order, "newest-first");
      assert.deepEqual(seqOf(p), [89, 88, 87, 86, 85]);
      assert.equal(p.stats.fetches, 1);
    });

    await t.step("oldest, offset and timestamp seek forward", async () => {
      assert.deepEqual(seqOf(await page("seek=oldest&limit=4")), [0, 1, 2, 3]);
      const p1 = await page("seek=offset&offset=3&partition=1&limit=3");
      assert.deepEqual(p1.messages.map((m) => [m.partition, m.offset]), [[1, 3], [1, 4], [1, 5]]);
      const at = new Date(T0 + HOUR).toISOString();
      assert.deepEqual(seqOf(await page(`seek=timestamp&timestamp=${at}&limit=3`)), [30, 31, 32]);
      assert.deepEqual(seqOf(await page(`seek=timestamp&timestamp=${T0 + 2 * HOUR + 70}`)), [
        ...Array.from({ length: 20 }, (_, k) => 70 + k),
      ]);
    });

    await t.step("older pages from newest cover every message once", async () => {
      const seen: number[] = [];
      let p = await page("limit=7");
      for (let n = 0; n < 20; n++) {
        seen.push(...seqOf(p));
        if (!p.links.older) break;
        p = await page(p.links.older.split("?")[1]);
      }
      assert.deepEqual(seen, Array.from({ length: 90 }, (_, k) => 89 - k));
      assert.equal(p.older, undefined);
    });

    await t.step("newer pages from oldest cover every message once, then say so", async () => {
      const seen: number[] = [];
      let p = await page("seek=oldest&limit=11");
      for (let n = 0; n < 20 && p.messages.length > 0; n++) {
        seen.push(...seqOf(p));
        p = await page(p.links.newer.split("?")[1]);
      }
      assert.deepEqual(seen, Array.from({ length: 90 }, (_, k) => k));
      assert.equal(p.atEnd, true);
    });

    await t.step("an exact key reads only the partition the key hashes to", async () => {
      const p = await page("key=key-4&limit=50");
      const partition = keyPartition("key-4", 3);
      assert.deepEqual(p.keyPartition, { partition, partitions: 3 });
      assert.deepEqual(p.partitions.map((x) => x.partition), [partition]);
      assert.deepEqual(seqOf(p), [84, 74, 64, 54, 44, 34, 24, 14, 4]);
      const high = p.partitions[0].high;
      assert.equal(p.scan!.scanned, high, "scanned that partition, nothing else");
      assert.equal(p.scan!.stop, "end");
      const everywhere = await page("key=key-4&limit=50&everyPartition=1");
      assert.equal(everywhere.keyPartition, undefined);
      assert.equal(everywhere.scan!.scanned, 90);
      assert.deepEqual(seqOf(everywhere), seqOf(p));
    });

    await t.step("value, key and header filters match plain text", async () => {
      assert.deepEqual(seqOf(await page('value="i":8&limit=50')).sort((a, b) => a - b), [
        8,
        80,
        81,
        82,
        83,
        84,
        85,
        86,
        87,
        88,
        89,
      ]);
      assert.deepEqual(seqOf(await page("value=PAGO&valueMatch=contains&limit=3")), [87, 84, 81]);
      assert.deepEqual(seqOf(await page("key=ey-7&keyMatch=contains&limit=2")), [87, 77]);
      assert.deepEqual(seqOf(await page("header=seq&headerValue=42&headerMatch=equals")), [42]);
      assert.deepEqual(seqOf(await page("header=kind&headerValue=odd&limit=2&seek=oldest")), [
        1,
        3,
      ]);
      const none = await page("value=nowhere");
      assert.deepEqual(none.messages, []);
      assert.equal(none.scan!.stop, "end");
      assert.equal(none.scan!.scanned, 90);
    });

    await t.step("the limit stops a search and its cursor continues it", async () => {
      const first = await page("seek=oldest&value=PAGO&limit=4");
      assert.equal(first.scan!.stop, "limit");
      assert.deepEqual(seqOf(first), [0, 3, 6, 9]);
      const next = await page(`${first.links.newer.split("?")[1]}`);
      assert.deepEqual(seqOf(next).slice(0, 3), [12, 15, 18]);
    });

    await t.step("a message budget stops a search at that many messages and says so", async () => {
      const p = await page("seek=oldest&value=nowhere&maxMessages=40");
      assert.equal(p.scan!.stop, "messages");
      assert.equal(p.scan!.scanned, 40);
      const next = new URLSearchParams(p.links.newer.split("?")[1]);
      next.set("maxMessages", "1000");
      const rest = await page(String(next));
      assert.equal(rest.scan!.scanned, 50, "the next page continues where the budget ran out");
    });

    await t.step(
      "tombstones, binary keys and values, a 1 MB value, headers render as data",
      async () => {
        const big = JSON.stringify({ blob: "y".repeat(1_000_000 - 12) }); // 1 MB: the broker's limit
        await send(kafka, topic, [
          { key: "tomb", value: null },
          { key: "big", value: big, headers: { "content-type": "application/json" } },
          {
            key: new Uint8Array([0xff, 0xfe, 0, 1]),
            value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
          },
        ]);
        const p = await page("limit=3");
        assert.ok(JSON.stringify(p).length < 100_000, "the page carries 20 KB of the 1 MB value");
        const byKey = (key: string) => p.messages.find((m) => m.key?.text === key)!;
        const [bigOne, tomb, binary] = [byKey("big"), byKey("tomb"), byKey("fffe0001")];
        assert.equal(tomb.value, null);
        assert.equal(tomb.key!.text, "tomb");
        assert.deepEqual([binary.key!.kind, binary.value!.kind, binary.value!.text], [
          "binary",
          "binary",
          "deadbeef",
        ]);
        assert.equal(bigOne.value!.truncated, true);
        assert.equal(bigOne.value!.size, big.length);
        assert.equal(bigOne.value!.text.length, 20 * 1024);
        assert.equal(bigOne.headers[0].name, "content-type");
        const full = await app.fetch(viewerRequest(`http://127.0.0.1${bigOne.links.value}`));
        assert.equal(full.headers.get("content-type"), "text/plain; charset=utf-8");
        assert.equal(await full.text(), big);
        const one = await app.fetch(
          viewerRequest(
            `http://127.0.0.1/api/topics/${topic}/messages/${bigOne.partition}/${bigOne.offset}`,
          ),
        );
        assert.equal((await one.json()).offset, bigOne.offset);
        const json = (await page("seek=oldest&limit=1")).messages[0].value!;
        assert.equal(json.kind, "json");
        assert.match(json.text, /^\{\n {2}"i": 0,/);
      },
    );

    await t.step("bad queries and unknown topics get clear errors", async () => {
      const bad = await get("seek=offset&limit=501&keyMatch=regex&key=x");
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /offset: expected/);
      assert.match(bad.body.error.message, /limit: expected an integer from 1 to 500/);
      assert.match(bad.body.error.message, /keyMatch: expected contains or equals/);
      const missing = await app.fetch(
        viewerRequest(`http://127.0.0.1/api/topics/${randomName("none")}/messages`),
      );
      assert.equal(missing.status, 404);
      await missing.body?.cancel();
      const invalid = await app.fetch(viewerRequest("http://127.0.0.1/api/topics/a%20b/messages"));
      assert.equal(invalid.status, 400);
      await invalid.body?.cancel();
      const anonymous = await app.fetch(
        new Request(`http://127.0.0.1/api/topics/${topic}/messages`),
      );
      assert.equal(anonymous.status, 401, "the console needs a login");
      await anonymous.body?.cancel();
    });

    await t.step("the export is the shown page, pinned to its start", async () => {
      const p = await page("limit=3");
      await send(kafka, topic, [{ key: "later", value: "arrived after the page" }]);
      const res = await app.fetch(viewerRequest(`http://127.0.0.1${p.links.export}`));
      assert.match(res.headers.get("content-disposition")!, /attachment/);
      const exported: PageJson = await res.json();
      assert.deepEqual(exported.messages.map((m) => m.offset), p.messages.map((m) => m.offset));
    });
  } finally {
    shutdown();
    await drop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("console messages - a topic of 120,000 messages: newest 50 without a scan; a search stops when cancelled", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("console-big");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-big-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  const total = 120_000;
  const value = "v".repeat(120);
  try {
    await send(
      kafka,
      topic,
      Array.from({ length: total }, (_, i) => ({ key: `k${i}`, value: `${i}:${value}` })),
    );
    const topicBytes = total * (value.length + 12);

    await t.step("newest 50: one fetch from the end offsets, a few batches read", async () => {
      const res = await app.fetch(
        viewerRequest(`http://127.0.0.1/api/topics/${topic}/messages?limit=50`),
      );
      const p: PageJson = await res.json();
      assert.equal(p.messages.length, 50);
      const highs = p.partitions.reduce((n, x) => n + x.high, 0);
      assert.equal(highs, total);
      assert.equal(p.stats.fetches, 1);
      assert.ok(p.stats.scanned <= 150, `walked ${p.stats.scanned} records`);
      assert.ok(p.stats.bytes < topicBytes / 20, `read ${p.stats.bytes} of ~${topicBytes} bytes`);
      const high = new Map(p.partitions.map((x) => [x.partition, x.high]));
      for (const m of p.messages) {
        assert.ok(
          m.offset >= high.get(m.partition)! - 50,
          `${m.partition}:${m.offset} is among the newest`,
        );
      }
    });

    await t.step("a search aborted at its first progress stops there", async () => {
      const client = new LogClient(kafka);
      const abort = new AbortController();
      const progress: ScanProgress[] = [];
      try {
        const p = await browse(client, {
          topic,
          seek: { kind: "newest" },
          limit: 50,
          filter: { value: { text: "never there", mode: "contains" } },
          budget: { maxMessages: 10_000_000, maxMs: 60_000 },
          signal: abort.signal,
          progressEveryMs: 0,
          onProgress: (x) => {
            progress.push(x);
            abort.abort();
          },
        });
        assert.equal(p.scan!.stop, "cancelled");
        assert.ok(p.scan!.scanned < total, `scanned ${p.scan!.scanned}`);
        assert.equal(p.scan!.scanned, progress[0].scanned, "nothing read after the abort");
      } finally {
        await client.close();
      }
    });
  } finally {
    shutdown();
    await drop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("console messages - live tail: at most ~20 a second shown, the rest counted, stopped when closed", async () => {
  const kafka = adminKafka();
  const topic = randomName("console-tail");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-tail-" });
  const reader = consoleReader();
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, {
    auth: testAuth(),
    messages: reader,
  });
  try {
    await send(kafka, topic, [{ key: "old", value: "before the tail" }]);
    const res = await app.fetch(
      viewerRequest(`http://127.0.0.1/api/topics/${topic}/messages/tail`),
    );
    assert.equal(res.status, 200);
    const sse = sseReader(res);
    await sse.until(() => sse.events.some((e) => e.event === "open"), 5_000);
    assert.deepEqual(reader.active().map((a) => [a.kind, a.topic]), [["tail", topic]]);
    const burst = Array.from({ length: 300 }, (_, i) => ({ key: `k${i}`, value: `burst ${i}` }));
    await send(kafka, topic, burst);
    const batches = () =>
      sse.events.filter((e) => e.event === "messages").map((e) =>
        JSON.parse(e.data) as { messages: { value: { text: string } }[]; skipped: number }
      );
    const count = () => batches().reduce((n, b) => n + b.messages.length + b.skipped, 0);
    await sse.until(() => count() >= 300, 10_000);
    const shown = batches().flatMap((b) => b.messages.map((m) => m.value.text));
    assert.equal(count(), 300, "every new message shown or counted, the old one not");
    assert.ok(shown.length >= 1 && shown.length <= 40, `${shown.length} shown at once`);
    assert.ok(shown.every((text) => text.startsWith("burst ")));
    await sse.cancel();
    await waitFor("the tail to stop", () => reader.active().length === 0, 3_000);
  } finally {
    shutdown();
    await drop();
    await Deno.remove(dataDir, { recursive: true });
  }
});
