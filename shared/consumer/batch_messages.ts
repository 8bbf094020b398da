/**
 * Where a fetched record enters the kernel: a KafkaJS batch becomes the
 * runner's messages (offset, timestamp, key as text, value as bytes,
 * headers as text), those below the partition's stored offset left out
 * (already applied: a redelivery). Decoding and validating the value, and
 * applying or dead-lettering it, happen in one place after this:
 * apply_batch.ts (`runHandlers`).
 */
import type { Batch } from "kafkajs";
import { headersToStrings } from "../kafka/cloudevents.ts";
import type { BatchMessage } from "./apply_batch.ts";

/** The batch's messages at or after `stored`, and how many were below it. */
export function batchMessages(
  batch: Batch,
  stored: number | undefined,
): { messages: BatchMessage[]; skipped: number } {
  const { topic, partition } = batch;
  const messages: BatchMessage[] = [];
  let skipped = 0;
  for (const m of batch.messages) {
    const offset = Number(m.offset);
    if (stored !== undefined && offset < stored) {
      skipped++;
      continue;
    }
    messages.push({
      topic,
      partition,
      offset,
      timestamp: Number(m.timestamp),
      key: m.key === null ? null : m.key.toString(),
      value: m.value === null ? null : m.value,
      headers: headersToStrings(m.headers as Record<string, unknown>),
    });
  }
  return { messages, skipped };
}
