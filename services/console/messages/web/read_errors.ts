/** The reading engine's errors as HTTP errors, so pages and the API explain them. */
import { HttpError } from "../../../../shared/web/http_error.ts";
import { UnknownTopicError } from "../../../../shared/kafka/wire/log_client.ts";
import { FetchError } from "../../../../shared/kafka/wire/fetch_request.ts";

/** Runs `fn`, turning known reading errors into 4xx/5xx HttpErrors. */
export async function explainReadErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw asHttpError(error);
  }
}

/** `error` as an HttpError when it is one the reader knows; else unchanged. */
export function asHttpError(error: unknown): unknown {
  if (error instanceof UnknownTopicError) {
    return new HttpError(error.code === "TOPIC_AUTHORIZATION_FAILED" ? 403 : 404, error.message);
  }
  if (error instanceof RangeError) return new HttpError(400, error.message);
  if (error instanceof FetchError && error.code === "TOPIC_AUTHORIZATION_FAILED") {
    return new HttpError(403, error.message);
  }
  const type = (error as { type?: string })?.type;
  if (type === "TOPIC_AUTHORIZATION_FAILED") {
    return new HttpError(403, "the console may not read this topic");
  }
  return error;
}
