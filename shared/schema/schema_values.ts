/**
 * Values in the Schema Registry wire format, decoded and encoded with the
 * schemas of one registry: each schema id fetched once and compiled once.
 */
import { compileSchema, type SchemaCodec } from "./schema_codec.ts";
import type { RegisteredSchema, SchemaRegistryClient } from "./registry_client.ts";
import type { SchemaType } from "./schema_type.ts";
import { frame, isFramed, unframe } from "./wire_format.ts";

/** A framed value, decoded (or why not). */
export interface DecodedValue {
  schemaId: number;
  /** Known once the schema was fetched. */
  schemaType?: SchemaType;
  value?: unknown;
  /** Why it could not be decoded (schema unknown, registry down, bytes not matching). */
  problem?: string;
  /** Whether trying again later may help (the registry could not be reached). */
  retriable?: boolean;
}

/** Decodes and encodes framed values with `client`'s schemas. */
export class SchemaValues {
  readonly client: SchemaRegistryClient;
  #codecs = new Map<number, Promise<{ schema: RegisteredSchema; codec: SchemaCodec }>>();

  constructor(client: SchemaRegistryClient) {
    this.client = client;
  }

  /** The compiled schema `id` (cached; a failure is not). */
  codec(id: number): Promise<{ schema: RegisteredSchema; codec: SchemaCodec }> {
    let found = this.#codecs.get(id);
    if (!found) {
      found = this.client.schemaById(id).then((schema) => ({
        schema,
        codec: compileSchema(schema.schemaType, schema.schema),
      }));
      found.catch(() => this.#codecs.delete(id));
      this.#codecs.set(id, found);
    }
    return found;
  }

  /** `bytes` decoded with the schema its frame names; undefined when it is not framed. */
  async decode(bytes: Uint8Array | null): Promise<DecodedValue | undefined> {
    if (!isFramed(bytes)) return undefined;
    const schemaId = unframe(bytes).schemaId;
    let compiled;
    try {
      compiled = await this.codec(schemaId);
    } catch (error) {
      return {
        schemaId,
        problem: (error as Error).message,
        retriable: Boolean((error as { retriable?: boolean }).retriable),
      };
    }
    const { schema, codec } = compiled;
    try {
      const framed = unframe(bytes, schema.schemaType === "PROTOBUF");
      return {
        schemaId,
        schemaType: schema.schemaType,
        value: codec.decode(framed.payload, framed.indexes),
      };
    } catch (error) {
      return {
        schemaId,
        schemaType: schema.schemaType,
        problem: `does not decode with schema ${schemaId} (${schema.schemaType}): ${
          (error as Error).message
        }`,
      };
    }
  }

  /** `value` encoded with schema `id` and framed (Protobuf: as `messageName`, default the first). */
  async encode(id: number, value: unknown, messageName?: string): Promise<Uint8Array> {
    const { codec } = await this.codec(id);
    const { payload, indexes } = codec.encode(value, messageName);
    return frame(id, payload, codec.type === "PROTOBUF" ? indexes ?? [0] : undefined);
  }
}
