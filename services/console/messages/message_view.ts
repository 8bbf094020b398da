/**
 * A Kafka message as the console shows it: partition, offset, timestamp,
 * key, value, headers and size, every byte string turned into text the
 * page renders as text (JSON pretty-printed, UTF-8 as is, anything else as
 * hex). Values over `MAX_SHOWN_VALUE_BYTES` are cut, with the full size
 * kept so the page can link to the whole value.
 */
import { encodeHex } from "../../../shared/core/hex.ts";
import { isJsonDocument, prettyJson } from "./json_pretty.ts";
import type { CloudEventView } from "./cloud_event_view.ts";
import type { SchemaView } from "./schema_view.ts";

/** Largest value shown in full (20 KB); longer ones are truncated. */
export const MAX_SHOWN_VALUE_BYTES = 20 * 1024;

/** A byte string as text. */
export interface BytesView {
  /** json: pretty-printed; text: UTF-8 as is; binary: hex. */
  kind: "json" | "text" | "binary";
  text: string;
  /** Size in bytes of the whole original. */
  size: number;
  /** Whether `text` shows only the first `MAX_SHOWN_VALUE_BYTES`. */
  truncated: boolean;
}

/** One header (a header value may be null). */
export interface HeaderView {
  name: string;
  value: BytesView | null;
}

/** One message. */
export interface MessageView {
  partition: number;
  offset: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  /** Null: no key. */
  key: BytesView | null;
  /** Null: a tombstone (null value). */
  value: BytesView | null;
  headers: HeaderView[];
  /** Bytes of key, value and headers. */
  size: number;
  /** Its CloudEvent (binary or structured mode), if it carries one. */
  cloudEvent?: CloudEventView;
  /** Its value decoded with its Schema Registry schema, if it is in that wire format. */
  schema?: SchemaView;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** How the console shows `bytes` (at most `limit` of them). */
export function bytesView(bytes: Uint8Array, limit = MAX_SHOWN_VALUE_BYTES): BytesView {
  const size = bytes.byteLength;
  const truncated = size > limit;
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    return { kind: "binary", text: encodeHex(bytes.subarray(0, limit)), size, truncated };
  }
  if (truncated) return { kind: "text", text: cutUtf8(bytes, limit), size, truncated };
  if (isJsonDocument(text)) return { kind: "json", text: prettyJson(text), size, truncated };
  return { kind: "text", text, size, truncated };
}

/** The first `limit` bytes of valid UTF-8 as text, without splitting a character. */
function cutUtf8(bytes: Uint8Array, limit: number): string {
  let end = limit;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return utf8.decode(bytes.subarray(0, end));
}

/** A header name: UTF-8 text, or its hex when it is not UTF-8. */
export function headerName(bytes: Uint8Array): string {
  return decodeUtf8(bytes) ?? `0x${encodeHex(bytes)}`;
}
