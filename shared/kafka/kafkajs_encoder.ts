/**
 * KafkaJS 2.2.4's protocol encoder writes every varint (a record has a
 * dozen: its length, offset and time deltas, key, value, each header's key
 * and value) by building a JS array and copying it into a fresh
 * `Buffer.from(array)`, and grows its buffers with zero-filled
 * `Buffer.alloc`. On Deno's `Buffer` each of those allocations is costly:
 * a V8 profile of a producer sending 1 KB records spent ~38 % of its time
 * constructing buffers, most of it those varints. `writeVarintsInPlace`
 * writes varints straight into the encoder's buffer and grows it without
 * zero-filling (bytes past `offset` are never read: `buffer` slices to it).
 * The bytes on the wire are the same (kafkajs_encoder_test.ts compares them
 * with KafkaJS's own methods).
 *
 * It changes KafkaJS's prototype for the whole isolate: the client factory
 * (client.ts) applies it once per process or Worker, for every client.
 */
import { Buffer } from "node:buffer";
// @ts-types="./kafkajs_encoder.d.ts"
import Encoder from "kafkajs/src/protocol/encoder.js";

/** The encoder methods the patch replaces, as they are now. */
function installedMethods() {
  return {
    nextPowerOfTwo: Encoder.nextPowerOfTwo,
    writeUVarInt: Encoder.prototype.writeUVarInt,
    writeVarLong: Encoder.prototype.writeVarLong,
    ensureAvailable: Encoder.prototype.ensureAvailable,
  };
}

function install(methods: ReturnType<typeof installedMethods>): void {
  Encoder.nextPowerOfTwo = methods.nextPowerOfTwo;
  Encoder.prototype.writeUVarInt = methods.writeUVarInt;
  Encoder.prototype.writeVarLong = methods.writeVarLong;
  Encoder.prototype.ensureAvailable = methods.ensureAvailable;
}

const original = installedMethods();

/** Runs `fn` with KafkaJS's own encoder methods (for the test that compares bytes). */
export function withKafkaJsEncoder<T>(fn: () => T): T {
  const current = installedMethods();
  install(original);
  try {
    return fn();
  } finally {
    install(current);
  }
}

const SMALL = 2 ** 30;
let patched = false;

/** Makes KafkaJS's encoder write varints without an allocation each; idempotent. */
export function writeVarintsInPlace(): void {
  if (patched) return;
  patched = true;
  // The constructor's only use of nextPowerOfTwo is its first, zero-filled
  // Buffer.alloc (512 bytes for every record and every header): start empty
  // instead, and let the first write size the buffer from the pool.
  Encoder.nextPowerOfTwo = () => 0;
  Encoder.prototype.ensureAvailable = function (this: Encoder, length: number) {
    if (this.offset + length <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(nextPowerOfTwo(this.offset + length));
    grown.set(this.buf.subarray(0, this.offset));
    this.buf = grown;
  };
  Encoder.prototype.writeUVarInt = function (this: Encoder, value: number) {
    this.ensureAvailable(5);
    const buf = this.buf;
    let offset = this.offset;
    while ((value & 0xffffff80) !== 0) {
      buf[offset++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    buf[offset++] = value & 0x7f;
    this.offset = offset;
    return this;
  };
  Encoder.prototype.writeVarLong = function (this: Encoder, value) {
    // Record timestamp deltas are small numbers: 32-bit zigzag gives the same bytes.
    if (typeof value === "number" && value > -SMALL && value < SMALL && Number.isInteger(value)) {
      return this.writeUVarInt((value << 1) ^ (value >> 31));
    }
    let long = Encoder.encodeZigZag64(value).value;
    this.ensureAvailable(10);
    while ((long & 0xffffffffffffff80n) !== 0n) {
      this.buf[this.offset++] = Number((long & 0x7fn) | 0x80n);
      long >>= 7n;
    }
    this.buf[this.offset++] = Number(long & 0xffn);
    return this;
  };
}

function nextPowerOfTwo(value: number): number {
  return 1 << (31 - Math.clz32(value) + 1);
}
