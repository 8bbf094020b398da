/**
 * Confluent's wire format for Schema Registry serializers (Java, librdkafka,
 * .NET, Go all write it): byte 0 (the magic), the schema id as a 4-byte
 * big-endian int, then — Protobuf only — the path of the message type in
 * its file as zigzag varints (a count, then each index; a lone 0 for the
 * first message), then the serialized value.
 */

/** A framed value's schema id, message indexes (Protobuf) and where its payload starts. */
export interface Framed {
  schemaId: number;
  /** Protobuf: the message type's path; [0] for the file's first message. */
  indexes: number[];
  payload: Uint8Array;
}

/** Whether `bytes` start like a framed value (magic byte and a schema id). */
export function isFramed(bytes: Uint8Array | null): bytes is Uint8Array {
  return bytes !== null && bytes.byteLength >= 5 && bytes[0] === 0;
}

function zigzag(bytes: Uint8Array, at: { p: number }): number {
  let raw = 0;
  let shift = 0;
  for (;;) {
    if (at.p >= bytes.byteLength || shift > 28) throw new RangeError("message indexes cut short");
    const byte = bytes[at.p++];
    raw |= (byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) break;
  }
  return (raw >>> 1) ^ -(raw & 1);
}

/** Reads the frame of `bytes`; `protobuf` reads the message indexes too. */
export function unframe(bytes: Uint8Array, protobuf = false): Framed {
  if (!isFramed(bytes)) {
    throw new RangeError("not in the Schema Registry wire format (magic byte 0)");
  }
  const schemaId = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(1);
  if (!protobuf) return { schemaId, indexes: [], payload: bytes.subarray(5) };
  const at = { p: 5 };
  const count = zigzag(bytes, at);
  if (count < 0 || count > 64) throw new RangeError(`bad message index count ${count}`);
  const indexes = count === 0 ? [0] : Array.from({ length: count }, () => zigzag(bytes, at));
  return { schemaId, indexes, payload: bytes.subarray(at.p) };
}

function putZigzag(out: number[], n: number): void {
  let raw = ((n << 1) ^ (n >> 31)) >>> 0;
  while (raw >= 0x80) {
    out.push((raw & 0x7f) | 0x80);
    raw >>>= 7;
  }
  out.push(raw);
}

/** `payload` framed with `schemaId` (and, for Protobuf, `indexes`). */
export function frame(schemaId: number, payload: Uint8Array, indexes?: number[]): Uint8Array {
  const head: number[] = [
    0,
    (schemaId >>> 24) & 0xff,
    (schemaId >>> 16) & 0xff,
    (schemaId >>> 8) & 0xff,
    schemaId & 0xff,
  ];
  if (indexes) {
    if (indexes.length === 1 && indexes[0] === 0) head.push(0);
    else {
      putZigzag(head, indexes.length);
      for (const i of indexes) putZigzag(head, i);
    }
  }
  const out = new Uint8Array(head.length + payload.byteLength);
  out.set(head);
  out.set(payload, head.length);
  return out;
}
