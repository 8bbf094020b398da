/** Kafka failures of an HTTP request as `HttpError`s that say what went wrong. */
import { isUnreachable, kafkaErrorType } from "../../shared/kafka/errors.ts";
import { HttpError } from "../../shared/web/http_error.ts";

/** 502 for a broker's refusal (naming it), 503 when Kafka cannot be reached; HttpErrors pass. */
export function kafkaHttpError(error: unknown, topic: string): HttpError {
  if (error instanceof HttpError) return error;
  const type = kafkaErrorType(error);
  const options = { cause: error };
  if (type === "TOPIC_AUTHORIZATION_FAILED" || type === "GROUP_AUTHORIZATION_FAILED") {
    return new HttpError(502, `Kafka refused the web principal (${type}) on ${topic}`, options);
  }
  if (type === "UNKNOWN_TOPIC_OR_PARTITION") {
    return new HttpError(
      502,
      `topic ${topic} does not exist (deno task topics creates it)`,
      options,
    );
  }
  if (isUnreachable(error)) return new HttpError(503, "Kafka cannot be reached", options);
  return new HttpError(502, `Kafka refused the request${type ? ` (${type})` : ""}`, options);
}
