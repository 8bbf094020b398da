import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import RecordBatchModule from "kafkajs/src/protocol/recordBatch/v0/index.js";
import RecordModule from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import { RecordCursor } from "./record_batch.ts";
import { registerKafkaCodecs } from "../kafkajs_codecs.ts";
import { UNDECODABLE_HEADERS } from "../undecodable.ts";

// KafkaJS's own encoder of record batches (what its producer sends), as the reference.
// deno-lint-ignore no-explicit-any
const { RecordBatch } = RecordBatchModule as any;
// deno-lint-ignore no-explicit-any
const Record = RecordModule as any;

interface Input {
  key: string | null;
  value: string | null;
  headers?: Record<string, string>;
}

async function batch(
  baseOffset: number,
  records: Input[],
  options: {
    compression?: number;
    timestamp?: number;
    transactional?: boolean;
    producerId?: number;
  } = {},
): Promise<Uint8Array> {
  const timestamp = options.timestamp ?? 1_700_000_000_000;
  const encoded = await RecordBatch({
    compression: options.compression ?? 0,
    firstOffset: String(baseOffset),
    firstTimestamp: timestamp,
    maxTimestamp: timestamp + records.length,
    lastOffsetDelta: records.length - 1,
    transactional: options.transactional ?? false,
    producerId: String(options.producerId ?? -1),
    records: records.map((r, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: i,
        key: r.key === null ? null : Buffer.from(r.key),
        value: r.value === null ? null : Buffer.from(r.value),
        headers: r.headers,
      })
    ),
  });
  return new Uint8Array(encoded.buffer);
}

