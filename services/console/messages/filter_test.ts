import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import RecordBatchModule from "kafkajs/src/protocol/recordBatch/v0/index.js";
import RecordModule from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import { compileFilter, exactKey, type MessageFilter } from "./filter.ts";
import { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

// deno-lint-ignore no-explicit-any
const { RecordBatch } = RecordBatchModule as any;
// deno-lint-ignore no-explicit-any
const Record = RecordModule as any;

type Input = { key: string | null; value: string | null; headers?: Record<string, string> };

async function matches(records: Input[], filter: MessageFilter): Promise<number[]> {
  const encoded = await RecordBatch({
    firstOffset: "0",
    lastOffsetDelta: records.length - 1,
    records: records.map((r, i) =>
      Record({
        offsetDelta: i,
        key: r.key === null ? null : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
        headers: r.headers,
      })
    ),
  });
  const cursor = new RecordCursor(new Uint8Array(encoded.buffer), { fromOffset: 0 });
  const test = compileFilter(filter);
  const out: number[] = [];
  while (cursor.next()) if (test(cursor)) out.push(cursor.offset);
  return out;
}

const RECORDS: Input[] = [
  { key: "order-1", value: '{"status":"PAGO","total":10}', headers: { source: "web" } },
  { key: "order-10", value: '{"status":"FALHA"}', headers: { source: "batch" } },
  { key: null, value: "PAGO PAGO" },
  { key: "order-2", value: null, headers: { source: "web", trace: "" } },
  { key: "ördér-3", value: "é PAGO" },
];

Deno.test("compileFilter - plain byte matching on key, value and headers", async (t) => {
  await t.step("value contains, across records of one batch", async () => {
    assert.deepEqual(await matches(RECORDS, { value: { text: "PAGO", mode: "contains" } }), [
      0,
      2,
      4,
    ]);
    assert.deepEqual(
      await matches(RECORDS, { value: { text: '"status":"FALHA"', mode: "contains" } }),
      [1],
    );
  });
  await t.step("a hit in a key or header never counts for the value", async () => {
    assert.deepEqual(await matches(RECORDS, { value: { text: "order", mode: "contains" } }), []);
    assert.deepEqual(await matches(RECORDS, { value: { text: "web", mode: "contains" } }), []);
  });
  await t.step("key equals is exact; contains finds UTF-8 text", async () => {
    assert.deepEqual(await matches(RECORDS, { key: { text: "order-1", mode: "equals" } }), [0]);
    assert.deepEqual(await matches(RECORDS, { key: { text: "order-1", mode: "contains" } }), [
      0,
      1,
    ]);
    assert.deepEqual(await matches(RECORDS, { key: { text: "ördér", mode: "contains" } }), [4]);
  });
  await t.step("header by name, and by name and value", async () => {
    assert.deepEqual(await matches(RECORDS, { header: { name: "source" } }), [0, 1, 3]);
    assert.deepEqual(
      await matches(RECORDS, {
        header: { name: "source", value: { text: "web", mode: "equals" } },
      }),
      [0, 3],
    );
    assert.deepEqual(
      await matches(RECORDS, { header: { name: "trace", value: { text: "", mode: "equals" } } }),
      [3],
    );
  });
  await t.step("filters combine; null keys and tombstones never match a text", async () => {
    assert.deepEqual(
      await matches(RECORDS, {
        key: { text: "order", mode: "contains" },
        value: { text: "PAGO", mode: "contains" },
      }),
      [0],
    );
    assert.deepEqual(await matches(RECORDS, { value: { text: "", mode: "equals" } }), []);
  });
  await t.step("only an exact key names a partition", () => {
    assert.equal(exactKey({ key: { text: "k", mode: "equals" } }), "k");
    assert.equal(exactKey({ key: { text: "k", mode: "contains" } }), undefined);
  });
});
