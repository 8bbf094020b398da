/**
 * The record under a `RecordCursor` as a `MessageView`: the only place a
 * record's bytes are copied out of the fetch buffer, called for the
 * messages a page shows (never for every message a scan walks past).
 */
import {
  bytesView,
  headerName,
  type HeaderView,
  MAX_SHOWN_VALUE_BYTES,
  type MessageView,
} from "./message_view.ts";
import type { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";
import { cloudEventView } from "./cloud_event_view.ts";

/** Short header values are shown whole; a header is metadata, not a payload. */
const MAX_SHOWN_HEADER_BYTES = 4 * 1024;

/** The cursor's current record of `partition` as shown by the console. */
export function recordView(cursor: RecordCursor, partition: number): MessageView {
  const b = cursor.bytes;
  const headers: HeaderView[] = [];
  let headerBytes = 0;
  cursor.forEachHeader((nameStart, nameLength, valueStart, valueLength) => {
    headerBytes += Math.max(0, nameLength) + Math.max(0, valueLength);
    headers.push({
      name: headerName(b.subarray(nameStart, nameStart + Math.max(0, nameLength))),
      value: valueLength < 0
        ? null
        : bytesView(b.subarray(valueStart, valueStart + valueLength), MAX_SHOWN_HEADER_BYTES),
    });
  });
  const key = cursor.keyLength < 0
    ? null
    : bytesView(b.subarray(cursor.keyStart, cursor.keyStart + cursor.keyLength));
  const value = cursor.valueLength < 0 ? null : bytesView(
    b.subarray(cursor.valueStart, cursor.valueStart + cursor.valueLength),
    MAX_SHOWN_VALUE_BYTES,
  );
  const view: MessageView = {
    partition,
    offset: cursor.offset,
    timestamp: cursor.timestamp,
    key,
    value,
    headers,
    size: Math.max(0, cursor.keyLength) + Math.max(0, cursor.valueLength) + headerBytes,
  };
  const event = cloudEventView(headers, value);
  if (event) view.cloudEvent = event;
  return view;
}
