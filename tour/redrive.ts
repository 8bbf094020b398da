/**
 * Redrive: dead letters sent back to the topic they came from, once the
 * cause of their failure is fixed. The original key and value go back
 * byte for byte, with the original headers (the `dlq_*` ones dropped,
 * `original_ce_*` restored), at a new offset — so the consumer, whose
 * offsets are past the failed message, reads them as new.
 */
import { Buffer } from "node:buffer";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { createIdempotentProducer } from "../shared/kafka/client.ts";
import { type ReadMessage, readRange } from "../shared/kafka/topic_reader.ts";
import type { Tour } from "./tour.ts";

/** The headers to send a dead letter back with. */
export function redriveHeaders(dead: ReadMessage): Record<string, string> {
  const dlq = new Set<string>(Object.values(DLQ_HEADERS));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(dead.headers)) {
    if (dlq.has(name) || name.startsWith("ce_")) continue;
    headers[name.startsWith("original_ce_") ? name.slice("original_".length) : name] = value;
  }
  return headers;
}

/** Sends every dead letter of `dlqTopic` matching `select` back to its original topic. */
export async function redrive(
  tour: Tour,
  dlqTopic: string,
  select: (dead: ReadMessage) => boolean = () => true,
): Promise<ReadMessage[]> {
  const { messages } = await readRange(tour.admin, {
    groupId: tour.group("redrive"),
    topics: [dlqTopic],
    from: "earliest",
  });
  const chosen = messages.filter(select);
  const producer = tour.track(createIdempotentProducer(tour.admin));
  await producer.connect();
  for (const dead of chosen) {
    await producer.send({
      topic: dead.headers[DLQ_HEADERS.topic],
      messages: [{
        key: dead.key,
        value: dead.value ? Buffer.from(dead.value) : null,
        headers: redriveHeaders(dead),
      }],
    });
  }
  await tour.close(producer);
  return chosen;
}
