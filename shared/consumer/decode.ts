/**
 * Turns a Kafka message into a validated value, or an InvalidMessageError
 * (the runner dead-letters it with the reason):
 *
 * - a marker of a batch that could not be read (../kafka/undecodable.ts):
 *   its reason, never a value;
 * - a CloudEvent in structured mode (`content-type:
 *   application/cloudevents+json`): its `data` is the value, and its
 *   attributes are given to the handler as the `ce_` headers binary mode
 *   would have carried;
 * - a topic with an Avro or Protobuf contract (schema_contract.ts): the
 *   value decoded with it (Schema Registry wire format or bare);
 * - anything else: the value as JSON (CloudEvents binary mode, or none).
 */
import type { z } from "zod";
import { InvalidMessageError } from "../core/errors.ts";
import { isStructuredEvent, parseStructuredEvent } from "../kafka/cloudevents.ts";
import { undecodableMark } from "../kafka/undecodable.ts";
import { decodeWithContract, type SchemaContract } from "./schema_contract.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Describes zod issues as `path: message; path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "value"}: ${issue.message}`)
    .join("; ");
}

function utf8(raw: Uint8Array): string {
  try {
    return decoder.decode(raw);
  } catch (cause) {
    throw new InvalidMessageError("value is not valid UTF-8", "INVALID_ENCODING", cause);
  }
}

function validate<S extends z.ZodType>(json: unknown, schema: S): z.infer<S> {
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new InvalidMessageError(
      `value does not match the schema: ${describeIssues(result.error)}`,
      "SCHEMA_MISMATCH",
    );
  }
  return result.data;
}

/** Parses JSON (null stays null: a tombstone) and validates it with `schema`. */
export function decodeValue<S extends z.ZodType>(
  raw: Uint8Array | null,
  schema: S,
): z.infer<S> {
  let json: unknown = null;
  if (raw !== null) {
    const text = utf8(raw);
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new InvalidMessageError(
        `value is not valid JSON: ${(cause as Error).message}`,
        "INVALID_JSON",
        cause,
      );
    }
  }
  return validate(json, schema);
}

/** The parts of a message decoding looks at. */
export interface DecodableMessage {
  value: Uint8Array | null;
  /** A structured CloudEvent's attributes are added here as `ce_` headers (when absent). */
  headers: Record<string, string>;
}

/** What decodes a topic's values: a zod schema over JSON, or an Avro or Protobuf contract. */
export interface ValueContract {
  schema: z.ZodType;
  contract?: SchemaContract;
}

/** The message's value, decoded as its headers say and validated by the topic's contract. */
export function decodeMessage(message: DecodableMessage, contract: ValueContract): unknown {
  const mark = undecodableMark(message.headers);
  if (mark) throw new InvalidMessageError(mark.reason, mark.code);
  if (contract.contract) return decodeWithContract(message.value, contract.contract);
  if (message.value !== null && isStructuredEvent(message.headers)) {
    let event;
    try {
      event = parseStructuredEvent(utf8(message.value));
    } catch (cause) {
      if (cause instanceof InvalidMessageError) throw cause;
      throw new InvalidMessageError((cause as Error).message, "INVALID_CLOUDEVENT", cause);
    }
    if (event.binaryData) {
      throw new InvalidMessageError(
        `the CloudEvent's data is ${event.attributes.datacontenttype ?? "binary"}, not JSON`,
        "INVALID_CLOUDEVENT",
      );
    }
    const value = validate(event.data, contract.schema);
    for (const [name, attribute] of Object.entries(event.attributes)) {
      if (name !== "datacontenttype") message.headers[`ce_${name}`] ??= attribute;
    }
    return value;
  }
  return decodeValue(message.value, contract.schema);
}
