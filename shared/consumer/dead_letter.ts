/**
 * Dead letters: a message that cannot be processed goes to `<topic>.dlq`,
 * unchanged, with headers saying why and where it came from. It is written
 * to the outbox in the batch's transaction (a processor sends it in the
 * batch's Kafka transaction), so it is sent exactly once and only if the
 * offset moves past the message.
 */
import { errorCode, errorMessage } from "../core/errors.ts";
import { enqueue, type OutboxEvent } from "../outbox/outbox.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";

/** Headers added to a dead letter. */
export const DLQ_HEADERS = {
  error: "dlq_error",
  code: "dlq_error_code",
  topic: "dlq_original_topic",
  partition: "dlq_original_partition",
  offset: "dlq_original_offset",
  consumer: "dlq_consumer",
  group: "dlq_group",
  failedAt: "dlq_failed_at",
} as const;

/** Name of the dead-letter topic of `topic`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}

/** The message being dead-lettered. */
export interface FailedMessage {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Uint8Array | null;
  headers: Record<string, string>;
}

/** Who dead-letters a message. */
export interface DeadLetterOrigin {
  consumer: string;
  groupId: string;
}

/** The dead letter of `message` for `error`, as an event to send. */
export function deadLetterEvent(
  message: FailedMessage,
  error: unknown,
  origin: DeadLetterOrigin,
): OutboxEvent {
  const original: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    original[name.startsWith("ce_") ? `original_${name}` : name] = value;
  }
  return {
    topic: deadLetterTopic(message.topic),
    key: message.key,
    value: message.value ?? null,
    type: "freshet.dead_letter",
    source: `freshet/${origin.consumer}`,
    headers: {
      ...original,
      [DLQ_HEADERS.error]: errorMessage(error).slice(0, 2_000),
      [DLQ_HEADERS.code]: errorCode(error),
      [DLQ_HEADERS.topic]: message.topic,
      [DLQ_HEADERS.partition]: String(message.partition),
      [DLQ_HEADERS.offset]: String(message.offset),
      [DLQ_HEADERS.consumer]: origin.consumer,
      [DLQ_HEADERS.group]: origin.groupId,
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  };
}

/** Enqueues the dead letter of `message` for `error` in the outbox (inside the batch's transaction). */
export function enqueueDeadLetter(
  db: DatabaseSync,
  message: FailedMessage,
  error: unknown,
  origin: DeadLetterOrigin,
): void {
  enqueue(db, deadLetterEvent(message, error, origin));
}
