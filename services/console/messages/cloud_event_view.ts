/**
 * A message's CloudEvent as the console shows it: in binary mode its
 * attributes are the `ce_*` headers (and `content-type`); in structured
 * mode (`content-type: application/cloudevents+json`) the whole event is
 * the value, its attributes beside its `data`. Nothing when the message is
 * neither.
 */
import {
  isStructuredEvent,
  parseStructuredEvent,
  STRUCTURED_CONTENT_TYPE,
} from "../../../shared/kafka/cloudevents.ts";
import { type BytesView, bytesView, type HeaderView } from "./bytes_view.ts";

/** The CloudEvent of a message. */
export interface CloudEventView {
  mode: "binary" | "structured";
  /** Context attributes by name (`id`, `type`, `source`, `specversion`, `time`, extensions). */
  attributes: Record<string, string>;
  /** Structured mode: the event's data (binary mode: the data is the message value). */
  data?: BytesView | null;
  /** Structured mode: why the value could not be read as an event. */
  problem?: string;
}

const encoder = new TextEncoder();

/** The CloudEvent of a message with `headers` and `value`, if it carries one. */
export function cloudEventView(
  headers: HeaderView[],
  value: BytesView | null,
): CloudEventView | undefined {
  const text = (h: HeaderView) => h.value && h.value.kind !== "binary" ? h.value.text : undefined;
  const plain: Record<string, string> = {};
  for (const h of headers) {
    const v = text(h);
    if (v !== undefined) plain[h.name] = v;
  }
  if (isStructuredEvent(plain)) {
    if (!value || value.truncated || value.kind === "binary") {
      return {
        mode: "structured",
        attributes: {},
        problem: value?.truncated
          ? "the event is larger than the part shown: open the whole value"
          : `the value is not ${STRUCTURED_CONTENT_TYPE}`,
      };
    }
    try {
      const event = parseStructuredEvent(value.text);
      const data = event.data === null ? null : bytesView(
        event.data instanceof Uint8Array ? event.data : encoder.encode(JSON.stringify(event.data)),
      );
      return { mode: "structured", attributes: event.attributes, data };
    } catch (error) {
      return { mode: "structured", attributes: {}, problem: (error as Error).message };
    }
  }
  const attributes: Record<string, string> = {};
  for (const [name, v] of Object.entries(plain)) {
    if (name.startsWith("ce_")) attributes[name.slice(3)] = v;
  }
  if (attributes.specversion === undefined && attributes.id === undefined) return undefined;
  if (plain["content-type"]) attributes.datacontenttype = plain["content-type"];
  return { mode: "binary", attributes };
}
