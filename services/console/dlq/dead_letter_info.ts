/**
 * What a dead letter's headers say (shared/consumer/dead_letter.ts writes
 * them): why it failed (error, code), where it came from (topic,
 * partition, offset), when, which consumer and group; and, when it is a
 * message that had been redriven before and failed again, its redrive
 * headers (redrive.ts writes them).
 */
import { DLQ_HEADERS } from "../../../shared/consumer/dead_letter.ts";
import type { HeaderView } from "../messages/message_view.ts";

/** Headers a redrive adds to the message it sends back to the original topic. */
export const REDRIVE_HEADERS = {
  /** `<dlq topic>/<partition>/<offset>` of the dead letter redriven. */
  of: "freshet_redrive_of",
  /** How many times this message has been redriven (1 the first time). */
  count: "freshet_redrive_count",
  /** ISO time of the redrive. */
  at: "freshet_redriven_at",
  /** The operator who redrove it. */
  by: "freshet_redriven_by",
} as const;

/** A dead letter's reason and origin. */
export interface DeadLetterInfo {
  error: string | null;
  code: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: number | null;
  failedAt: string | null;
  consumer: string | null;
  group: string | null;
  /** Set when the message had been redriven before and failed again. */
  previousRedrive:
    | { count: number; of: string | null; at: string | null; by: string | null }
    | null;
}

/** The dead-letter headers of `headers`. */
export function deadLetterInfo(headers: HeaderView[]): DeadLetterInfo {
  const get = (name: string) => {
    const header = headers.findLast((h) => h.name === name);
    return header?.value && header.value.kind !== "binary" ? header.value.text : null;
  };
  const int = (name: string) => {
    const text = get(name);
    return text !== null && /^\d+$/.test(text) ? Number(text) : null;
  };
  const count = int(REDRIVE_HEADERS.count);
  return {
    error: get(DLQ_HEADERS.error),
    code: get(DLQ_HEADERS.code),
    originalTopic: get(DLQ_HEADERS.topic),
    originalPartition: int(DLQ_HEADERS.partition),
    originalOffset: int(DLQ_HEADERS.offset),
    failedAt: get(DLQ_HEADERS.failedAt),
    consumer: get(DLQ_HEADERS.consumer),
    group: get(DLQ_HEADERS.group),
    previousRedrive: count === null ? null : {
      count,
      of: get(REDRIVE_HEADERS.of),
      at: get(REDRIVE_HEADERS.at),
      by: get(REDRIVE_HEADERS.by),
    },
  };
}
