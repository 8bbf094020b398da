/**
 * The Confluent REST Proxy v2 produce API against the real broker, with
 * requests shaped like the examples of Confluent's v2 API reference: json
 * records with a key (Java's murmur2 partition), binary records with a
 * partition, records to one partition; per-record errors; every error code.
 */
import assert from "node:assert/strict";
import { KAFKA_BINARY_V2, KAFKA_JSON_V2, KAFKA_V2 } from "../services/rest_proxy/mod.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { javaMurmur2, javaPartition, restProxyFixture } from "./rest_proxy_helpers.ts";

const JSON_V2 = { "content-type": KAFKA_JSON_V2, accept: KAFKA_V2 };
const BINARY_V2 = { "content-type": KAFKA_BINARY_V2, accept: KAFKA_V2 };
const text = (bytes: Uint8Array | null) => bytes === null ? null : new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);
const ok = (partition: number, offset: number) => ({
  partition,
  offset,
  error_code: null,
  error: null,
});

Deno.test("rest proxy - the test murmur2 is Java's (vectors of Kafka's UtilsTest)", () => {
  assert.equal(javaMurmur2(bytes("21")), -973932308);
  assert.equal(javaMurmur2(bytes("foobar")), -790332482);
  assert.equal(javaMurmur2(bytes("a-little-bit-long-string")), -985981536);
  assert.equal(javaMurmur2(bytes("a-little-bit-longer-string")), -1486304829);
  assert.equal(javaMurmur2(bytes("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8")), -58897971);
});

