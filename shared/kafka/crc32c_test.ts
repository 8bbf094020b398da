import assert from "node:assert/strict";
// @ts-types="./kafkajs_crc32c.d.ts"
import kafkaJsRawCrc32C from "kafkajs/src/protocol/recordBatch/crc32C/crc32C.js";
import { crc32c } from "./crc32c.ts";
import { kafkaJsCrc32C } from "./kafkajs_crc32c.ts";

function random(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65_536)));
  }
  return bytes;
}

/** Every size up to 300, then powers of two and their neighbours up to 1 MiB, and some odd ones. */
const SIZES = [
  ...Array.from({ length: 301 }, (_, i) => i),
  ...Array.from({ length: 12 }, (_, k) => 2 ** (k + 9)).flatMap((n) => [n - 1, n, n + 1]),
  4_093,
  65_537,
  100_003,
  999_999,
];

Deno.test("crc32c - the same checksum as KafkaJS's, byte for byte", async (t) => {
  await t.step('the standard check value: CRC-32C("123456789") = 0xE3069283', () => {
    assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
    assert.equal(kafkaJsCrc32C(new TextEncoder().encode("123456789")), 0xe3069283);
  });
  await t.step(`random buffers of ${SIZES.length} sizes, 0 B to 1 MiB`, () => {
    for (const size of SIZES) {
      const bytes = random(size);
      const expected = kafkaJsCrc32C(bytes);
      assert.equal(crc32c(bytes), expected, `size ${size}`);
      assert.equal(
        kafkaJsRawCrc32C(bytes),
        expected,
        `size ${size} (KafkaJS's unwrapped function)`,
      );
    }
  });
  await t.step("all zeros, all ones, and unaligned views into a larger buffer", () => {
    for (const size of [1, 8, 64, 4_096, 16_385]) {
      for (const fill of [0x00, 0xff]) {
        const bytes = new Uint8Array(size).fill(fill);
        assert.equal(crc32c(bytes), kafkaJsCrc32C(bytes), `size ${size} of ${fill}`);
      }
    }
    const big = random(70_000);
    for (let offset = 0; offset < 9; offset++) {
      for (const length of [0, 5, 8, 17, 1_000, 65_536]) {
        const view = big.subarray(offset, offset + length);
        assert.equal(crc32c(view), kafkaJsCrc32C(view), `offset ${offset}, length ${length}`);
        assert.equal(crc32c(big, 0, offset, offset + length), kafkaJsCrc32C(view));
      }
    }
  });
  await t.step("continued over pieces: the CRC of the whole", () => {
    const bytes = random(10_000);
    for (const cut of [0, 1, 7, 8, 4_999, 9_999, 10_000]) {
      const first = crc32c(bytes.subarray(0, cut));
      assert.equal(crc32c(bytes.subarray(cut), first), kafkaJsCrc32C(bytes), `cut at ${cut}`);
    }
  });
});
