import assert from "node:assert/strict";
// @ts-types="./kafkajs_encoder.d.ts"
import Encoder from "kafkajs/src/protocol/encoder.js";
import { Buffer } from "node:buffer";
// @ts-types="./kafkajs_record.d.ts"
import Record from "kafkajs/src/protocol/recordBatch/record/v0/index.js";
import { withKafkaJsEncoder, writeVarintsInPlace } from "./kafkajs_encoder.ts";

const INTS = [
  0,
  1,
  -1,
  63,
  -64,
  64,
  127,
  128,
  300,
  -300,
  16_383,
  16_384,
  2 ** 21,
  -(2 ** 21),
  2 ** 28,
  2 ** 30 - 1,
  -(2 ** 30),
  2 ** 31 - 1,
  -(2 ** 31),
];
const LONGS = [
  ...INTS,
  2 ** 30,
  -(2 ** 30) - 1,
  2 ** 40,
  -(2 ** 40),
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  9_223_372_036_854_775_807n,
  -9_223_372_036_854_775_808n,
  "1234567890123",
];

/** The bytes `write` puts in a fresh encoder, with KafkaJS's methods or the patched ones. */
function bytes(write: (e: Encoder) => void, original: boolean): number[] {
  const run = () => {
    const encoder = new Encoder();
    write(encoder);
    return [...encoder.buffer];
  };
  return original ? withKafkaJsEncoder(run) : run();
}

Deno.test("writeVarintsInPlace - the same bytes as KafkaJS's own encoder", async (t) => {
  writeVarintsInPlace();
  await t.step("varints, unsigned varints and varlongs", () => {
    for (const value of INTS) {
      assert.deepEqual(
        bytes((e) => e.writeVarInt(value), false),
        bytes((e) => e.writeVarInt(value), true),
        `varint ${value}`,
      );
      assert.deepEqual(
        bytes((e) => e.writeUVarInt(value), false),
        bytes((e) => e.writeUVarInt(value), true),
        `uvarint ${value}`,
      );
    }
    for (const value of LONGS) {
      const write = (e: Encoder) => e.writeVarLong(value as number);
      assert.deepEqual(bytes(write, false), bytes(write, true), `varlong ${value}`);
    }
  });
  await t.step("many values in a row keep growing the buffer correctly", () => {
    const write = (e: Encoder) => {
      for (let i = -5_000; i < 5_000; i += 7) e.writeVarInt(i * 97).writeVarLong(i * 1_000_003);
    };
    const patched = bytes(write, false);
    assert.deepEqual(patched, bytes(write, true));
    assert.ok(patched.length > 10_000, `wrote ${patched.length} bytes`);
  });
});

Deno.test("writeVarintsInPlace - a whole record with headers, as KafkaJS encodes it", () => {
  writeVarintsInPlace();
  const record = () =>
    Record({
      offsetDelta: 7,
      timestampDelta: 1_234,
      key: Buffer.from("order-42"),
      value: Buffer.from(JSON.stringify({ id: "order-42", note: "é".repeat(700) })),
      headers: { ce_id: "a-b-c", ce_type: "orders.created", many: ["x", "y"] },
    });
  const patched = [...record().buffer];
  assert.deepEqual(patched, withKafkaJsEncoder(() => [...record().buffer]));
  assert.ok(patched.length > 1_400, `encoded ${patched.length} bytes`);
});
