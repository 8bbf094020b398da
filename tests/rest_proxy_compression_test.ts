/**
 * The REST proxy compresses a request's records as it asks
 * (`?compression=`), else with the web principal's setting
 * (`KAFKA_WEB_COMPRESSION`); the batches in Kafka carry that codec and
 * read back whole.
 */
import assert from "node:assert/strict";
import { COMPRESSION_CODECS } from "../shared/kafka/codecs/codecs.ts";
import { KAFKA_JSON_V2 } from "../services/rest_proxy/mod.ts";
import { adminAsWebEnv, restProxyFixture } from "./rest_proxy_helpers.ts";
import { batchCodecs } from "./codecs_helpers.ts";

const records = (tag: string) => ({
  records: Array.from({ length: 20 }, (_, n) => ({
    partition: 0,
    value: { tag, n, pad: "x".repeat(100) },
  })),
});

Deno.test({
  name: "rest proxy - ?compression= picks the codec of the request's batch",
  sanitizeResources: false,
  async fn(t) {
    const fx = await restProxyFixture({
      env: { ...adminAsWebEnv(), KAFKA_WEB_COMPRESSION: "zstd" },
    });
    const topic = `${fx.prefix}primeiro_topico`;
    try {
      let expected = 0;
      for (const [id, codec] of COMPRESSION_CODECS.entries()) {
        await t.step(codec, async () => {
          const before = await batchCodecs(fx.kafka, topic);
          const res = await fx.post(
            `/topics/primeiro_topico?compression=${codec}`,
            records(codec),
            {
              "content-type": KAFKA_JSON_V2,
            },
          );
          assert.equal(res.status, 200, JSON.stringify(res.body));
          const after = await batchCodecs(fx.kafka, topic);
          assert.equal((after.get(id) ?? 0) - (before.get(id) ?? 0), 1, `one more ${codec} batch`);
          expected += 20;
        });
      }

      await t.step("without the parameter: the web principal's KAFKA_WEB_COMPRESSION", async () => {
        const before = (await batchCodecs(fx.kafka, topic)).get(4) ?? 0;
        const res = await fx.post("/topics/primeiro_topico", records("default"), {
          "content-type": KAFKA_JSON_V2,
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal((await batchCodecs(fx.kafka, topic)).get(4), before + 1);
        expected += 20;
      });

      await t.step("every record reads back", async () => {
        const read = await fx.read("primeiro_topico");
        assert.equal(read.length, expected);
        const tags = new Set(read.map((m) => JSON.parse(new TextDecoder().decode(m.value!)).tag));
        assert.deepEqual([...tags].sort(), [...COMPRESSION_CODECS, "default"].sort());
      });

      await t.step("an unknown codec is refused with 422, naming the choices", async () => {
        const res = await fx.post("/topics/primeiro_topico?compression=brotli", records("x"), {
          "content-type": KAFKA_JSON_V2,
        });
        assert.equal(res.status, 422);
        assert.equal(res.body.error_code, 422);
        assert.match(
          res.body.message,
          /compression: expected one of none, gzip, snappy, lz4, zstd/,
        );
      });
    } finally {
      await fx.cleanup();
    }
  },
});
