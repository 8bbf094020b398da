/**
 * The body of a v2 produce request, `{records: [{key?, value?, partition?}]}`,
 * turned into Kafka keys and values: the json format writes each key and
 * value as `JSON.stringify` of the embedded JSON (a string key `"a"` is the
 * three bytes `"a"`, as Confluent's JSON serializer writes it); the binary
 * format decodes base64. A missing or null key or value is a Kafka null.
 * Other top-level fields (`key_schema_id`, …) are ignored, as the proxy does
 * for these formats. The Schema Registry formats keep each key and value
 * as JSON (`embedded`) for schema_records.ts to encode.
 */
import { Buffer } from "node:buffer";
import { ERROR_CODES, RestProxyError } from "./errors.ts";
import type { EmbeddedFormat } from "./media.ts";

/** One record to produce. */
export interface ProduceRecord {
  key: string | Buffer | null;
  value: string | Buffer | null;
  /** Chosen by the client on the topic endpoint. */
  partition?: number;
  /** Schema Registry formats: the key and value as the request embeds them (JSON). */
  embedded?: { key: unknown; value: unknown };
}

/** Options of `parseRecords`. */
export interface ParseRecordsOptions {
  format: EmbeddedFormat;
  /** True on `/topics/{t}/partitions/{p}`, where records may not name a partition. */
  partitionInUrl: boolean;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const MAX_PARTITION = 2 ** 31 - 1;

function invalid(message: string): RestProxyError {
  return new RestProxyError(422, ERROR_CODES.invalidRecord, message);
}

function embedded(
  value: unknown,
  format: EmbeddedFormat,
  where: string,
): string | Buffer | null {
  if (value === undefined || value === null) return null;
  if (format !== "binary") return JSON.stringify(value);
  if (typeof value !== "string") throw invalid(`${where}: expected a base64 string`);
  if (!BASE64.test(value)) throw invalid(`${where}: not valid base64`);
  return Buffer.from(value, "base64");
}

function partitionOf(value: unknown, where: string, options: ParseRecordsOptions) {
  if (value === undefined || value === null) return undefined;
  if (options.partitionInUrl) {
    throw invalid(`${where}: not allowed when the URL names the partition`);
  }
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_PARTITION) {
    throw invalid(`${where}: expected a partition number (an integer ≥ 0)`);
  }
  return value;
}

/** Parses and converts the body; throws a `RestProxyError` (400, 422) saying what is wrong. */
export function parseRecords(text: string, options: ParseRecordsOptions): ProduceRecord[] {
  if (text.trim() === "") {
    throw new RestProxyError(422, ERROR_CODES.invalidRequest, "request body is empty");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new RestProxyError(
      400,
      ERROR_CODES.notJson,
      `request body is not JSON: ${(error as Error).message}`,
    );
  }
  const records = (body as { records?: unknown } | null)?.records;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new RestProxyError(422, ERROR_CODES.invalidRequest, "expected {records: [...]}");
  }
  if (!Array.isArray(records) || records.length === 0) {
    throw new RestProxyError(
      422,
      ERROR_CODES.invalidRequest,
      "records: expected a non-empty array",
    );
  }
  return records.map((record: unknown, i): ProduceRecord => {
    const where = `records[${i}]`;
    if (typeof record !== "object" || record === null || Array.isArray(record)) {
      throw new RestProxyError(422, ERROR_CODES.invalidRequest, `${where}: expected an object`);
    }
    const r = record as Record<string, unknown>;
    const parsed: ProduceRecord = {
      key: embedded(r.key, options.format, `${where}.key`),
      value: embedded(r.value, options.format, `${where}.value`),
      partition: partitionOf(r.partition, `${where}.partition`, options),
    };
    if (options.format !== "json" && options.format !== "binary") {
      parsed.embedded = { key: r.key ?? null, value: r.value ?? null };
    }
    return parsed;
  });
}