Deno.test("rest proxy - v2 produce requests land in Kafka as the Confluent proxy would write them", async (t) => {
  const fx = await restProxyFixture();
  try {
    await t.step(
      "json: keyed, explicit-partition and keyless records; one offset each, in order",
      async () => {
        const res = await fx.post("/topics/demands.created", {
          records: [
            { key: "somekey", value: { foo: "bar" } },
            { value: ["foo", "bar"], partition: 1 },
            { value: 53.5 },
          ],
        }, JSON_V2);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.type, KAFKA_V2);
        assert.equal(res.body.key_schema_id, null);
        assert.equal(res.body.value_schema_id, null);
        assert.equal(res.body.offsets.length, 3);
        // The key is the JSON text `"somekey"` (quotes included), hashed as Java hashes it.
        const keyPartition = javaPartition(bytes('"somekey"'), 3);
        assert.deepEqual(res.body.offsets[0], ok(keyPartition, 0));
        assert.equal(res.body.offsets[1].partition, 1);
        for (const entry of res.body.offsets) assert.equal(entry.error_code, null);

        const messages = await fx.read("demands.created");
        assert.equal(messages.length, 3);
        const find = (p: number, o: number) =>
          messages.find((m) => m.partition === p && m.offset === o)!;
        const keyed = find(keyPartition, res.body.offsets[0].offset);
        assert.equal(keyed.key, '"somekey"');
        assert.equal(text(keyed.value), '{"foo":"bar"}');
        const second = find(1, res.body.offsets[1].offset);
        assert.equal(second.key, null);
        assert.equal(text(second.value), '["foo","bar"]');
        const third = find(res.body.offsets[2].partition, res.body.offsets[2].offset);
        assert.equal(text(third.value), "53.5");
        for (const m of messages) {
          assert.equal(m.headers.ce_type, "demands.created");
          assert.equal(m.headers.ce_source, "freshet/rest-proxy");
          assert.equal(m.headers["content-type"], "application/json");
          assert.match(m.headers.ce_id, /^[0-9a-f-]{36}$/);
          assert.ok(!Number.isNaN(Date.parse(m.headers.ce_time)));
        }
        assert.equal(new Set(messages.map((m) => m.headers.ce_id)).size, 3);
      },
    );

    await t.step("binary: base64 keys and values, one record with a partition", async () => {
      const res = await fx.post("/topics/extra.events", {
        records: [
          { key: "a2V5", value: "Y29uZmx1ZW50" },
          { value: "a2Fma2E=", partition: 1 },
          { value: "bG9ncw==" },
        ],
      }, BINARY_V2);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body.offsets[0], ok(javaPartition(bytes("key"), 2), 0));
      assert.equal(res.body.offsets[1].partition, 1);
      const messages = await fx.read("extra.events");
      const byValue = new Map(messages.map((m) => [text(m.value), m]));
      assert.equal(byValue.get("confluent")?.key, "key");
      assert.equal(byValue.get("confluent")?.partition, res.body.offsets[0].partition);
      assert.equal(byValue.get("kafka")?.partition, 1);
      assert.equal(byValue.get("kafka")?.key, null);
      assert.ok(byValue.has("logs"));
      assert.equal(byValue.get("logs")?.headers["content-type"], "application/octet-stream");
    });

    await t.step("partition endpoint: every record goes to the URL's partition", async () => {
      const res = await fx.post("/topics/demands.created/partitions/2", {
        records: [{ key: "somekey", value: { foo: "bar" } }, { value: 53.5 }],
      }, JSON_V2);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const before = (await fx.read("demands.created")).filter((m) => m.partition === 2).length - 2;
      assert.deepEqual(res.body.offsets, [ok(2, before), ok(2, before + 1)]);
      const binary = await fx.post("/topics/extra.events/partitions/0", {
        records: [{ key: "a2V5", value: "Y29uZmx1ZW50" }, { value: "a2Fma2E=" }],
      }, BINARY_V2);
      assert.deepEqual(binary.body.offsets.map((o: { partition: number }) => o.partition), [0, 0]);
    });

    await t.step("a null or missing value is a Kafka null (tombstone)", async () => {
      const res = await fx.post("/topics/primeiro_topico", {
        records: [{ key: "gone", value: null }, { key: "gone-too" }],
      }, JSON_V2);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const messages = await fx.read("primeiro_topico");
      assert.deepEqual(messages.map((m) => [m.key, m.value]), [['"gone"', null], [
        '"gone-too"',
        null,
      ]]);
    });

    await t.step(
      "a record naming a partition the topic lacks fails alone; the others land",
      async () => {
        const res = await fx.post("/topics/extra.events", {
          records: [{ value: "b2s=" }, { value: "bm8=", partition: 99 }, { value: "b2sy" }],
        }, BINARY_V2);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const [first, bad, third] = res.body.offsets;
        assert.equal(first.error_code, null);
        assert.equal(third.error_code, null);
        assert.deepEqual(bad, {
          partition: null,
          offset: null,
          error_code: 1,
          error: "Invalid partition given with record: 99 is not in the range [0...2).",
        });
        const values = (await fx.read("extra.events")).map((m) => text(m.value));
        assert.ok(values.includes("ok") && values.includes("ok2") && !values.includes("no"));
      },
    );

    await t.step(
      "a partition added to the topic: landed or reported retriable, never lost",
      async () => {
        await withAdmin(fx.kafka, (admin) =>
          admin.createPartitions({
            topicPartitions: [{ topic: `${fx.prefix}extra.events`, count: 3 }],
          }));
        await new Promise((r) => setTimeout(r, 1_100)); // past the cache's refresh guard
        const res = await fx.post("/topics/extra.events", {
          records: [{ value: "bmV3", partition: 2 }],
        }, BINARY_V2);
        // The cache sees the new partition at once; KafkaJS's producer only when its
        // metadata expires (10 s here) and until then skips the partition without an error,
        // which the kernel's send turns into PartitionUnknownError (retriable).
        const [entry] = res.body.offsets;
        const landed = (await fx.read("extra.events")).filter((m) => m.partition === 2);
        if (entry.error_code === null) {
          assert.deepEqual(entry, ok(2, 0));
          assert.equal(landed.length, 1);
        } else {
          assert.equal(entry.error_code, 2);
          assert.match(
            entry.error,
            /does not know partition 2 yet|not in the producer's metadata yet/,
          );
          assert.equal(landed.length, 0);
        }
        const beyond = await fx.post("/topics/extra.events", {
          records: [{ value: "bmV3", partition: 3 }],
        }, BINARY_V2);
        assert.equal(beyond.body.offsets[0].error_code, 1);
      },
    );

    await t.step("Accept: application/json gets application/json; errors too", async () => {
      const res = await fx.post("/topics/primeiro_topico", { records: [{ value: 1 }] }, {
        "content-type": KAFKA_JSON_V2,
        accept: "application/json",
      });
      assert.equal(res.status, 200);
      assert.equal(res.type, "application/json");
      const missing = await fx.post("/topics/extra.missing", { records: [{ value: 1 }] }, {
        "content-type": KAFKA_JSON_V2,
      });
      assert.equal(missing.type, KAFKA_V2);
    });

    await t.step("40401: an allowed topic that does not exist", async () => {
      const res = await fx.post("/topics/extra.missing", { records: [{ value: 1 }] }, JSON_V2);
      assert.equal(res.status, 404);
      assert.equal(res.type, KAFKA_V2);
      assert.deepEqual(res.body, { error_code: 40401, message: "Topic not found." });
    });

    await t.step("40402: a partition the topic lacks, or not a number", async () => {
      for (const partition of ["99", "3", "x", "-1"]) {
        const res = await fx.post(`/topics/demands.created/partitions/${partition}`, {
          records: [{ value: 1 }],
        }, JSON_V2);
        assert.equal(res.status, 404, partition);
        assert.deepEqual(res.body, { error_code: 40402, message: "Partition not found." });
      }
    });

    await t.step("415: any other content type, application/json included", async () => {
      const body = { records: [{ value: 1 }] };
      for (
        const type of [
          "application/json",
          "application/vnd.kafka.v2+json",
          "application/vnd.kafka.thrift.v2+json",
          "text/plain",
          undefined,
        ]
      ) {
        const headers: Record<string, string> = type ? { "content-type": type } : {};
        const res = await fx.post("/topics/demands.created", body, headers);
        assert.equal(res.status, 415, String(type));
        assert.equal(res.body.error_code, 415);
        assert.match(res.body.message, /vnd\.kafka\.json\.v2\+json/);
      }
      const params = await fx.post("/topics/primeiro_topico", body, {
        "content-type": "Application/VND.kafka.json.v2+json; charset=utf-8",
      });
      assert.equal(params.status, 200, "media type parameters and case are ignored");
    });

    await t.step("400 and 422: bodies that are not v2 produce requests", async () => {
      const cases: [unknown, Record<string, string>, number, number, RegExp][] = [
        ["{not json", JSON_V2, 400, 400, /not JSON/],
        ["", JSON_V2, 422, 422, /empty/],
        [{}, JSON_V2, 422, 422, /records/],
        [[], JSON_V2, 422, 422, /records/],
        [{ records: [] }, JSON_V2, 422, 422, /non-empty/],
        [{ records: {} }, JSON_V2, 422, 422, /non-empty array/],
        [{ records: [7] }, JSON_V2, 422, 422, /records\[0\]: expected an object/],
        [{ records: [{ value: "%%%" }] }, BINARY_V2, 422, 42203, /records\[0\]\.value.*base64/],
        [{ records: [{ key: 12, value: "" }] }, BINARY_V2, 422, 42203, /records\[0\]\.key/],
        [
          { records: [{ value: 1 }, { value: 2, partition: "1" }] },
          JSON_V2,
          422,
          42203,
          /records\[1\]\.partition/,
        ],
        [{ records: [{ value: 1, partition: 1.5 }] }, JSON_V2, 422, 42203, /partition/],
        [{ records: [{ value: 1, partition: -1 }] }, JSON_V2, 422, 42203, /partition/],
      ];
      for (const [body, headers, status, code, message] of cases) {
        const res = await fx.post("/topics/demands.created", body, headers);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.body.error_code, code, JSON.stringify(body));
        assert.match(res.body.message, message);
      }
      const onPartition = await fx.post("/topics/demands.created/partitions/0", {
        records: [{ value: 1, partition: 1 }],
      }, JSON_V2);
      assert.equal(onPartition.status, 422);
      assert.equal(onPartition.body.error_code, 42203);
    });

    await t.step("403: internal topics and topics REST_PROXY_TOPICS does not allow", async () => {
      for (
        const topic of [
          "extra.x.dlq",
          "demands.created.dlq",
          "__consumer_offsets",
          "orders.created",
        ]
      ) {
        const res = await fx.post(`/topics/${topic}`, { records: [{ value: 1 }] }, JSON_V2);
        assert.equal(res.status, 403, topic);
        assert.equal(res.body.error_code, 40301, topic);
        assert.match(res.body.message, new RegExp(topic.replaceAll(".", "\\.")));
      }
      const viaPartition = await fx.post("/topics/orders.created/partitions/0", {
        records: [{ value: 1 }],
      }, JSON_V2);
      assert.equal(viaPartition.status, 403);
      assert.deepEqual(await fx.read("orders.created"), []);
    });

    await t.step("only POST: other methods get 405", async () => {
      const res = await fx.app.fetch(new Request("http://127.0.0.1:8000/topics/demands.created"));
      await res.body?.cancel();
      assert.equal(res.status, 405);
      assert.equal(res.headers.get("allow"), "POST");
    });
  } finally {
    await fx.cleanup();
  }
});

