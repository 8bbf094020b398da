/**
 * Errors of the REST-Proxy-compatible API, in Confluent's envelope
 * `{error_code, message}` where `error_code` is the HTTP status times 100
 * plus a sub-code (or the bare status), as clients of the Confluent REST
 * Proxy expect. docs/rest_proxy.md lists every code.
 */
import { isUnreachable, kafkaErrorType } from "../../shared/kafka/errors.ts";

/** The error codes Freshet answers, with Confluent's meaning where it has one. */
export const ERROR_CODES = {
  /** The body is not JSON (Confluent: Jackson's parse error). */
  notJson: 400,
  /** Kafka refused the web principal (Confluent: KAFKA_AUTHORIZATION_ERROR_CODE). */
  kafkaAuthorization: 40301,
  /** The topic is not one REST_PROXY_TOPICS allows (Freshet; same code as Kafka's refusal). */
  topicNotAllowed: 40301,
  /** Topic not found (Confluent: TOPIC_NOT_FOUND_ERROR_CODE). */
  topicNotFound: 40401,
  /** Partition not found (Confluent: PARTITION_NOT_FOUND_ERROR_CODE). */
  partitionNotFound: 40402,
  /** Unsupported Content-Type (Confluent: JAX-RS 415). */
  unsupportedMediaType: 415,
  /** The body is JSON but not `{records: [...]}` (Confluent: bean validation, 422). */
  invalidRequest: 422,
  /** A record's key, value or partition cannot be converted (Confluent: JSON_CONVERSION_ERROR_CODE). */
  invalidRecord: 42203,
  /** Records have keys but the request gives no key schema (Confluent: KEY_SCHEMA_MISSING_ERROR_CODE). */
  keySchemaMissing: 42201,
  /** Records have values but the request gives no value schema (Confluent: VALUE_SCHEMA_MISSING_ERROR_CODE). */
  valueSchemaMissing: 42202,
  /** The schema given is not valid, or the registry refused it (Confluent: INVALID_SCHEMA_ERROR_CODE). */
  invalidSchema: 42205,
  /** The Schema Registry cannot be reached, or none is configured (Freshet; Confluent answers 500). */
  schemaRegistryUnavailable: 50301,
  /** A non-retriable Kafka error outside a record (Confluent: KAFKA_ERROR_ERROR_CODE). */
  kafkaError: 50002,
  /** A retriable Kafka error outside a record (Confluent: KAFKA_RETRIABLE_ERROR_ERROR_CODE). */
  kafkaRetriable: 50003,
  /** Kafka cannot be reached (Confluent: BROKER_NOT_AVAILABLE_ERROR_CODE). */
  brokerNotAvailable: 50302,
  /** Anything else: a bug, whose details stay in the log. */
  internal: 500,
} as const;

/** Per-record `error_code` of a failed record, as the REST Proxy v2 documents it. */
export const RECORD_ERROR = { nonRetriable: 1, retriable: 2 } as const;

/** An error answered as `{error_code, message}` with `status`. */
export class RestProxyError extends Error {
  readonly status: number;
  readonly errorCode: number;

  constructor(status: number, errorCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RestProxyError";
    this.status = status;
    this.errorCode = errorCode;
  }
}

/** Whether a Kafka failure is worth retrying (KafkaJS errors carry `retriable`). */
export function isRetriableKafkaError(error: unknown): boolean {
  return Boolean((error as { retriable?: unknown } | undefined)?.retriable) ||
    isUnreachable(error);
}

/**
 * A failure outside any record (e.g. the metadata lookup) as a `RestProxyError`:
 * KafkaJS's errors by type and `retriable`, anything else a plain 500.
 */
export function kafkaRestError(error: unknown, topic: string): RestProxyError {
  if (error instanceof RestProxyError) return error;
  const type = kafkaErrorType(error);
  const options = { cause: error };
  if (type === "TOPIC_AUTHORIZATION_FAILED") {
    return new RestProxyError(
      403,
      ERROR_CODES.kafkaAuthorization,
      `Kafka refused the web principal access to topic ${topic} (see kafka-acls.txt)`,
      options,
    );
  }
  if (isUnreachable(error)) {
    return new RestProxyError(
      503,
      ERROR_CODES.brokerNotAvailable,
      "Kafka cannot be reached",
      options,
    );
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  if (typeof name !== "string" || !name.startsWith("KafkaJS")) {
    return new RestProxyError(500, ERROR_CODES.internal, "Internal Server Error", options);
  }
  const message = error instanceof Error ? error.message : String(error);
  return isRetriableKafkaError(error)
    ? new RestProxyError(
      500,
      ERROR_CODES.kafkaRetriable,
      `Retriable Kafka error: ${message}`,
      options,
    )
    : new RestProxyError(500, ERROR_CODES.kafkaError, `Kafka error: ${message}`, options);
}
