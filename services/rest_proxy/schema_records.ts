/**
 * The Schema Registry formats of the REST Proxy v2 (`avro`, `protobuf`,
 * `jsonschema`), as Confluent's proxy does them: the request gives
 * `value_schema` (the schema text, registered under the subject
 * `<topic>-value`, TopicNameStrategy) or `value_schema_id` (an id in the
 * registry), and `key_schema` / `key_schema_id` likewise for keys
 * (`<topic>-key`); each record's key and value (JSON) is checked against
 * its schema and written in the registry's wire format. The response
 * carries the ids used.
 */
import { Buffer } from "node:buffer";
import type { SchemaValues } from "../../shared/schema/schema_values.ts";
import type { SchemaType } from "../../shared/schema/schema_type.ts";
import { ERROR_CODES, RestProxyError } from "./errors.ts";
import type { SchemaFormat } from "./media.ts";
import type { ProduceRecord } from "./records.ts";

const TYPES: Record<SchemaFormat, SchemaType> = {
  avro: "AVRO",
  protobuf: "PROTOBUF",
  jsonschema: "JSON",
};

/** The schema ids a request used. */
export interface SchemaIds {
  key_schema_id: number | null;
  value_schema_id: number | null;
}

function fail(status: number, code: number, message: string): never {
  throw new RestProxyError(status, code, message);
}

/** The id of the request's schema for `part`: registered from the text, or given. */
async function schemaId(
  values: SchemaValues,
  body: Record<string, unknown>,
  part: "key" | "value",
  options: { topic: string; format: SchemaFormat },
): Promise<number | null> {
  const text = body[`${part}_schema`];
  const id = body[`${part}_schema_id`];
  if (id !== undefined && id !== null) {
    if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
      fail(422, ERROR_CODES.invalidSchema, `${part}_schema_id: expected a schema id (an integer)`);
    }
    try {
      const { schema } = await values.codec(id);
      if (schema.schemaType !== TYPES[options.format]) {
        fail(
          422,
          ERROR_CODES.invalidSchema,
          `${part}_schema_id ${id} is a ${schema.schemaType} schema, not ${TYPES[options.format]}`,
        );
      }
    } catch (error) {
      if (error instanceof RestProxyError) throw error;
      registryFailure(error, `${part}_schema_id ${id}`);
    }
    return id;
  }
  if (text === undefined || text === null) return null;
  if (typeof text !== "string") {
    fail(422, ERROR_CODES.invalidSchema, `${part}_schema: expected the schema as a string`);
  }
  try {
    return await values.client.register(`${options.topic}-${part}`, text, TYPES[options.format]);
  } catch (error) {
    registryFailure(error, `${part}_schema`);
  }
}

function registryFailure(error: unknown, what: string): never {
  const status = (error as { status?: number }).status ?? 0;
  if (status === 0 || status >= 500) {
    fail(503, ERROR_CODES.schemaRegistryUnavailable, `${what}: ${(error as Error).message}`);
  }
  fail(422, ERROR_CODES.invalidSchema, `${what}: ${(error as Error).message}`);
}

/**
 * Encodes `records` (parsed with their embedded JSON) with the request's
 * schemas; throws a RestProxyError naming the first record that does not fit.
 */
export async function encodeSchemaRecords(
  values: SchemaValues | undefined,
  body: Record<string, unknown>,
  records: ProduceRecord[],
  options: { topic: string; format: SchemaFormat },
): Promise<SchemaIds> {
  if (!values) {
    fail(
      503,
      ERROR_CODES.schemaRegistryUnavailable,
      `the ${options.format} format needs a Schema Registry: set SCHEMA_REGISTRY_URL`,
    );
  }
  const hasKeys = records.some((r) => r.embedded?.key !== null);
  const hasValues = records.some((r) => r.embedded?.value !== null);
  const keyId = hasKeys ? await schemaId(values, body, "key", options) : null;
  const valueId = hasValues ? await schemaId(values, body, "value", options) : null;
  if (hasKeys && keyId === null) {
    fail(
      422,
      ERROR_CODES.keySchemaMissing,
      "Request includes keys but does not include key schema",
    );
  }
  if (hasValues && valueId === null) {
    fail(
      422,
      ERROR_CODES.valueSchemaMissing,
      "Request includes values but does not include value schema",
    );
  }
  for (const [i, record] of records.entries()) {
    for (const part of ["key", "value"] as const) {
      const json = record.embedded?.[part] ?? null;
      const id = part === "key" ? keyId : valueId;
      if (json === null || id === null) {
        record[part] = null;
        continue;
      }
      try {
        record[part] = Buffer.from(await values.encode(id, json));
      } catch (error) {
        fail(
          422,
          ERROR_CODES.invalidRecord,
          `records[${i}].${part}: ${(error as Error).message} (schema ${id})`,
        );
      }
    }
  }
  return { key_schema_id: keyId, value_schema_id: valueId };
}
