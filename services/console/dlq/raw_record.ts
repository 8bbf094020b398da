/** A record's bytes copied out of a fetch, exactly as produced: what a redrive sends back. */
import type { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

/** One record, its key, value and headers as bytes. */
export interface RawRecord {
  partition: number;
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: [string, Uint8Array | null][];
}

const decoder = new TextDecoder();

/** The cursor's current record, copied. */
export function rawRecord(cursor: RecordCursor, partition: number): RawRecord {
  const b = cursor.bytes;
  const copy = (start: number, length: number) =>
    length < 0 ? null : new Uint8Array(b.subarray(start, start + length));
  const headers: [string, Uint8Array | null][] = [];
  cursor.forEachHeader((ns, nl, vs, vl) => {
    headers.push([decoder.decode(b.subarray(ns, ns + Math.max(0, nl))), copy(vs, vl)]);
  });
  return {
    partition,
    offset: cursor.offset,
    timestamp: cursor.timestamp,
    key: copy(cursor.keyStart, cursor.keyLength),
    value: copy(cursor.valueStart, cursor.valueLength),
    headers,
  };
}