Deno.test("rest proxy - concurrent requests share sends; each record is where its response says", async () => {
  const fx = await restProxyFixture();
  try {
    // 24 requests at once, two topics, 10 keyed records each: while one send is in flight the
    // others wait and go together, so offsets are computed across merged requests.
    const requests = Array.from({ length: 24 }, (_, r) => ({
      topic: r % 4 === 3 ? "extra.events" : "demands.created",
      records: Array.from({ length: 10 }, (_, i) => ({
        key: `k${(r * 10 + i) % 7}`,
        value: { r, i },
      })),
    }));
    const responses = await Promise.all(
      requests.map((q) => fx.post(`/topics/${q.topic}`, { records: q.records }, JSON_V2)),
    );
    for (const topic of ["demands.created", "extra.events"]) {
      const messages = await fx.read(topic);
      const at = new Map(messages.map((m) => [`${m.partition}:${m.offset}`, m]));
      let expected = 0;
      const lastOffset = new Map<string, number>();
      requests.forEach((q, r) => {
        if (q.topic !== topic) return;
        const res = responses[r];
        assert.equal(res.status, 200, JSON.stringify(res.body));
        q.records.forEach((record, i) => {
          const place = res.body.offsets[i];
          assert.equal(place.error_code, null);
          const message = at.get(`${place.partition}:${place.offset}`);
          assert.ok(
            message,
            `request ${r} record ${i}: nothing at ${place.partition}:${place.offset}`,
          );
          assert.deepEqual(JSON.parse(text(message.value)!), record.value);
          assert.equal(message.key, JSON.stringify(record.key));
          // Records of one key keep the order of the requests that sent them (same partition).
          assert.ok((lastOffset.get(record.key) ?? -1) < place.offset, `order of ${record.key}`);
          lastOffset.set(record.key, place.offset);
          expected++;
        });
      });
      assert.equal(messages.length, expected, topic);
    }
  } finally {
    await fx.cleanup();
  }
});
