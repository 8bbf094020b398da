/** A record as the kernel's topic reader hands it out: plain values, copied out of the fetch. */
import type { Batch, KafkaMessage } from "kafkajs";
import { headersToStrings } from "./cloudevents.ts";

/** A message as read by `readRange` and `TopicReplay`. */
export interface ReadMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: string | null;
  value: Uint8Array | null;
  headers: Record<string, string>;
}

/** A KafkaJS message of `batch` as a `ReadMessage` (its value copied out of the fetch buffer). */
export function toReadMessage(batch: Batch, m: KafkaMessage): ReadMessage {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key === null ? null : m.key.toString(),
    value: m.value === null ? null : new Uint8Array(m.value),
    headers: headersToStrings(m.headers as Record<string, unknown>),
  };
}
