/**
 * Content types of the REST Proxy v2 produce API:
 * `application/vnd.kafka.json.v2+json` (records embed JSON),
 * `application/vnd.kafka.binary.v2+json` (records embed base64), and the
 * Schema Registry formats `application/vnd.kafka.avro.v2+json`,
 * `…protobuf.v2+json` and `…jsonschema.v2+json` (records embed JSON,
 * encoded with `value_schema` / `value_schema_id`). Responses
 * are `application/vnd.kafka.v2+json`, or `application/json` for a client
 * that asks only for that (as Confluent's proxy answers it).
 */
import { ERROR_CODES, RestProxyError } from "./errors.ts";

/** How records embed their keys and values. */
export type EmbeddedFormat = "json" | "binary" | SchemaFormat;

/** The formats whose records are encoded with a Schema Registry schema. */
export type SchemaFormat = "avro" | "protobuf" | "jsonschema";

/** Whether `format` is one of the Schema Registry formats. */
export function isSchemaFormat(format: EmbeddedFormat): format is SchemaFormat {
  return format === "avro" || format === "protobuf" || format === "jsonschema";
}

/** Request type of records with JSON keys and values. */
export const KAFKA_JSON_V2 = "application/vnd.kafka.json.v2+json";
/** Request type of records with base64 keys and values. */
export const KAFKA_BINARY_V2 = "application/vnd.kafka.binary.v2+json";
/** Response type of the v2 API. */
export const KAFKA_V2 = "application/vnd.kafka.v2+json";

const SCHEMA_FORMATS = new Set(["avro", "protobuf", "jsonschema"]);

/** Request types of the Schema Registry formats. */
export const KAFKA_AVRO_V2 = "application/vnd.kafka.avro.v2+json";
export const KAFKA_PROTOBUF_V2 = "application/vnd.kafka.protobuf.v2+json";
export const KAFKA_JSONSCHEMA_V2 = "application/vnd.kafka.jsonschema.v2+json";

function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * The embedded format of a produce request, from its Content-Type. Anything
 * else is refused with 415: `application/json` too, which the current
 * Confluent proxy refuses on v2 produce (older docs read it as binary).
 */
export function embeddedFormat(req: Request): EmbeddedFormat {
  const type = mediaType(req.headers.get("content-type"));
  if (type === KAFKA_JSON_V2) return "json";
  if (type === KAFKA_BINARY_V2) return "binary";
  const schema = type.match(/^application\/vnd\.kafka\.([a-z]+)\.v2\+json$/)?.[1];
  if (schema && SCHEMA_FORMATS.has(schema)) return schema as SchemaFormat;
  throw new RestProxyError(
    415,
    ERROR_CODES.unsupportedMediaType,
    `HTTP 415 Unsupported Media Type: use ${KAFKA_JSON_V2}, ${KAFKA_BINARY_V2}, ${KAFKA_AVRO_V2}, ` +
      `${KAFKA_PROTOBUF_V2} or ${KAFKA_JSONSCHEMA_V2} (got ${
        type ? JSON.stringify(type) : "no Content-Type"
      })`,
  );
}

/** The response type for `req`'s Accept header: the v2 type unless only plain JSON is asked for. */
export function responseType(req: Request): string {
  const accept = (req.headers.get("accept") ?? "").toLowerCase();
  if (accept.includes("application/vnd.kafka")) return KAFKA_V2;
  return accept.includes("application/json") ? "application/json" : KAFKA_V2;
}

/** A JSON response of `type`. */
export function jsonResponse(body: unknown, status: number, type: string): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": type, "cache-control": "no-store" },
  });
}
