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
