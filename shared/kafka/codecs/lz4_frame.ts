/**
 * Kafka's LZ4: the LZ4 *frame* format (magic 0x184D2204, a descriptor,
 * blocks, an end mark), the blocks coded by npm:lz4js. The frame layer is
 * here because it is what decides compatibility with the other clients:
 *
 * - Written as Kafka's Java producer writes it (KafkaLZ4BlockOutputStream):
 *   64 KB blocks, each independent, no checksums, no content size. Java's
 *   reader accepts only independent blocks, so every block is coded with a
 *   fresh hash table from its own bytes.
 * - Read as liblz4 does: independent or linked blocks (librdkafka uses
 *   liblz4's frame API), block and content checksums verified when
 *   present, a content size skipped, several frames one after the other.
 * - The header checksum is verified; the one Kafka before 0.10 computed
 *   wrongly (over the magic too, KAFKA-3160) is also accepted. It can only
 *   be met in message formats v0/v1, which Kafka 4 no longer stores, so
 *   nothing needs to write it.
 */
import lz4 from "lz4js";
import xxh32 from "lz4js/xxh32.js";

const MAGIC = 0x184d2204;
const FLAG_VERSION = 0x40;
const FLAG_BLOCK_INDEPENDENT = 0x20;
const FLAG_BLOCK_CHECKSUM = 0x10;
const FLAG_CONTENT_SIZE = 0x08;
const FLAG_CONTENT_CHECKSUM = 0x04;
const FLAG_DICTIONARY = 0x01;
const UNCOMPRESSED_BLOCK = 0x80000000;
const BLOCK_SIZES: Record<number, number> = { 4: 65_536, 5: 262_144, 6: 1_048_576, 7: 4_194_304 };
/** Kafka's block size (64 KB, code 4), as its Java producer writes. */
const WRITE_BLOCK_BYTES = 65_536;
const WRITE_BLOCK_CODE = 4;
/** The largest content a frame may unpack to: a corrupt size must not allocate gigabytes. */
const MAX_CONTENT_BYTES = 512 * 1024 * 1024;

/** A frame that is not valid LZ4 (or uses what Kafka never writes: a dictionary). */
export class Lz4FrameError extends Error {
  constructor(message: string) {
    super(`lz4: ${message}`);
    this.name = "Lz4FrameError";
  }
}

function u32(b: Uint8Array, at: number): number {
  if (at + 4 > b.byteLength) throw new Lz4FrameError("frame ends in the middle of a field");
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function putU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value & 0xff;
  b[at + 1] = (value >>> 8) & 0xff;
  b[at + 2] = (value >>> 16) & 0xff;
  b[at + 3] = (value >>> 24) & 0xff;
}

