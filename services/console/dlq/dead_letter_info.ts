/**
 * What a dead letter's headers say, whichever convention wrote them
 * (conventions.ts: Freshet's own, Spring Kafka's, Kafka Connect's): why it
 * failed, where it came from (topic, partition, offset), when, which
 * consumer and group, and the convention itself; and, when it is a message
 * that had been redriven before and failed again, its redrive headers
 * (redrive.ts writes them).
 */
import type { HeaderView } from "../messages/message_view.ts";
import { type ConventionInfo, conventionInfo } from "./conventions.ts";

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
export interface DeadLetterInfo extends ConventionInfo {
  /** Set when the message had been redriven before and failed again. */
  previousRedrive:
    | { count: number; of: string | null; at: string | null; by: string | null }
    | null;
}

const encoder = new TextEncoder();

/** Bytes of the hex a binary header view shows. */
function decodeHex(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

/** A header's bytes as its view holds them (binary views hold hex). */
function headerBytes(header: HeaderView | undefined): Uint8Array | null {
  if (!header?.value) return null;
  return header.value.kind === "binary"
    ? decodeHex(header.value.text)
    : encoder.encode(header.value.text);
}

/** The dead-letter headers of `headers`. */
export function deadLetterInfo(headers: HeaderView[]): DeadLetterInfo {
  const get = (name: string) => headerBytes(headers.findLast((h) => h.name === name));
  const text = (name: string) => {
    const bytes = get(name);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  };
  const countText = text(REDRIVE_HEADERS.count);
  const count = countText !== null && /^\d+$/.test(countText) ? Number(countText) : null;
  return {
    ...conventionInfo(get),
    previousRedrive: count === null ? null : {
      count,
      of: text(REDRIVE_HEADERS.of),
      at: text(REDRIVE_HEADERS.at),
      by: text(REDRIVE_HEADERS.by),
    },
  };
}
