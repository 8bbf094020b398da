/**
 * CloudEvents binary-mode attributes carried in Kafka headers (`ce_id`,
 * `ce_type`, `ce_source`, `ce_time`, `content-type`). Optional on input:
 * producers outside Freshet (kcat, the REST Proxy) send bare JSON.
 */

/** The attributes Freshet sets on every event it produces. */
export interface CloudEventAttributes {
  id: string;
  type: string;
  source: string;
  time: string;
}

/** Headers for an event; `extra` headers are kept, but never override the `ce_` attributes. */
export function cloudEventHeaders(
  attributes: CloudEventAttributes,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...extra,
    ce_specversion: "1.0",
    ce_id: attributes.id,
    ce_type: attributes.type,
    ce_source: attributes.source,
    ce_time: attributes.time,
    "content-type": extra["content-type"] ?? "application/json",
  };
}

/** Kafka headers (Buffer, string, arrays or undefined values) as plain strings. */
export function headersToStrings(
  headers: Record<string, unknown> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const decoder = new TextDecoder();
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[value.length - 1] : value;
    if (first === undefined || first === null) continue;
    out[name] = typeof first === "string" ? first : decoder.decode(first as Uint8Array);
  }
  return out;
}

/** The content type of a CloudEvent in structured mode (the whole event in the value). */
export const STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

/** A CloudEvent read from a structured-mode record. */
export interface StructuredEvent {
  /** Context attributes (`id`, `type`, `source`, `specversion`, `time`, extensions…) as strings. */
  attributes: Record<string, string>;
  /** `data` as JSON (or the decoded `data_base64`, parsed when its content type is JSON). */
  data: unknown;
  /** Whether `data` came from `data_base64` and is not JSON (then it is a Uint8Array). */
  binaryData: boolean;
}

/** Whether a record's headers say its value is a structured-mode CloudEvent. */
export function isStructuredEvent(headers: Record<string, string>): boolean {
  const type = headers["content-type"] ?? headers["Content-Type"];
  return type !== undefined &&
    type.split(";")[0].trim().toLowerCase() === STRUCTURED_CONTENT_TYPE;
}

const JSON_TYPE = /^(application|text)\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * Parses a structured-mode event (CloudEvents 1.0 JSON format): throws an
 * Error naming what is wrong when `text` is not one.
 */
export function parseStructuredEvent(text: string): StructuredEvent {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch (cause) {
    throw new Error(`the CloudEvent is not valid JSON: ${(cause as Error).message}`);
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw new Error("the CloudEvent is not a JSON object");
  }
  const fields = event as Record<string, unknown>;
  for (const required of ["specversion", "id", "source", "type"]) {
    if (typeof fields[required] !== "string" || fields[required] === "") {
      throw new Error(`the CloudEvent has no ${required}`);
    }
  }
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === "data" || name === "data_base64" || value === null) continue;
    attributes[name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  if (typeof fields.data_base64 === "string") {
    const bytes = Uint8Array.from(atob(fields.data_base64), (c) => c.charCodeAt(0));
    const contentType = attributes.datacontenttype;
    if (contentType !== undefined && JSON_TYPE.test(contentType)) {
      return { attributes, data: JSON.parse(new TextDecoder().decode(bytes)), binaryData: false };
    }
    return { attributes, data: bytes, binaryData: true };
  }
  return { attributes, data: fields.data ?? null, binaryData: false };
}
