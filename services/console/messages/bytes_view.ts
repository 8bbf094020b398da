/**
 * A byte string (a key, a value, a header) as the console shows it: JSON
 * pretty-printed, UTF-8 as is, anything else as hex; cut after
 * `MAX_SHOWN_VALUE_BYTES`, with the full size kept.
 */
import { encodeHex } from "../../../shared/core/hex.ts";
import { isJsonDocument, prettyJson } from "./json_pretty.ts";

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
