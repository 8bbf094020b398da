/**
 * KafkaJS 2.2.4 ships gzip only: a snappy, lz4 or zstd batch makes its
 * consumer crash (`KafkaJSNotImplemented`, not retriable), and a batch of
 * an unknown codec (attribute bits 5–7) is read as if it were not
 * compressed. `registerKafkaCodecs` registers Freshet's codecs
 * (codecs/codecs.ts) for every id in KafkaJS's codec table, so its
 * producers write and its consumers read all five.
 *
 * A batch that cannot be read — an unknown codec, bytes its codec rejects,
 * records that do not parse — must not stop a consumer. KafkaJS hands a
 * codec the batch's compressed bytes only, as a view into the fetched
 * response; the batch header is the 61 bytes before them. When that header
 * checks out, an unreadable batch decodes as marker records instead
 * (undecodable.ts): one per record, at the batch's offsets, saying why; the
 * consumer dead-letters them and goes on. When it does not check out, the
 * error is thrown as before.
 *
 * It changes KafkaJS's codec table for the whole isolate: the client
 * factory (client.ts) applies it once per process or Worker.
 */
import { Buffer } from "node:buffer";
import { CompressionCodecs, CompressionTypes } from "kafkajs";
import { codecName, compress, type CompressionCodec, decompress } from "./codecs/codecs.ts";
import { type BatchHeader, batchRecords } from "./codecs/batch_records.ts";

/** Bytes of a v2 batch header, the record count included. */
const BATCH_HEADER_BYTES = 61;

/** The header of the batch whose records are `records`, if the bytes before them are one. */
function batchHeaderOf(records: Uint8Array, id: number): BatchHeader | undefined {
  if (records.byteOffset < BATCH_HEADER_BYTES) return undefined;
  const view = new DataView(
    records.buffer,
    records.byteOffset - BATCH_HEADER_BYTES,
    BATCH_HEADER_BYTES,
  );
  const length = view.getInt32(8);
  const magic = view.getInt8(16);
  const attributes = view.getInt16(21);
  const count = view.getInt32(57);
  if (magic !== 2 || (attributes & 0x07) !== id || count <= 0) return undefined;
  if (length !== records.byteLength + BATCH_HEADER_BYTES - 12) return undefined;
  return { baseOffset: view.getBigInt64(0), lastOffsetDelta: view.getInt32(23), count };
}

function readBatch(id: number, compressed: Buffer): Buffer {
  const header = batchHeaderOf(compressed, id);
  const records = header ? batchRecords(id, compressed, header) : decompress(id, compressed);
  return Buffer.from(records.buffer, records.byteOffset, records.byteLength);
}

let registered = false;

/** Registers Freshet's codecs in KafkaJS (ids 1–7); idempotent. */
export function registerKafkaCodecs(): void {
  if (registered) return;
  registered = true;
  const table = CompressionCodecs as unknown as Record<number, () => unknown>;
  for (let id = 1; id <= 7; id++) {
    const name = codecName(id);
    const codec = {
      compress(encoder: { buffer: Uint8Array }): Promise<Buffer> {
        if (id > 4) throw new Error(`no codec ${id} to compress with`);
        const packed = compress(name as CompressionCodec, encoder.buffer);
        return Promise.resolve(Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength));
      },
      decompress(buffer: Buffer): Promise<Buffer> {
        return Promise.resolve(readBatch(id, buffer));
      },
    };
    table[id] = () => codec;
  }
}

/** KafkaJS's number for a codec name (`compression` of a send). */
export function kafkaJsCompression(codec: CompressionCodec): number {
  return {
    none: CompressionTypes.None,
    gzip: CompressionTypes.GZIP,
    snappy: CompressionTypes.Snappy,
    lz4: CompressionTypes.LZ4,
    zstd: CompressionTypes.ZSTD,
  }[codec];
}
