/**
 * A Kafka message as the console shows it: partition, offset, timestamp,
 * key, value, headers and size, every byte string turned into text the
 * page renders as text (JSON pretty-printed, UTF-8 as is, anything else as
 * hex). Values over `MAX_SHOWN_VALUE_BYTES` are cut, with the full size
 * kept so the page can link to the whole value.
 */
import type { BytesView, HeaderView } from "./bytes_view.ts";
import type { CloudEventView } from "./cloud_event_view.ts";
import type { SchemaView } from "./schema_view.ts";

export {
  type BytesView,
  bytesView,
  headerName,
  type HeaderView,
  MAX_SHOWN_VALUE_BYTES,
} from "./bytes_view.ts";

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
