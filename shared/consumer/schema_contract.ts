/**
 * A topic's contract as an Avro or Protobuf schema instead of zod: what
 * a consumer of a JVM estate's topics declares. Values in the Schema
 * Registry's wire format are decoded — Avro with the writer's schema from
 * the registry resolved to the consumer's (reader) schema, as Avro's
 * schema evolution says; Protobuf with the consumer's message type (field
 * numbers carry the evolution) — and unframed values with the contract's
 * schema alone. A value that does not decode is an InvalidMessageError (the
 * runner dead-letters it); a registry that cannot be reached is a
 * TransientError (retried: an outage dead-letters nothing).
 *
 * Decoding runs inside the batch's transaction, synchronously, so the
 * writers' schemas a batch needs are fetched before (`prefetchWriterSchemas`,
 * called by the runner for each batch).
 */
import { Buffer } from "node:buffer";
import { z } from "zod";
import avro from "avsc";
import protobuf from "protobufjs";
import { InvalidMessageError, TransientError } from "../core/errors.ts";
import { schemaValuesFromEnv } from "../schema/schema_env.ts";
import { isFramed, unframe } from "../schema/wire_format.ts";
import type { SchemaContract } from "../schema/schema_type.ts";
import type { MessageContext, TopicHandler } from "./define.ts";

export type { SchemaContract } from "../schema/schema_type.ts";

/** A handler of a topic whose values follow `contract`; `value` is the decoded record. */
export function schemaTopic<T = Record<string, unknown>>(
  contract: SchemaContract,
  handle: (ctx: MessageContext<T>) => void,
): TopicHandler {
  return { schema: z.any(), contract, handle } as unknown as TopicHandler;
}

type Compiled =
  | { type: "AVRO"; reader: avro.Type }
  | { type: "PROTOBUF"; message: protobuf.Type };

const compiled = new WeakMap<SchemaContract, Compiled>();

function compile(contract: SchemaContract): Compiled {
  let c = compiled.get(contract);
  if (!c) {
    c = contract.type === "AVRO"
      ? {
        type: "AVRO",
        reader: avro.Type.forSchema(
          typeof contract.schema === "string" ? JSON.parse(contract.schema) : contract.schema,
          { wrapUnions: false },
        ),
      }
      : {
        type: "PROTOBUF",
        message: protobuf.parse(contract.proto, { keepCase: true }).root.lookupType(
          contract.message,
        ),
      };
    compiled.set(contract, c);
  }
  return c;
}

/** Writers' Avro schemas by registry id: the type, or why there is none. */
const writers = new Map<number, avro.Type | { missing: string }>();

/** Fetches the writers' schemas of the framed Avro values among `messages` (unknown ids only). */
export async function prefetchWriterSchemas(
  messages: { topic: string; value: Uint8Array | null }[],
  handlers: Record<string, TopicHandler>,
): Promise<void> {
  const ids = new Set<number>();
  for (const m of messages) {
    const contract = (handlers[m.topic] as { contract?: SchemaContract } | undefined)?.contract;
    if (contract?.type !== "AVRO" || !isFramed(m.value)) continue;
    const id = unframe(m.value).schemaId;
    if (!writers.has(id)) ids.add(id);
  }
  if (ids.size === 0) return;
  const values = schemaValuesFromEnv();
  if (!values) return; // decoding says so, per message
  await Promise.all([...ids].map(async (id) => {
    try {
      const schema = await values.client.schemaById(id);
      if (schema.schemaType !== "AVRO") {
        writers.set(id, { missing: `schema ${id} is ${schema.schemaType}, not Avro` });
        return;
      }
      writers.set(id, avro.Type.forSchema(JSON.parse(schema.schema), { wrapUnions: false }));
    } catch (error) {
      // A registry that does not know the id (404) will not know it later either.
      if ((error as { status?: number }).status === 404) {
        writers.set(id, { missing: `the Schema Registry has no schema ${id}` });
      }
    }
  }));
}

/** `value` with Buffers as base64 strings, so a handler gets plain JSON-like data. */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function decodeAvro(reader: avro.Type, raw: Uint8Array): unknown {
  let writer: avro.Type = reader;
  let payload = raw;
  if (isFramed(raw)) {
    const { schemaId, payload: p } = unframe(raw);
    payload = p;
    const known = writers.get(schemaId);
    if (known === undefined) {
      if (!schemaValuesFromEnv()) {
        throw new InvalidMessageError(
          `the value names schema ${schemaId} and no Schema Registry is configured (SCHEMA_REGISTRY_URL)`,
          "SCHEMA_UNKNOWN",
        );
      }
      throw new TransientError(
        `the writer's schema ${schemaId} could not be fetched from the Schema Registry`,
        "SCHEMA_REGISTRY_UNAVAILABLE",
      );
    }
    if ("missing" in known) throw new InvalidMessageError(known.missing, "SCHEMA_UNKNOWN");
    writer = known;
  }
  try {
    const resolver = writer === reader ? undefined : reader.createResolver(writer);
    return plain(reader.fromBuffer(Buffer.from(payload), resolver as never));
  } catch (cause) {
    throw new InvalidMessageError(
      `value does not decode with the Avro contract: ${(cause as Error).message}`,
      "SCHEMA_MISMATCH",
      cause,
    );
  }
}

function decodeProtobuf(message: protobuf.Type, raw: Uint8Array): unknown {
  const payload = isFramed(raw) ? unframe(raw, true).payload : raw;
  try {
    return message.toObject(message.decode(payload), {
      longs: String,
      enums: String,
      bytes: String,
      defaults: true,
    });
  } catch (cause) {
    throw new InvalidMessageError(
      `value does not decode as ${message.name}: ${(cause as Error).message}`,
      "SCHEMA_MISMATCH",
      cause,
    );
  }
}

/** The value decoded with `contract` (null stays null: a tombstone). */
export function decodeWithContract(raw: Uint8Array | null, contract: SchemaContract): unknown {
  if (raw === null) return null;
  const c = compile(contract);
  return c.type === "AVRO" ? decodeAvro(c.reader, raw) : decodeProtobuf(c.message, raw);
}
