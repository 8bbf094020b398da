/**
 * Reading and writing the "flexible" encoding of Kafka's newer request and
 * response versions (KIP-482): unsigned varints, compact strings and
 * arrays (length + 1, 0 for null), tagged-field buffers. For the requests
 * sent over KafkaJS's connections that KafkaJS has no code for
 * (api_versions.ts, describe_log_dirs.ts, describe_quorum.ts). The older,
 * "classic" forms (int16-length strings, int32-length arrays) are here too,
 * for the versions every Kafka since 2.x still answers (list_offsets.ts,
 * offset_fetch.ts's fallback).
 */

/** Writes a flexible request body. */
export class FlexibleWriter {
  readonly #bytes: number[] = [];

  uvarint(n: number): this {
    while (n >= 0x80) {
      this.#bytes.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    this.#bytes.push(n);
    return this;
  }

  int8(n: number): this {
    this.#bytes.push(n & 0xff);
    return this;
  }

  int16(n: number): this {
    this.#bytes.push((n >>> 8) & 0xff, n & 0xff);
    return this;
  }

  int32(n: number): this {
    this.#bytes.push((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    return this;
  }

  /** An int64 from a number (exact below 2^53: offsets, times, -1 and -2). */
  int64(n: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setBigInt64(0, BigInt(n));
    this.#bytes.push(...new Uint8Array(view.buffer));
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** A classic string (int16 length, -1 for null). */
  classicString(text: string | null): this {
    if (text === null) return this.int16(-1);
    const bytes = new TextEncoder().encode(text);
    this.int16(bytes.byteLength);
    this.#bytes.push(...bytes);
    return this;
  }

  /** A classic array (int32 length, -1 for null), each item written by `write`. */
  classicArray<T>(items: readonly T[] | null, write: (item: T) => void): this {
    if (items === null) return this.int32(-1);
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  /** A compact string (null: length 0). */
  string(text: string | null): this {
    if (text === null) return this.uvarint(0);
    const bytes = new TextEncoder().encode(text);
    this.uvarint(bytes.byteLength + 1);
    this.#bytes.push(...bytes);
    return this;
  }

  /** A compact array (null: length 0), each item written by `write`. */
  array<T>(items: readonly T[] | null, write: (item: T) => void): this {
    if (items === null) return this.uvarint(0);
    this.uvarint(items.length + 1);
    for (const item of items) write(item);
    return this;
  }

  /** An empty tagged-field buffer. */
  tags(): this {
    return this.uvarint(0);
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.#bytes);
  }
}

/** Reads a flexible response body. */
export class FlexibleReader {
  #p = 0;
  readonly #view: DataView;

  constructor(readonly payload: Uint8Array) {
    this.#view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  }

  /** Bytes not read yet. */
  get remaining(): number {
    return this.payload.byteLength - this.#p;
  }

  uvarint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.#p >= this.payload.byteLength) throw new RangeError("truncated varint");
      const byte = this.payload[this.#p++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
      shift += 7;
    }
  }

  int8(): number {
    return this.#view.getInt8((this.#p += 1) - 1);
  }

  int16(): number {
    return this.#view.getInt16((this.#p += 2) - 2);
  }

  int32(): number {
    return this.#view.getInt32((this.#p += 4) - 4);
  }

  /** An int64 as a number (exact below 2^53: sizes, offsets, times). */
  int64(): number {
    return Number(this.#view.getBigInt64((this.#p += 8) - 8));
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  nullableString(): string | null {
    const n = this.uvarint() - 1;
    if (n < 0) return null;
    const text = new TextDecoder().decode(this.payload.subarray(this.#p, this.#p + n));
    this.#p += n;
    return text;
  }

  string(): string {
    return this.nullableString() ?? "";
  }

  uuid(): string {
    const hex = Array.from(
      this.payload.subarray(this.#p, this.#p + 16),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    this.#p += 16;
    return hex;
  }

  array<T>(item: () => T): T[] {
    const n = this.uvarint() - 1;
    return Array.from({ length: Math.max(0, n) }, item);
  }

  /** A classic nullable string (int16 length, -1 for null). */
  classicNullableString(): string | null {
    const n = this.int16();
    if (n < 0) return null;
    const text = new TextDecoder().decode(this.payload.subarray(this.#p, this.#p + n));
    this.#p += n;
    return text;
  }

  classicString(): string {
    return this.classicNullableString() ?? "";
  }

  /** A classic array (int32 length; null read as empty). */
  classicArray<T>(item: () => T): T[] {
    const n = this.int32();
    return Array.from({ length: Math.max(0, n) }, item);
  }

  /** Skips a tagged-field buffer, handing each field to `onTag` first when given. */
  tags(onTag?: (tag: number, field: FlexibleReader) => void): void {
    for (let n = this.uvarint(); n > 0; n--) {
      const tag = this.uvarint();
      const size = this.uvarint();
      if (onTag) onTag(tag, new FlexibleReader(this.payload.subarray(this.#p, this.#p + size)));
      this.#p += size;
    }
  }
}