/** A growing output buffer: linked blocks refer back into what came before. */
class Output {
  bytes = new Uint8Array(0);
  length = 0;
  reserve(more: number): void {
    const need = this.length + more;
    if (need > MAX_CONTENT_BYTES) throw new Lz4FrameError("content larger than 512 MiB");
    if (need <= this.bytes.byteLength) return;
    const grown = new Uint8Array(
      Math.min(MAX_CONTENT_BYTES, Math.max(need, this.bytes.byteLength * 2)),
    );
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
}

/** Decodes one frame at `at` into `out`; returns where it ends. */
function readFrame(src: Uint8Array, at: number, out: Output): number {
  if (u32(src, at) !== MAGIC) throw new Lz4FrameError("not an LZ4 frame (bad magic number)");
  const descriptorStart = at + 4;
  let p = descriptorStart;
  const flags = src[p++];
  const bd = src[p++];
  if ((flags & 0xc0) !== FLAG_VERSION) throw new Lz4FrameError(`frame version ${flags >> 6}`);
  if (flags & FLAG_DICTIONARY) {
    throw new Lz4FrameError("frames with a dictionary are not supported");
  }
  const maxBlock = BLOCK_SIZES[(bd >> 4) & 0x07];
  if (maxBlock === undefined) throw new Lz4FrameError(`block size code ${(bd >> 4) & 0x07}`);
  if (flags & FLAG_CONTENT_SIZE) p += 8;
  if (p >= src.byteLength) throw new Lz4FrameError("frame ends in its descriptor");
  const hc = src[p];
  const expected = (xxh32.hash(0, src, descriptorStart, p - descriptorStart) >>> 8) & 0xff;
  const kafkaPre010 = (xxh32.hash(0, src, at, p - at) >>> 8) & 0xff;
  if (hc !== expected && hc !== kafkaPre010) throw new Lz4FrameError("header checksum mismatch");
  p++;
  const contentStart = out.length;
  for (;;) {
    const word = u32(src, p);
    p += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > maxBlock || p + size > src.byteLength) {
      throw new Lz4FrameError(`block of ${size} bytes past the frame's end or its block size`);
    }
    if (flags & FLAG_BLOCK_CHECKSUM && xxh32.hash(0, src, p, size) !== u32(src, p + size)) {
      throw new Lz4FrameError("block checksum mismatch");
    }
    out.reserve(maxBlock);
    if (word & UNCOMPRESSED_BLOCK) {
      out.bytes.set(src.subarray(p, p + size), out.length);
      out.length += size;
    } else {
      const end = lz4.decompressBlock(src, out.bytes, p, size, out.length);
      // lz4js does not check bounds: a block writing past its size is corrupt.
      if (end > out.length + maxBlock || end < out.length) throw new Lz4FrameError("corrupt block");
      out.length = end;
    }
    p += size + (flags & FLAG_BLOCK_CHECKSUM ? 4 : 0);
  }
  if (flags & FLAG_CONTENT_CHECKSUM) {
    const sum = xxh32.hash(0, out.bytes, contentStart, out.length - contentStart);
    if (sum !== u32(src, p)) throw new Lz4FrameError("content checksum mismatch");
    p += 4;
  }
  return p;
}

/** The bytes of one or more LZ4 frames, decompressed. */
export function lz4FrameDecompress(src: Uint8Array): Uint8Array {
  const out = new Output();
  let at = 0;
  do at = readFrame(src, at, out); while (at < src.byteLength);
  return out.bytes.subarray(0, out.length);
}

/** `src` as one LZ4 frame, in the layout Kafka's Java producer writes. */
export function lz4FrameCompress(src: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(src.byteLength / WRITE_BLOCK_BYTES));
  // Worst case: every block stored as is, plus its size word; header and end mark.
  const out = new Uint8Array(7 + src.byteLength + blocks * 4 + 4);
  const scratch = new Uint8Array(WRITE_BLOCK_BYTES + (WRITE_BLOCK_BYTES >> 7) + 16);
  const table = new Uint32Array(65_536);
  putU32(out, 0, MAGIC);
  out[4] = FLAG_VERSION | FLAG_BLOCK_INDEPENDENT;
  out[5] = WRITE_BLOCK_CODE << 4;
  out[6] = (xxh32.hash(0, out, 4, 2) >>> 8) & 0xff;
  let p = 7;
  for (let start = 0; start < src.byteLength; start += WRITE_BLOCK_BYTES) {
    const block = src.subarray(start, Math.min(src.byteLength, start + WRITE_BLOCK_BYTES));
    table.fill(0);
    const size = lz4.compressBlock(block, scratch, 0, block.byteLength, table);
    if (size > 0 && size < block.byteLength) {
      putU32(out, p, size);
      out.set(scratch.subarray(0, size), p + 4);
      p += 4 + size;
    } else {
      putU32(out, p, (block.byteLength | UNCOMPRESSED_BLOCK) >>> 0);
      out.set(block, p + 4);
      p += 4 + block.byteLength;
    }
  }
  putU32(out, p, 0);
  return out.subarray(0, p + 4);
}
