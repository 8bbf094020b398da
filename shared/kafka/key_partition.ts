/**
 * Which partition a key lives in: murmur2 of the key's UTF-8 bytes, made
 * positive, modulo the partition count — what Kafka's Java client and
 * KafkaJS's DefaultPartitioner (every Freshet producer) do. The console's
 * key search reads only that partition; the producers' sends are split
 * per partition with it (partitioned_send.ts).
 */

const M = 0x5bd1e995;
const SEED = 0x9747b28c;

/** Kafka's murmur2 (32-bit, seed 0x9747b28c) of `bytes`, as a signed int. */
export function murmur2(bytes: Uint8Array): number {
  const length = bytes.length;
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  switch (length & 3) {
    case 3:
      h ^= bytes[whole + 2] << 16;
    // falls through
    case 2:
      h ^= bytes[whole + 1] << 8;
    // falls through
    case 1:
      h ^= bytes[whole];
      h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** The partition of `key` in a topic of `partitionCount` partitions. */
export function keyPartition(key: string | Uint8Array, partitionCount: number): number {
  const bytes = typeof key === "string" ? new TextEncoder().encode(key) : key;
  return (murmur2(bytes) & 0x7fffffff) % partitionCount;
}
