/**
 * A message an operator produces from the console: key, value, headers and
 * partition, from the form (headers one `name: value` per line) or a JSON
 * body (`{key, value, headers: {name: value}, partition}`). An empty key
 * is no key; a null value (the form's "tombstone" box) is a tombstone; a
 * JSON value that is not a string is sent as its JSON text.
 */

/** What to send. */
export interface ProduceInput {
  /**
   * Encode the value (JSON) with this Schema Registry subject's latest
   * schema, in the registry's wire format; Protobuf as `message` (default
   * the file's first message).
   */
  subject?: string;
  message?: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** Undefined: the default partitioner (murmur2 of the key, as every Freshet producer). */
  partition?: number;
}

/** A parse result. */
export type ParsedProduce = { ok: true; value: ProduceInput } | { ok: false; problems: string[] };

function parsePartition(raw: unknown, problems: string[]): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const value = typeof raw === "number" ? raw : Number(String(raw).trim());
  if (!Number.isInteger(value) || value < 0) {
    problems.push("partition must be a non-negative integer (or empty for the partitioner)");
    return undefined;
  }
  return value;
}

function parseHeaderLines(text: string, problems: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === "") continue;
    const colon = raw.indexOf(":");
    const name = colon < 0 ? "" : raw.slice(0, colon).trim();
    if (name === "") {
      problems.push(`expected "name: value" in headers (got ${JSON.stringify(raw.slice(0, 80))})`);
      continue;
    }
    if (name in headers) problems.push(`header ${JSON.stringify(name)} is given twice`);
    headers[name] = raw.slice(colon + 1).trim();
  }
  return headers;
}

/** The message of a console form. */
export function parseProduceForm(form: FormData): ParsedProduce {
  const problems: string[] = [];
  const key = String(form.get("key") ?? "");
  const tombstone = form.get("tombstone") !== null;
  const value = tombstone ? null : String(form.get("value") ?? "");
  const headers = parseHeaderLines(String(form.get("headers") ?? ""), problems);
  const partition = parsePartition(form.get("partition"), problems);
  const subject = String(form.get("subject") ?? "").trim() || undefined;
  const message = String(form.get("message") ?? "").trim() || undefined;
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      key: key === "" ? null : key,
      value,
      headers,
      partition,
      ...(subject ? { subject } : {}),
      ...(message ? { message } : {}),
    },
  };
}

/** The message of a JSON body. */
export function parseProduceJson(body: unknown): ParsedProduce {
  const problems: string[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, problems: ["expected a JSON object {key, value, headers, partition}"] };
  }
  const input = body as Record<string, unknown>;
  if (!("value" in input)) problems.push("value is required (null for a tombstone)");
  const key = input.key === undefined || input.key === null ? null : input.key;
  if (key !== null && typeof key !== "string") problems.push("key must be a string or null");
  const value = input.value === null || input.value === undefined
    ? null
    : typeof input.value === "string"
    ? input.value
    : JSON.stringify(input.value);
  const headers: Record<string, string> = {};
  if (input.headers !== undefined && input.headers !== null) {
    if (typeof input.headers !== "object" || Array.isArray(input.headers)) {
      problems.push("headers must be an object of names to string values");
    } else {
      for (const [name, v] of Object.entries(input.headers)) {
        if (typeof v !== "string") problems.push(`headers.${name} must be a string`);
        else headers[name] = v;
      }
    }
  }
  const partition = parsePartition(input.partition, problems);
  const text = (name: string) => {
    const v = input[name];
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v !== "string") problems.push(`${name} must be a string`);
    return typeof v === "string" ? v : undefined;
  };
  const subject = text("subject");
  const message = text("message");
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      key: key as string | null,
      value,
      headers,
      partition,
      ...(subject ? { subject } : {}),
      ...(message ? { message } : {}),
    },
  };
}
