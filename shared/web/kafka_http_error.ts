/**
 * The one mapping from a Kafka failure to an HTTP answer: a request that
 * called Kafka (the console's actions, a demand sent from the web, the
 * POC endpoints) gets a status that fits the broker's error and a message
 * a person can act on — what was being done, what the broker answered,
 * and, when it is an ACL or a missing topic, where to look. (The REST
 * proxy keeps Confluent's own codes for its clients: services/rest_proxy.)
 */
import { isUnreachable, kafkaErrorType } from "../kafka/errors.ts";
import { HttpError } from "./http_error.ts";

/** The Kafka call a request made, for the answer when it fails. */
export interface KafkaCall {
  /** What the request was doing, shown first: `creating topic x`, `producing to demands.created`. */
  doing: string;
  /** Who made the call: named when Kafka refuses it an ACL. */
  principal: string;
  /**
   * Who chose the topic or group: `client` (default), the request named
   * it, so a missing one is the client's 404; `server`, the app's own
   * topic, so a missing one is the server's 502 (`deno task topics` creates it).
   */
  chosenBy?: "client" | "server";
}

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
  // A partition without a leader (its brokers down, or electing one): Kafka is there but cannot
  // serve it now, which a client may try again later.
  LEADER_NOT_AVAILABLE: 503,
  NOT_LEADER_FOR_PARTITION: 503,
};

/** The status for Kafka error `type` in `call`: 502 (Kafka refused) unless the type says more. */
export function kafkaStatus(type: string | undefined, call: Pick<KafkaCall, "chosenBy">): number {
  if (type === undefined) return 502;
  if (call.chosenBy === "server" && (type === "UNKNOWN_TOPIC_OR_PARTITION")) return 502;
  return STATUS_BY_TYPE[type] ?? 502;
}

/**
 * `error` (from KafkaJS) as an HttpError: 503 when Kafka cannot be
 * reached, else the status of its type (kafkaStatus) with the broker's
 * answer shown as it is. HttpErrors pass unchanged.
 */
export function kafkaHttpError(error: unknown, call: KafkaCall): HttpError {
  if (error instanceof HttpError) return error;
  if (isUnreachable(error)) {
    return new HttpError(503, `${call.doing}: Kafka cannot be reached`, { cause: error });
  }
  const type = kafkaErrorType(error);
  const message = error instanceof Error ? error.message : String(error);
  const status = kafkaStatus(type, call);
  const hint = type?.endsWith("AUTHORIZATION_FAILED")
    ? ` (the ${call.principal} principal lacks an ACL: see kafka-acls.txt)`
    : type === "UNKNOWN_TOPIC_OR_PARTITION" && call.chosenBy === "server"
    ? " (deno task topics creates it)"
    : type === "LEADER_NOT_AVAILABLE" || type === "NOT_LEADER_FOR_PARTITION"
    ? " (a partition has no leader now: the brokers holding it are down or electing one; " +
      "try again once they are back)"
    : "";
  return new HttpError(
    status,
    `${call.doing}: the broker answered ${type ?? "an error"}: ${message}${hint}`,
    { cause: error },
  );
}
