/**
 * The broker's answer to a console action as an `HttpError` a person can
 * act on: the Kafka error type and message are shown as they are (the
 * console exists to show what the broker said), with a status that fits.
 */
import { isUnreachable, kafkaErrorType } from "../../shared/kafka/errors.ts";
import { HttpError } from "../../shared/web/http_error.ts";

const STATUS_BY_TYPE: Record<string, number> = {
  TOPIC_ALREADY_EXISTS: 409,
  UNKNOWN_TOPIC_OR_PARTITION: 404,
  GROUP_ID_NOT_FOUND: 404,
  NON_EMPTY_GROUP: 409,
  INVALID_PARTITIONS: 400,
  INVALID_REPLICATION_FACTOR: 400,
  INVALID_REPLICA_ASSIGNMENT: 400,
  INVALID_CONFIG: 400,
  INVALID_TOPIC_EXCEPTION: 400,
  INVALID_REQUEST: 400,
  POLICY_VIOLATION: 400,
  RECORD_LIST_TOO_LARGE: 413,
  MESSAGE_TOO_LARGE: 413,
  TOPIC_AUTHORIZATION_FAILED: 502,
  GROUP_AUTHORIZATION_FAILED: 502,
  CLUSTER_AUTHORIZATION_FAILED: 502,
};

/** `error` (from KafkaJS) as an HttpError for `what` (e.g. "creating topic x"); HttpErrors pass. */
export function consoleHttpError(error: unknown, what: string): HttpError {
  if (error instanceof HttpError) return error;
  if (isUnreachable(error)) {
    return new HttpError(503, `${what}: Kafka cannot be reached`, { cause: error });
  }
  const type = kafkaErrorType(error);
  const message = error instanceof Error ? error.message : String(error);
  const status = (type ? STATUS_BY_TYPE[type] : undefined) ?? 502;
  const who = type?.endsWith("AUTHORIZATION_FAILED")
    ? " (the console principal lacks an ACL: see kafka-acls.txt)"
    : "";
  return new HttpError(
    status,
    `${what}: the broker answered ${type ?? "an error"}: ${message}${who}`,
    { cause: error },
  );
}
