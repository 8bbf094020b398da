/**
 * How a consumer learns that records could not be read: a batch whose
 * codec is unknown or whose bytes do not decompress becomes, in KafkaJS's
 * decoding (kafkajs_codecs.ts), one marker record per record of the batch,
 * at the batch's offsets, each carrying these headers. The consumer runner
 * dead-letters markers with the reason (shared/consumer/decode.ts) and
 * goes on; nothing stops on them. The first marker's value is the batch's
 * compressed bytes, so the dead letter keeps what Kafka held.
 */

/** Headers of a marker record. */
export const UNDECODABLE_HEADERS = {
  /** Why the batch could not be read. */
  reason: "freshet_undecodable",
  /** `UNKNOWN_CODEC` or `CORRUPT_BATCH`. */
  code: "freshet_undecodable_code",
  /** The batch's codec (`codec 5` for an unknown one). */
  codec: "freshet_undecodable_codec",
  /** The batch's offsets, `first-last`. */
  offsets: "freshet_undecodable_offsets",
} as const;

/** A marker's reason and code, or undefined for a real record. */
export function undecodableMark(
  headers: Record<string, string>,
): { reason: string; code: string } | undefined {
  const reason = headers[UNDECODABLE_HEADERS.reason];
  if (reason === undefined) return undefined;
  return { reason, code: headers[UNDECODABLE_HEADERS.code] ?? "CORRUPT_BATCH" };
}
