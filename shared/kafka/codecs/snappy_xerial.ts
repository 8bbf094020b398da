/**
 * Kafka's Snappy, as its clients write it: Java producers use xerial's
 * framing (an 8-byte magic, two version words, then blocks each prefixed
 * by its big-endian length), librdkafka and some others a bare Snappy
 * block. Reading accepts both, as Java's and librdkafka's readers do;
 * writing uses xerial's framing with 32 KB blocks, like the Java producer.
 * The blocks are coded by npm:snappyjs (plain JavaScript).
 */
import snappy from "snappyjs";

const XERIAL_MAGIC = [0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00];
const XERIAL_HEADER_BYTES = 16;
const WRITE_BLOCK_BYTES = 32 * 1024;
/** The largest content a batch may unpack to: a corrupt length must not allocate gigabytes. */
const MAX_CONTENT_BYTES = 512 * 1024 * 1024;

function isXerial(src: Uint8Array): boolean {
  if (src.byteLength < XERIAL_HEADER_BYTES) return false;
  return XERIAL_MAGIC.every((b, i) => src[i] === b);
}

/** Snappy data (xerial-framed or a bare block), decompressed. */
export function snappyDecompress(src: Uint8Array): Uint8Array {
  if (!isXerial(src)) return snappy.uncompress(src, MAX_CONTENT_BYTES);
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = XERIAL_HEADER_BYTES;
  while (p < src.byteLength) {
    if (p + 4 > src.byteLength) throw new Error("snappy: frame ends in a block length");
    const size = view.getInt32(p);
    p += 4;
    if (size < 0 || p + size > src.byteLength) {
      throw new Error("snappy: block past the frame's end");
    }
    const part = snappy.uncompress(src.subarray(p, p + size), MAX_CONTENT_BYTES - total);
    total += part.byteLength;
    parts.push(part);
    p += size;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** `src` compressed in xerial's framing, as Kafka's Java producer writes Snappy. */
export function snappyCompress(src: Uint8Array): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (let start = 0; start < src.byteLength || blocks.length === 0; start += WRITE_BLOCK_BYTES) {
    blocks.push(snappy.compress(src.subarray(start, start + WRITE_BLOCK_BYTES)));
  }
  const size = XERIAL_HEADER_BYTES + blocks.reduce((n, b) => n + 4 + b.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(XERIAL_MAGIC, 0);
  view.setInt32(8, 1); // version
  view.setInt32(12, 1); // compatible version
  let p = XERIAL_HEADER_BYTES;
  for (const block of blocks) {
    view.setInt32(p, block.byteLength);
    out.set(block, p + 4);
    p += 4 + block.byteLength;
  }
  return out;
}
