/**
 * The broker's answer to a console action as an `HttpError` a person can
 * act on: the kernel's mapping (shared/web/kafka_http_error.ts) for calls
 * made as the console's principal on topics and groups the user named.
 */
import { kafkaHttpError } from "../../shared/web/kafka_http_error.ts";
import type { HttpError } from "../../shared/web/http_error.ts";
import { CONSOLE_PRINCIPAL } from "./console_kafka.ts";

/** `error` (from KafkaJS) as an HttpError for `what` (e.g. "creating topic x"); HttpErrors pass. */
export function consoleHttpError(error: unknown, what: string): HttpError {
  return kafkaHttpError(error, { doing: what, principal: CONSOLE_PRINCIPAL });
}
