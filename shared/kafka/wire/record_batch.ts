/**
 * A lean reader of Kafka record batches (message format v2, the only one
 * Kafka 4 writes), straight from a Fetch response's bytes. It materialises
 * nothing: `next()` moves a cursor whose fields say where the current
 * record's key, value and headers lie in `bytes`, so a scan can match
 * millions of messages without allocating an object for each. Batches
 * wholly outside the wanted offsets are skipped by their header alone;
 * control batches and aborted transactions are dropped as a read_committed
 * consumer does. Every codec is read (../codecs/); a batch that cannot be
 * decompressed reads as marker records at its offsets, saying why
 * (../undecodable.ts), as KafkaJS consumers see it.
 */
import { batchRecords } from "../codecs/batch_records.ts";

const BATCH_HEADER_BYTES = 61;

/** An aborted transaction of a Fetch response (read_committed). */
export interface AbortedTransaction {
  producerId: number;
  firstOffset: number;
}

/** Options of `RecordCursor`. */
export interface RecordCursorOptions {
  /** First offset wanted; records below it are skipped. */
  fromOffset: number;
  /** End of the wanted range (exclusive; default no end). */
  untilOffset?: number;
  abortedTransactions?: AbortedTransaction[];
}

function int64(view: DataView, at: number): number {
  return view.getInt32(at) * 4_294_967_296 + view.getUint32(at + 4);
}

/**
 * Walks the records of a record set. After `next()` returns true, the
 * public fields describe the current record; offsets into `bytes` stay valid
 * until the next call.
 */
export class RecordCursor {
  /** Bytes of the current batch's records (the decompressed copy if compressed). */
  bytes: Uint8Array = new Uint8Array(0);
  offset = -1;
  timestamp = 0;
  /** Start of the key in `bytes`, and its length (-1: null key). */
  keyStart = 0;
  keyLength = -1;
  /** Start of the value, and its length (-1: null value, a tombstone). */
  valueStart = 0;
  valueLength = -1;
  /** Where the headers start (just after their count) and how many there are. */
  headersStart = 0;
  headerCount = 0;
  /** End of the current record in `bytes`. */
  recordEnd = 0;
  /**
   * The offset after the last complete batch read: where a next fetch
   * continues. Equals `fromOffset` until a batch is read.
   */
  nextOffset: number;
  /** Complete batches seen, including skipped ones. */
  batches = 0;

  #data: Uint8Array;
  #view: DataView;
  #at = 0;
  #from: number;
  #until: number;
  #aborted: AbortedTransaction[];
  #abortedIds = new Set<number>();
  // The current batch: its records' region in `bytes` and its constants.
  #pos = 0;
  #end = 0;
  #left = 0;
  #baseOffset = 0;
  #baseTimestamp = 0;
  #logAppendTime = -1;

