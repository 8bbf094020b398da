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

/**
 * What a console page's form shows when its action failed: the message and
 * status of `consoleHttpError`, to render beside the form. A 401, 403 or
 * 404 is thrown instead, to the router's login, forbidden and not-found
 * answers (the page itself is not the user's, or is gone).
 */
export function formProblem(error: unknown, what: string): { problem: string; status: number } {
  const httpError = consoleHttpError(error, what);
  if ([401, 403, 404].includes(httpError.status)) throw httpError;
  return { problem: httpError.message, status: httpError.status };
}
