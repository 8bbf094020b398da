/**
 * The live feed: the newest messages of each topic, kept as truncated text
 * (a Kafka value is any bytes; pages render it as text, never as markup).
 */

/** Messages kept per topic. */
export const FEED_PER_TOPIC = 20;
/** Characters kept of a value, a key, a header value. */
export const FEED_VALUE_CHARS = 500;
const FEED_KEY_CHARS = 200;
const FEED_HEADERS = 20;

/** One message of the feed. */
export interface FeedMessage {
  topic: string;
  partition: number;
  offset: number;
  /** Kafka timestamp, milliseconds since the epoch. */
  timestamp: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const decoder = new TextDecoder("utf-8", { fatal: false });

/** `bytes` as text of at most `max` characters (an ellipsis marks a cut). */
export function truncatedText(bytes: Uint8Array | null | undefined, max: number): string | null {
  if (bytes === null || bytes === undefined) return null;
  const text = decoder.decode(bytes.subarray(0, max * 4));
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A KafkaJS message as a feed entry. */
export function toFeedMessage(
  topic: string,
  partition: number,
  message: {
    offset: string;
    timestamp: string;
    key: Uint8Array | null;
    value: Uint8Array | null;
    headers?: Record<string, unknown>;
  },
): FeedMessage {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(message.headers ?? {}).slice(0, FEED_HEADERS)) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    headers[name.slice(0, FEED_KEY_CHARS)] = first instanceof Uint8Array
      ? truncatedText(first, FEED_KEY_CHARS) ?? ""
      : String(first ?? "").slice(0, FEED_KEY_CHARS);
  }
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: truncatedText(message.key, FEED_KEY_CHARS),
    value: truncatedText(message.value, FEED_VALUE_CHARS),
    headers,
  };
}
