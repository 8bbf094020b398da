import assert from "node:assert/strict";
import snappy from "snappyjs";
import xxh32 from "lz4js/xxh32.js";
import { compress, COMPRESSION_CODECS, CompressionError, decompress } from "./codecs.ts";
import { lz4FrameDecompress } from "./lz4_frame.ts";

/** Bytes that compress (repeated JSON) with some noise, `size` long. */
function sample(size: number): Uint8Array {
  const text = new TextEncoder().encode(
    JSON.stringify({ id: "req-1", type: "emergency", location: { lat: -22.9, lng: -43.2 } }),
  );
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = i % 97 === 0 ? (i * 31) & 0xff : text[i % text.length];
  return out;
}

Deno.test("codecs - every codec round-trips, across block boundaries", async (t) => {
  for (const codec of COMPRESSION_CODECS) {
    await t.step(codec, () => {
      for (const size of [codec === "none" ? 0 : 1, 13, 65_535, 65_536, 65_537, 300_000]) {
        const bytes = sample(size);
        const packed = compress(codec, bytes);
        if (codec !== "none" && size > 1000) assert.ok(packed.byteLength < size, `${size} shrinks`);
        const back = decompress(COMPRESSION_CODECS.indexOf(codec), packed);
        assert.deepEqual(new Uint8Array(back), bytes, `${size}`);
      }
    });
  }
});

Deno.test("codecs - lz4 frames as Java and librdkafka write them", async (t) => {
  await t.step("Freshet writes Java's layout: independent 64 KB blocks, no checksums", () => {
    const frame = compress("lz4", sample(200_000));
    assert.deepEqual([...frame.subarray(0, 4)], [0x04, 0x22, 0x4d, 0x18]);
    assert.equal(frame[4], 0x60, "version 01, blocks independent, no checksums, no size");
    assert.equal(frame[5], 0x40, "64 KB blocks");
    assert.equal(frame[6], (xxh32.hash(0, frame, 4, 2) >>> 8) & 0xff, "header checksum");
  });

  /** A frame by hand: `flags`, one stored (uncompressed) block, optional checksums and size. */
  function handFrame(content: Uint8Array, flags: number, options: { brokenHc?: boolean } = {}) {
    const parts: number[] = [0x04, 0x22, 0x4d, 0x18, flags, 0x40];
    if (flags & 0x08) parts.push(content.byteLength, 0, 0, 0, 0, 0, 0, 0);
    const bytes = new Uint8Array(parts);
    const hc = options.brokenHc
      ? (xxh32.hash(0, bytes, 0, bytes.byteLength) >>> 8) & 0xff
      : (xxh32.hash(0, bytes, 4, bytes.byteLength - 4) >>> 8) & 0xff;
    const le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
    const out = [...bytes, hc, ...le((content.byteLength | 0x80000000) >>> 0), ...content];
    if (flags & 0x10) out.push(...le(xxh32.hash(0, content, 0, content.byteLength)));
    out.push(0, 0, 0, 0);
    if (flags & 0x04) out.push(...le(xxh32.hash(0, content, 0, content.byteLength)));
    return new Uint8Array(out);
  }

  await t.step("block and content checksums and a content size are read", () => {
    const content = sample(1000);
    assert.deepEqual(lz4FrameDecompress(handFrame(content, 0x60 | 0x10 | 0x08 | 0x04)), content);
  });

  await t.step("Kafka's pre-0.10 header checksum (over the magic too) is accepted", () => {
    const content = sample(100);
    assert.deepEqual(lz4FrameDecompress(handFrame(content, 0x60, { brokenHc: true })), content);
  });

  await t.step("a wrong content checksum is a corrupt batch", () => {
    const frame = handFrame(sample(100), 0x64);
    frame[frame.byteLength - 1] ^= 0xff;
    assert.throws(() => decompress(3, frame), { code: "CORRUPT_BATCH" });
  });

  await t.step("two frames one after the other read as one content", () => {
    const a = sample(70_000);
    const b = sample(10);
    const both = new Uint8Array([...compress("lz4", a), ...compress("lz4", b)]);
    assert.deepEqual(lz4FrameDecompress(both), new Uint8Array([...a, ...b]));
  });
});

Deno.test("codecs - snappy: xerial-framed (Java) and bare blocks (librdkafka) are read", () => {
  const content = sample(100_000);
  const framed = compress("snappy", content);
  assert.deepEqual([...framed.subarray(0, 8)], [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0]);
  assert.deepEqual(decompress(2, framed), content);
  assert.deepEqual(decompress(2, snappy.compress(content)), content);
});

Deno.test("codecs - an unknown codec or broken bytes fail with a code, never a crash", async (t) => {
  for (const id of [5, 6, 7]) {
    await t.step(`codec ${id}`, () => {
      assert.throws(() => decompress(id, new Uint8Array([1, 2, 3])), (error) => {
        assert.ok(error instanceof CompressionError);
        assert.equal(error.code, "UNKNOWN_CODEC");
        assert.equal(error.retriable, false);
        assert.match(error.message, new RegExp(`codec ${id}`));
        return true;
      });
    });
  }
  for (const codec of ["gzip", "snappy", "lz4", "zstd"] as const) {
    await t.step(`garbage as ${codec}`, () => {
      const id = COMPRESSION_CODECS.indexOf(codec);
      const good = compress(codec, sample(5000));
      const cut = good.subarray(0, good.byteLength >> 1);
      for (const bytes of [new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), cut]) {
        assert.throws(() => decompress(id, bytes), (error) => {
          assert.ok(error instanceof CompressionError);
          assert.equal(error.code, "CORRUPT_BATCH");
          assert.match(error.message, new RegExp(`${codec}-compressed batch`));
          return true;
        });
      }
    });
  }
});
