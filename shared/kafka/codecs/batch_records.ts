/**
 * The records of a compressed batch, or — when they cannot be read —
 * marker records in their place (shared/kafka/undecodable.ts): one per
 * record of the batch, at its offsets, saying why. Both of Freshet's
 * readers use it: KafkaJS consumers (kafkajs_codecs.ts) and the console's
 * own (wire/record_batch.ts), so a consumer dead-letters and the console
 * shows the same thing for the same batch.
 */
import { codecName, CompressionError, decompress } from "./codecs.ts";
import { UNDECODABLE_HEADERS } from "../undecodable.ts";

/** What a batch's header says about its records. */
export interface BatchHeader {
  baseOffset: bigint;
  lastOffsetDelta: number;
  /** Records in the batch. */
  count: number;
}

/**
 * The uncompressed record set of a batch compressed with codec `id`: its
 * records, checked to parse, or marker records if they cannot be read.
 */
export function batchRecords(id: number, compressed: Uint8Array, header: BatchHeader): Uint8Array {
  try {
    const records = decompress(id, compressed);
    try {
      checkRecords(records, header.count);
    } catch (cause) {
      throw new CompressionError(
        codecName(id),
        "CORRUPT_BATCH",
        `the ${codecName(id)}-compressed batch decompresses to records that do not parse: ${
          (cause as Error).message
        }`,
      );
    }
    return records;
  } catch (error) {
    if (!(error instanceof CompressionError)) throw error;
    return markerRecords(header, compressed, error);
  }
}

/** Walks `count` records in `bytes`; throws when one does not fit or parse. */
export function checkRecords(bytes: Uint8Array, count: number): void {
  let p = 0;
  const varint = (end: number): number => {
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (p >= end || shift > 63) throw new Error("a record ends in the middle of a varint");
      const byte = bytes[p++];
      raw += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  };
  const skipBytes = (end: number, nullable: boolean) => {
    const n = varint(end);
    if (n < -1 || (n === -1 && !nullable) || p + Math.max(0, n) > end) {
      throw new Error("a record's field runs past the record");
    }
    p += Math.max(0, n);
  };
  for (let i = 0; i < count; i++) {
    const length = varint(bytes.byteLength);
    const end = p + length;
    if (length < 1 || end > bytes.byteLength) throw new Error(`record ${i} runs past the batch`);
    p++; // attributes
    varint(end); // timestamp delta
    varint(end); // offset delta
    skipBytes(end, true); // key
    skipBytes(end, true); // value
    const headers = varint(end);
    if (headers < 0) throw new Error("a record has a negative header count");
    for (let h = 0; h < headers; h++) {
      skipBytes(end, false);
      skipBytes(end, true);
    }
    if (p !== end) throw new Error(`record ${i} is not the length it says`);
  }
}

/** A small writer of record fields (zigzag varints and byte strings). */
class RecordWriter {
  parts: number[] = [];
  varint(value: number): this {
    let raw = value >= 0 ? value * 2 : -value * 2 - 1;
    while (raw >= 0x80) {
      this.parts.push((raw % 0x80) | 0x80);
      raw = Math.floor(raw / 0x80);
    }
    this.parts.push(raw);
    return this;
  }
  bytes(value: Uint8Array | null): this {
    if (value === null) return this.varint(-1);
    this.varint(value.byteLength);
    for (const b of value) this.parts.push(b);
    return this;
  }
}

/** One marker record per record of the batch (undecodable.ts), as an uncompressed record set. */
export function markerRecords(
  header: BatchHeader,
  compressed: Uint8Array,
  error: CompressionError,
): Uint8Array {
  const encoder = new TextEncoder();
  const last = header.baseOffset + BigInt(header.lastOffsetDelta);
  const headers: [string, string][] = [
    [UNDECODABLE_HEADERS.reason, error.message],
    [UNDECODABLE_HEADERS.code, error.code],
    [UNDECODABLE_HEADERS.codec, error.codec],
    [UNDECODABLE_HEADERS.offsets, `${header.baseOffset}-${last}`],
  ];
  const out = new RecordWriter();
  for (let i = 0; i < header.count; i++) {
    // Compaction may leave gaps: the last marker sits at the batch's last offset.
    const delta = i === header.count - 1
      ? header.lastOffsetDelta
      : Math.min(i, header.lastOffsetDelta);
    const body = new RecordWriter();
    body.parts.push(0); // attributes
    body.varint(0).varint(delta).bytes(null).bytes(i === 0 ? compressed : null).varint(
      headers.length,
    );
    for (const [name, value] of headers) {
      body.bytes(encoder.encode(name)).bytes(encoder.encode(value));
    }
    out.varint(body.parts.length);
    out.parts.push(...body.parts);
  }
  return new Uint8Array(out.parts);
}