  constructor(data: Uint8Array, options: RecordCursorOptions) {
    this.#data = data;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.#from = options.fromOffset;
    this.#until = options.untilOffset ?? Number.MAX_SAFE_INTEGER;
    this.#aborted = [...(options.abortedTransactions ?? [])].sort((a, b) =>
      a.firstOffset - b.firstOffset
    );
    this.nextOffset = options.fromOffset;
  }

  /** Moves to the next wanted record; false when the record set holds no more. */
  next(): boolean {
    for (;;) {
      while (this.#left > 0) {
        this.#left--;
        if (this.#readRecord() && this.offset >= this.#from) {
          if (this.offset >= this.#until) {
            this.#left = 0;
            return false;
          }
          return true;
        }
      }
      if (!this.#nextBatch()) return false;
    }
  }

  /** Whether the whole wanted range has been passed. */
  get pastUntil(): boolean {
    return this.nextOffset >= this.#until;
  }

  #nextBatch(): boolean {
    const view = this.#view;
    for (;;) {
      const at = this.#at;
      if (at + 12 > this.#data.byteLength) return false;
      const batchLength = view.getInt32(at + 8);
      const end = at + 12 + batchLength;
      if (end > this.#data.byteLength || batchLength < BATCH_HEADER_BYTES - 12) return false;
      this.#at = end;
      this.batches++;
      const baseOffset = int64(view, at);
      const magic = view.getInt8(at + 16);
      if (magic !== 2) {
        // Message formats v0/v1 predate Kafka 0.11 and cannot be written by Kafka 4.
        this.nextOffset = Math.max(this.nextOffset, baseOffset + 1);
        continue;
      }
      const attributes = view.getInt16(at + 21);
      const lastOffset = baseOffset + view.getInt32(at + 23);
      const producerId = int64(view, at + 43);
      const count = view.getInt32(at + 57);
      this.nextOffset = Math.max(this.nextOffset, lastOffset + 1);
      if (lastOffset < this.#from || baseOffset >= this.#until) continue;
      const transactional = (attributes & 0x10) !== 0;
      const control = (attributes & 0x20) !== 0;
      if (this.#aborted.length > 0 || this.#abortedIds.size > 0) {
        if (
          producerId >= 0 &&
          this.#skipForTransaction(at, lastOffset, producerId, transactional, control)
        ) {
          continue;
        }
      }
      if (control) continue;
      const codec = attributes & 0x07;
      let records = this.#data.subarray(at + BATCH_HEADER_BYTES, end);
      if (codec !== 0) {
        const lastOffsetDelta = view.getInt32(at + 23);
        records = batchRecords(codec, records, {
          baseOffset: BigInt(baseOffset),
          lastOffsetDelta,
          count,
        });
      }
      this.bytes = records;
      this.#pos = 0;
      this.#end = records.byteLength;
      this.#left = count;
      this.#baseOffset = baseOffset;
      this.#baseTimestamp = int64(view, at + 27);
      this.#logAppendTime = (attributes & 0x08) !== 0 ? int64(view, at + 35) : -1;
      return true;
    }
  }

  /** read_committed: drops aborted transactional batches, as Kafka's Java consumer does. */
  #skipForTransaction(
    at: number,
    lastOffset: number,
    producerId: number,
    transactional: boolean,
    control: boolean,
  ): boolean {
    while (this.#aborted.length > 0 && this.#aborted[0].firstOffset <= lastOffset) {
      this.#abortedIds.add(this.#aborted.shift()!.producerId);
    }
    if (control) {
      // A control record's key is version (int16) then type (int16): 0 = abort.
      if (this.#isAbortMarker(at)) this.#abortedIds.delete(producerId);
      return true;
    }
    return transactional && this.#abortedIds.has(producerId);
  }

  #isAbortMarker(at: number): boolean {
    const data = this.#data;
    // length, attributes, timestampDelta, offsetDelta, then the key.
    next = at + BATCH_HEADER_BYTES;
    varint(data);
    next += 1;
    varlong(data);
    varint(data);
    const keyLength = varint(data);
    if (keyLength < 4 || next + 4 > data.byteLength) return false;
    return this.#view.getInt16(next + 2) === 0;
  }

  /** Reads the record at #pos into the fields; false if the batch ended early. */
  #readRecord(): boolean {
    const b = this.bytes;
    if (this.#pos >= this.#end) {
      this.#left = 0;
      return false;
    }
    next = this.#pos;
    const length = varint(b);
    const recordEnd = next + length;
    next += 1; // attributes
    const timestampDelta = varlong(b);
    const offsetDelta = varint(b);
    let v = varint(b);
    this.keyStart = next;
    this.keyLength = v;
    if (v > 0) next += v;
    v = varint(b);
    this.valueStart = next;
    this.valueLength = v;
    if (v > 0) next += v;
    this.headerCount = varint(b);
    this.headersStart = next;
    this.recordEnd = recordEnd;
    this.#pos = recordEnd;
    this.offset = this.#baseOffset + offsetDelta;
    this.timestamp = this.#logAppendTime >= 0
      ? this.#logAppendTime
      : this.#baseTimestamp + timestampDelta;
    return true;
  }

  /** Calls `fn(nameStart, nameLength, valueStart, valueLength)` for each header of the record. */
  forEachHeader(
    fn: (nameStart: number, nameLength: number, valueStart: number, valueLength: number) => void,
  ): void {
    const b = this.bytes;
    next = this.headersStart;
    for (let i = 0; i < this.headerCount; i++) {
      const nameLength = varint(b);
      const nameStart = next;
      next += Math.max(0, nameLength);
      const valueLength = varint(b);
      const valueStart = next;
      next += Math.max(0, valueLength);
      fn(nameStart, nameLength, valueStart, valueLength);
    }
  }
}

// Position of the next byte for varint/varlong: module state instead of a
// returned tuple, so walking a record allocates nothing.
let next = 0;

/** The zigzag varint at `next`, which moves past it. */
function varint(b: Uint8Array): number {
  let byte = b[next++];
  let raw = byte & 0x7f;
  let shift = 7;
  while (byte & 0x80) {
    byte = b[next++];
    raw |= (byte & 0x7f) << shift;
    shift += 7;
  }
  return (raw >>> 1) ^ -(raw & 1);
}

/** The zigzag varlong at `next` (exact up to 2^53), which moves past it. */
function varlong(b: Uint8Array): number {
  let byte = b[next++];
  let raw = byte & 0x7f;
  let scale = 128;
  while (byte & 0x80) {
    byte = b[next++];
    raw += (byte & 0x7f) * scale;
    scale *= 128;
  }
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}
