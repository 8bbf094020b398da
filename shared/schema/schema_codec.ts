/**
 * One schema, compiled: decoding a payload to a JSON-friendly value and
 * encoding a value to a payload, for each schema type — Avro with
 * npm:avsc, Protobuf with npm:protobufjs, JSON Schema with npm:ajv.
 * Values are what the console shows and consumers validate: Avro and
 * Protobuf 64-bit integers beyond 2^53 and bytes come out as strings.
 */
import { Buffer } from "node:buffer";
import avro from "avsc";
import protobuf from "protobufjs";
import { Ajv } from "ajv";
import type { SchemaType } from "./schema_type.ts";

/** A compiled schema. */
export interface SchemaCodec {
  type: SchemaType;
  /** Decodes `payload` (Protobuf: the message at `indexes`); throws when it does not decode. */
  decode(payload: Uint8Array, indexes?: number[]): unknown;
  /**
   * Encodes `value` (validated first); Protobuf: as `messageName` (default
   * the file's first message), returning the indexes to frame it with.
   */
  encode(value: unknown, messageName?: string): { payload: Uint8Array; indexes?: number[] };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** `value` with Buffers as base64 strings (Avro `bytes` and `fixed`), so it is JSON. */
function jsonFriendly(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(jsonFriendly);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonFriendly(v);
    return out;
  }
  return value;
}

function avroCodec(schema: string): SchemaCodec {
  const type = avro.Type.forSchema(JSON.parse(schema), { wrapUnions: false });
  return {
    type: "AVRO",
    decode(payload) {
      const { value, offset } = type.decode(Buffer.from(payload), 0);
      if (offset < 0) throw new Error("the Avro value is cut short");
      if (offset !== payload.byteLength) {
        throw new Error(`the Avro value ends at byte ${offset} of ${payload.byteLength}`);
      }
      return jsonFriendly(value);
    },
    encode(value) {
      const problems: string[] = [];
      const valid = type.isValid(value, {
        errorHook: (path: string[]) => problems.push(path.join(".") || "value"),
      });
      if (!valid) throw new Error(`does not match the Avro schema at: ${problems.join(", ")}`);
      return { payload: new Uint8Array(type.toBuffer(value)) };
    },
  };
}

/** The message types of a .proto file, in declaration order, nested ones under their parent. */
function messageTypes(ns: protobuf.NamespaceBase): protobuf.Type[] {
  const out: protobuf.Type[] = [];
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Type) out.push(nested);
    else if (nested instanceof protobuf.Namespace && !(nested instanceof protobuf.Service)) {
      out.push(...messageTypes(nested));
    }
  }
  return out;
}

function protobufCodec(schema: string): SchemaCodec {
  const root = protobuf.parse(schema, { keepCase: true }).root;
  const top = messageTypes(root);
  if (top.length === 0) throw new Error("the .proto file declares no message");
  const byIndexes = (indexes: number[]): protobuf.Type => {
    let type = top[indexes[0]];
    for (const i of indexes.slice(1)) {
      type = type?.nestedArray.filter((n) => n instanceof protobuf.Type)[i] as protobuf.Type;
    }
    if (!type) throw new Error(`no message at index path [${indexes.join(", ")}]`);
    return type;
  };
  const indexesOf = (type: protobuf.Type): number[] => {
    const path: number[] = [];
    let t: protobuf.ReflectionObject | null = type;
    while (t instanceof protobuf.Type) {
      const parent: protobuf.ReflectionObject | null = t.parent;
      const siblings = parent instanceof protobuf.Type
        ? parent.nestedArray.filter((n) => n instanceof protobuf.Type)
        : top;
      path.unshift(siblings.indexOf(t));
      t = parent instanceof protobuf.Type ? parent : null;
    }
    return path;
  };
  return {
    type: "PROTOBUF",
    decode(payload, indexes = [0]) {
      const type = byIndexes(indexes);
      const message = type.decode(payload);
      return type.toObject(message, {
        longs: String,
        enums: String,
        bytes: String,
        defaults: true,
      });
    },
    encode(value, messageName) {
      const type = messageName ? root.lookupType(messageName) : top[0];
      const problem = type.verify(value as Record<string, unknown>);
      if (problem) throw new Error(`does not match ${type.name}: ${problem}`);
      const payload = type.encode(type.fromObject(value as Record<string, unknown>)).finish();
      return { payload, indexes: indexesOf(type) };
    },
  };
}

function jsonSchemaCodec(schema: string): SchemaCodec {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(schema));
  const check = (value: unknown) => {
    if (!validate(value)) {
      throw new Error(`does not match the JSON Schema: ${ajv.errorsText(validate.errors)}`);
    }
  };
  return {
    type: "JSON",
    decode(payload) {
      const value = JSON.parse(decoder.decode(payload));
      check(value);
      return value;
    },
    encode(value) {
      check(value);
      return { payload: encoder.encode(JSON.stringify(value)) };
    },
  };
}

/** Compiles `schema` of `type`; throws when it is not a valid schema of that type. */
export function compileSchema(type: SchemaType, schema: string): SchemaCodec {
  if (type === "AVRO") return avroCodec(schema);
  if (type === "PROTOBUF") return protobufCodec(schema);
  return jsonSchemaCodec(schema);
}
