/** Turns a Kafka message value into a validated value, or an InvalidMessageError. */
import type { z } from "zod";
import { InvalidMessageError } from "../core/errors.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Describes zod issues as `path: message; path: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "value"}: ${issue.message}`)
    .join("; ");
}

/** Parses JSON (null stays null: a tombstone) and validates it with `schema`. */
export function decodeValue<S extends z.ZodType>(
  raw: Uint8Array | null,
  schema: S,
): z.infer<S> {
  let json: unknown = null;
  if (raw !== null) {
    let text: string;
    try {
      text = decoder.decode(raw);
    } catch (cause) {
      throw new InvalidMessageError("value is not valid UTF-8", "INVALID_ENCODING", cause);
    }
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
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new InvalidMessageError(
      `value does not match the schema: ${describeIssues(result.error)}`,
      "SCHEMA_MISMATCH",
    );
  }
  return result.data;
}
