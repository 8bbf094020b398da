/**
 * Kafka's five compression codecs, by the id a record batch carries in
 * its attributes (bits 0–2): none, gzip, snappy, lz4 and zstd. Every
 * reader of Freshet (KafkaJS consumers through kafkajs_codecs.ts, the
 * console's own reader) and every producer uses these, so a batch any
 * client writes is read, and a batch Freshet writes is read by any client.
 * gzip and zstd come with Deno (`node:zlib`); snappy and lz4 are plain
 * JavaScript (snappy_xerial.ts, lz4_frame.ts): no native code, no FFI.
 */
import { gunzipSync, gzipSync, zstdCompressSync, zstdDecompressSync } from "node:zlib";
import { FreshetError } from "../../core/errors.ts";
import { lz4FrameCompress, lz4FrameDecompress } from "./lz4_frame.ts";
import { snappyCompress, snappyDecompress } from "./snappy_xerial.ts";

/** Codec names, indexed by their id. */
export const COMPRESSION_CODECS = ["none", "gzip", "snappy", "lz4", "zstd"] as const;

/** A codec's name, as Kafka's `compression.type` spells it. */
export type CompressionCodec = typeof COMPRESSION_CODECS[number];

/** The largest batch content gzip and zstd may unpack to (a bomb must not take the memory). */
const MAX_CONTENT_BYTES = 512 * 1024 * 1024;

/** The name of codec `id`, or `codec <id>` for the ids Kafka has not assigned (5–7). */
export function codecName(id: number): string {
  return COMPRESSION_CODECS[id] ?? `codec ${id}`;
}

/** The id of a codec name. */
export function codecId(name: CompressionCodec): number {
  return COMPRESSION_CODECS.indexOf(name);
}

/**
 * A batch that cannot be decompressed: an unknown codec (`UNKNOWN_CODEC`)
 * or bytes its codec rejects (`CORRUPT_BATCH`). Never retriable: the same
 * bytes fail the same way.
 */
export class CompressionError extends FreshetError {
  constructor(readonly codec: string, code: "UNKNOWN_CODEC" | "CORRUPT_BATCH", detail: string) {
    super(detail, { code, retriable: false });
    this.name = "CompressionError";
  }
}

function decode(id: number, bytes: Uint8Array): Uint8Array {
  switch (id) {
    case 0:
      return bytes;
    case 1:
      return gunzipSync(bytes, { maxOutputLength: MAX_CONTENT_BYTES });
    case 2:
      return snappyDecompress(bytes);
    case 3:
      return lz4FrameDecompress(bytes);
    case 4:
      return zstdDecompressSync(bytes, { maxOutputLength: MAX_CONTENT_BYTES });
  }
  throw new CompressionError(
    codecName(id),
    "UNKNOWN_CODEC",
    `the batch is compressed with codec ${id}, which no Kafka version defines (known: 0-4)`,
  );
}

/** The records of a batch compressed with codec `id`, decompressed; throws CompressionError. */
export function decompress(id: number, bytes: Uint8Array): Uint8Array {
  try {
    const records = decode(id, bytes);
    // A compressed batch holds at least one record; zstd answers a cut
    // frame with nothing rather than an error.
    if (id !== 0 && records.byteLength === 0) throw new Error("it holds no records (cut short?)");
    return records;
  } catch (error) {
    if (error instanceof CompressionError) throw error;
    throw new CompressionError(
      codecName(id),
      "CORRUPT_BATCH",
      `the ${codecName(id)}-compressed batch cannot be decompressed: ${
        (error as Error)?.message ?? error
      }`,
    );
  }
}

/** `bytes` compressed with `codec`. */
export function compress(codec: CompressionCodec, bytes: Uint8Array): Uint8Array {
  switch (codec) {
    case "none":
      return bytes;
    case "gzip":
      return gzipSync(bytes);
    case "snappy":
      return snappyCompress(bytes);
    case "lz4":
      return lz4FrameCompress(bytes);
    case "zstd":
      return zstdCompressSync(bytes);
  }
}