function readAll(data: Uint8Array, from = 0, until?: number) {
  const cursor = new RecordCursor(data, { fromOffset: from, untilOffset: until });
  const out = [];
  const text = (start: number, length: number) =>
    length < 0 ? null : new TextDecoder().decode(cursor.bytes.subarray(start, start + length));
  while (cursor.next()) {
    const headers: Record<string, string | null> = {};
    cursor.forEachHeader((ns, nl, vs, vl) => (headers[text(ns, nl)!] = text(vs, vl)));
    out.push({
      offset: cursor.offset,
      timestamp: cursor.timestamp,
      key: text(cursor.keyStart, cursor.keyLength),
      value: text(cursor.valueStart, cursor.valueLength),
      headers,
    });
  }
  return { records: out, nextOffset: cursor.nextOffset };
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

Deno.test("RecordCursor - reads KafkaJS-encoded batches: keys, values, headers, tombstones", async (t) => {
  const first = await batch(10, [
    { key: "a", value: '{"n":1}', headers: { h: "1", "ce_id": "x" } },
    { key: null, value: "no key" },
    { key: "gone", value: null },
  ]);
  const second = await batch(13, [{ key: "b", value: "é ünïcode" }], {
    timestamp: 1_800_000_000_000,
  });
  const data = concat(first, second);

  await t.step("every record, in order, with its fields", () => {
    const { records, nextOffset } = readAll(data);
    assert.deepEqual(records.map((r) => r.offset), [10, 11, 12, 13]);
    assert.deepEqual(records[0], {
      offset: 10,
      timestamp: 1_700_000_000_000,
      key: "a",
      value: '{"n":1}',
      headers: { h: "1", ce_id: "x" },
    });
    assert.equal(records[1].key, null);
    assert.equal(records[2].value, null, "a tombstone has a null value");
    assert.equal(records[1].timestamp, 1_700_000_000_001);
    assert.equal(records[3].value, "é ünïcode");
    assert.equal(nextOffset, 14);
  });

  await t.step("offsets below from and at or above until are skipped", () => {
    assert.deepEqual(readAll(data, 11, 13).records.map((r) => r.offset), [11, 12]);
    assert.deepEqual(readAll(data, 13).records.map((r) => r.offset), [13]);
  });

  await t.step("a partial batch at the end is left for the next fetch", () => {
    const cut = data.subarray(0, data.length - 5);
    const { records, nextOffset } = readAll(cut);
    assert.deepEqual(records.map((r) => r.offset), [10, 11, 12]);
    assert.equal(nextOffset, 13);
  });
});

Deno.test("RecordCursor - batches of every codec are decompressed", async (t) => {
  registerKafkaCodecs(); // KafkaJS's encoder writes snappy, lz4 and zstd with Freshet's codecs
  const names = ["none", "gzip", "snappy", "lz4", "zstd"];
  for (let codec = 0; codec < names.length; codec++) {
    await t.step(names[codec], async () => {
      const data = await batch(0, [{ key: "k", value: "v".repeat(1000) }, {
        key: "k2",
        value: "w",
      }], {
        compression: codec,
      });
      assert.equal(new DataView(data.buffer, data.byteOffset).getInt16(21) & 7, codec);
      assert.deepEqual(readAll(data).records.map((r) => [r.offset, r.key, r.value?.length]), [
        [0, "k", 1000],
        [1, "k2", 1],
      ]);
    });
  }
});

Deno.test("RecordCursor - a batch that cannot be decompressed reads as markers at its offsets", async (t) => {
  registerKafkaCodecs();
  const before = await batch(4, [{ key: "a", value: "before" }]);
  const after = await batch(8, [{ key: "b", value: "after" }]);
  const check = (broken: Uint8Array, code: string, reason: RegExp) => {
    const { records, nextOffset } = readAll(concat(before, broken, after));
    assert.deepEqual(records.map((r) => r.offset), [4, 5, 6, 7, 8]);
    assert.equal(nextOffset, 9);
    const markers = records.slice(1, 4);
    for (const m of markers) {
      assert.equal(m.key, null);
      assert.match(m.headers[UNDECODABLE_HEADERS.reason]!, reason);
      assert.equal(m.headers[UNDECODABLE_HEADERS.code], code);
      assert.equal(m.headers[UNDECODABLE_HEADERS.offsets], "5-7");
    }
    assert.ok(markers[0].value !== null, "the first marker keeps the batch's bytes");
    assert.equal(markers[1].value, null);
    assert.equal(records[4].value, "after");
  };

  await t.step("an unknown codec (attribute bits 5-7)", async () => {
    const data = await batch(5, [{ key: "k", value: "x" }, { key: "k", value: "y" }, {
      key: "k",
      value: "z",
    }]);
    new DataView(data.buffer, data.byteOffset).setInt16(21, 6); // codec 6
    check(data, "UNKNOWN_CODEC", /codec 6/);
  });

  await t.step("a gzip batch whose bytes are broken", async () => {
    const data = await batch(5, [{ key: "k", value: "x".repeat(500) }, { key: "k", value: "y" }, {
      key: "k",
      value: "z",
    }], { compression: 1 });
    data.fill(0x55, 61 + 10, data.byteLength - 4);
    check(data, "CORRUPT_BATCH", /gzip-compressed batch cannot be decompressed/);
  });
});

Deno.test("RecordCursor - aborted transactional batches and control batches are dropped", async () => {
  const aborted = await batch(0, [{ key: "x", value: "aborted" }], {
    transactional: true,
    producerId: 7,
  });
  // An abort marker: a control batch whose record key is version 0, type 0 (abort).
  const marker = await batch(1, [{ key: "\u0000\u0000\u0000\u0000", value: null }], {
    transactional: true,
    producerId: 7,
  });
  const view = new DataView(marker.buffer, marker.byteOffset);
  view.setInt16(21, view.getInt16(21) | 0x20);
  const other = await batch(2, [{ key: "y", value: "kept" }], {
    transactional: true,
    producerId: 8,
  });
  const next = await batch(3, [{ key: "z", value: "next transaction" }], {
    transactional: true,
    producerId: 7,
  });
  const cursor = new RecordCursor(concat(aborted, marker, other, next), {
    fromOffset: 0,
    abortedTransactions: [{ producerId: 7, firstOffset: 0 }],
  });
  const seen: number[] = [];
  while (cursor.next()) seen.push(cursor.offset);
  assert.deepEqual(
    seen,
    [2, 3],
    "the aborted batch and the marker are dropped; after it, 7 is read",
  );
  assert.equal(cursor.nextOffset, 4);
});
