/**
 * Values in the Schema Registry wire format (magic byte 0, a schema id —
 * what Confluent's serializers write in Java, Go, Python, .NET) decoded
 * for the console: each message of a page gets its schema id and type and
 * its value as pretty JSON, or why it could not be decoded. Without a
 * registry (`SCHEMA_REGISTRY_URL` unset) nothing is decoded.
 */
import type { SchemaValues } from "../../../shared/schema/schema_values.ts";
import type { SchemaType } from "../../../shared/schema/schema_type.ts";
import { type BytesView, bytesView } from "./bytes_view.ts";

/** A value decoded with its schema. */
export interface SchemaView {
  schemaId: number;
  schemaType?: SchemaType;
  /** The decoded value as JSON. */
  value?: BytesView;
  problem?: string;
}

const encoder = new TextEncoder();

/** The bytes a value view shows (binary views hold hex); undefined when cut. */
function viewBytes(view: BytesView): Uint8Array | undefined {
  if (view.truncated) return undefined;
  if (view.kind === "binary") {
    return Uint8Array.from(view.text.match(/../g) ?? [], (pair) => parseInt(pair, 16));
  }
  return encoder.encode(view.text);
}

/** Decodes the framed values of `messages` in place (adds `schema`). */
export async function decodeSchemas(
  messages: { value: BytesView | null; schema?: SchemaView }[],
  values: SchemaValues | undefined,
): Promise<void> {
  if (!values) return;
  await Promise.all(messages.map(async (m) => {
    if (!m.value || m.value.size < 5) return;
    const bytes = viewBytes(m.value);
    if (!bytes) {
      if (m.value.kind === "binary" && m.value.text.startsWith("00")) {
        m.schema = {
          schemaId: -1,
          problem: "the value is larger than a page shows: decode it on its own page",
        };
      }
      return;
    }
    const decoded = await values.decode(bytes);
    if (!decoded) return;
    m.schema = {
      schemaId: decoded.schemaId,
      schemaType: decoded.schemaType,
      value: decoded.problem === undefined
        ? bytesView(encoder.encode(JSON.stringify(decoded.value)))
        : undefined,
      problem: decoded.problem,
    };
  }));
}
