/**
 * KafkaJS 2.2.4 computes each record batch's CRC-32C in JavaScript one byte
 * a step (src/protocol/recordBatch/crc32C), ~8 % of a producer's profile
 * with 1 KB records (docs/performance.md). `useFastCrc32C` puts the
 * slicing-by-8 implementation (crc32c.ts, the same results: crc32c_test.ts
 * compares them byte for byte) in its place.
 *
 * KafkaJS's record batch encoder (recordBatch/v0) takes the function from
 * the CommonJS module cache when it is first loaded — lazily, at the first
 * produce — so the patch replaces the checksum module's exports in that
 * cache. If the encoder was loaded before (something produced through a
 * client not made by the client factory), it and the produce requests that
 * hold it are dropped from the cache, and load again with the new function
 * at the next produce.
 *
 * Like the encoder and idle-timer patches it changes KafkaJS for the whole
 * isolate: the client factory (client.ts) applies it once per process or
 * Worker, for every client.
 */
import { createRequire } from "node:module";
// @ts-types="./kafkajs_crc32c.d.ts"
import kafkaJsCrc32CModule from "kafkajs/src/protocol/recordBatch/crc32C/index.js";
import { crc32c } from "./crc32c.ts";

/**
 * KafkaJS's CommonJS modules, by file path. Looked up by the end of their
 * paths, never resolved: resolving walks folders, which programs with a
 * narrow read permission (Workers, the launcher's programs) may not read.
 */
const cache = createRequire(import.meta.url).cache;
const PROTOCOL = "/kafkajs/src/protocol/";
const CRC_MODULE = `${PROTOCOL}recordBatch/crc32C/index.js`;
const BATCH_ENCODER = `${PROTOCOL}recordBatch/v0/index.js`;
const cached = (suffix: string) => Object.keys(cache).find((path) => path.endsWith(suffix));

type Crc = (buffer: Uint8Array) => number;

/** KafkaJS's own CRC-32C of a batch body (for the tests and the micro-benchmark). */
export const kafkaJsCrc32C: Crc = kafkaJsCrc32CModule;

/** The checksum module's entry in the cache (loaded by the import above). */
function crcEntry(): { exports: unknown } {
  const path = cached(CRC_MODULE);
  if (path === undefined) throw new Error(`KafkaJS's ${CRC_MODULE} is not in the module cache`);
  return cache[path]!;
}

/** The CRC-32C KafkaJS's encoder will use from now on (KafkaJS's own until `useFastCrc32C`). */
export function installedCrc32C(): Crc {
  return crcEntry().exports as Crc;
}

/** The batch encoder and every module that took it when it loaded. */
function holders(): string[] {
  return Object.keys(cache).filter((path) =>
    path.endsWith(BATCH_ENCODER) || /\/protocol\/requests\/produce\/v\d+\/request\.js$/.test(path)
  );
}

/** Makes KafkaJS's batch encoder use `crc` (its next load, or now if it is not loaded yet). */
export function installCrc32C(crc: Crc): void {
  crcEntry().exports = crc;
  if (cached(BATCH_ENCODER) === undefined) return;
  for (const path of holders()) delete cache[path];
}

let patched = false;

/** Makes KafkaJS checksum record batches with the slicing-by-8 CRC-32C; idempotent. */
export function useFastCrc32C(): void {
  if (patched) return;
  patched = true;
  installCrc32C(crc32c);
}
