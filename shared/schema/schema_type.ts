/** The three schema types of a Schema Registry, and telling them apart. */

/** A Schema Registry schema type. */
export type SchemaType = "AVRO" | "PROTOBUF" | "JSON";

/**
 * A topic's contract as an Avro or Protobuf schema instead of zod (what a
 * consumer declares; decoded by shared/consumer/schema_contract.ts).
 */
export type SchemaContract =
  | { type: "AVRO"; schema: Record<string, unknown> | string }
  | { type: "PROTOBUF"; proto: string; message: string };

/** The schema types, as the registry's API spells them. */
export const SCHEMA_TYPES: readonly SchemaType[] = ["AVRO", "PROTOBUF", "JSON"];

/** Avro's named and container types: a JSON object whose `type` is one of these is Avro. */
const AVRO_OBJECT_TYPES = new Set(["record", "enum", "fixed", "map"]);

/**
 * The type of `schema`: the registry's `schemaType` when it says (Confluent
 * omits it for Avro; Apicurio 2.0's ccompat API omits it always), else told
 * from the text: not JSON is Protobuf; a JSON string or array (an Avro
 * primitive or union), or an object of an Avro named type, is Avro; any
 * other JSON object is JSON Schema. (`{"type":"string"}` reads as JSON
 * Schema: both would accept it.)
 */
export function schemaTypeOf(schema: string, declared?: string): SchemaType {
  const upper = declared?.toUpperCase();
  if (upper === "AVRO" || upper === "PROTOBUF" || upper === "JSON") return upper;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    return "PROTOBUF";
  }
  if (typeof parsed === "string" || Array.isArray(parsed)) return "AVRO";
  const type = (parsed as { type?: unknown } | null)?.type;
  return typeof type === "string" && AVRO_OBJECT_TYPES.has(type) ? "AVRO" : "JSON";
}
