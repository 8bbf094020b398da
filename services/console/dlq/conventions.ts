/**
 * The dead-letter conventions the console understands, and how each one
 * writes a dead letter's reason and origin in its headers:
 *
 * - `freshet` (shared/consumer/dead_letter.ts): `dlq_error`,
 *   `dlq_error_code`, `dlq_original_topic|partition|offset` (decimal
 *   strings), `dlq_failed_at`, `dlq_consumer`, `dlq_group`; topics `<topic>.dlq`.
 * - `spring` (Spring Kafka's DeadLetterPublishingRecoverer):
 *   `kafka_dlt-original-topic` (UTF-8), `kafka_dlt-original-partition` (a
 *   4-byte big-endian int), `kafka_dlt-original-offset` and
 *   `-original-timestamp` (8-byte big-endian longs),
 *   `kafka_dlt-original-consumer-group`, `kafka_dlt-exception-fqcn`,
 *   `-exception-cause-fqcn`, `-exception-message`, `-exception-stacktrace`;
 *   topics `<topic>.DLT` (or `-dlt` with retry topics).
 * - `connect` (Kafka Connect's DeadLetterQueueReporter):
 *   `__connect.errors.topic|partition|offset` (partition and offset as
 *   decimal strings), `.connector.name`, `.task.id`, `.stage`,
 *   `.class.name`, `.exception.class.name`, `.exception.message`,
 *   `.exception.stacktrace`; the topic is whatever the connector names.
 */

/** A dead-letter convention. */
export type DeadLetterConvention = "freshet" | "spring" | "connect";

/** Header names of each convention. */
export const CONVENTION_HEADERS = {
  freshet: {
    prefix: "dlq_",
    topic: "dlq_original_topic",
    partition: "dlq_original_partition",
    offset: "dlq_original_offset",
    error: "dlq_error",
    code: "dlq_error_code",
    failedAt: "dlq_failed_at",
    consumer: "dlq_consumer",
    group: "dlq_group",
  },
  spring: {
    prefix: "kafka_dlt-",
    topic: "kafka_dlt-original-topic",
    partition: "kafka_dlt-original-partition",
    offset: "kafka_dlt-original-offset",
    timestamp: "kafka_dlt-original-timestamp",
    group: "kafka_dlt-original-consumer-group",
    exceptionClass: "kafka_dlt-exception-fqcn",
    causeClass: "kafka_dlt-exception-cause-fqcn",
    error: "kafka_dlt-exception-message",
    stacktrace: "kafka_dlt-exception-stacktrace",
    keyExceptionClass: "kafka_dlt-key-exception-fqcn",
    keyError: "kafka_dlt-key-exception-message",
  },
  connect: {
    prefix: "__connect.errors.",
    topic: "__connect.errors.topic",
    partition: "__connect.errors.partition",
    offset: "__connect.errors.offset",
    connector: "__connect.errors.connector.name",
    task: "__connect.errors.task.id",
    stage: "__connect.errors.stage",
    exceptionClass: "__connect.errors.exception.class.name",
    error: "__connect.errors.exception.message",
    stacktrace: "__connect.errors.exception.stacktrace",
  },
} as const;

/** A header's raw bytes by name (the last one of that name wins, as Kafka's `lastHeader`). */
export type HeaderBytes = (name: string) => Uint8Array | null;

/** A dead letter's reason and origin, whichever convention wrote it. */
export interface ConventionInfo {
  convention: DeadLetterConvention | null;
  error: string | null;
  /** Freshet's error code, or the exception's class for Spring and Connect. */
  code: string | null;
  originalTopic: string | null;
  originalPartition: number | null;
  originalOffset: number | null;
  /** Freshet's failure time; Spring's original record time (ISO). */
  failedAt: string | null;
  /** Freshet's consumer, Connect's `connector/task (stage)`. */
  consumer: string | null;
  group: string | null;
  /** The start of the stack trace (Spring, Connect), at most 4 KB. */
  stacktrace: string | null;
}

const decoder = new TextDecoder();
const DIGITS = /^-?\d{1,19}$/;

function text(bytes: Uint8Array | null, limit = 4096): string | null {
  if (bytes === null) return null;
  return decoder.decode(bytes.subarray(0, limit));
}

/**
 * An integer header: a decimal string (Freshet, Connect, hand-written), or
 * Spring's big-endian int or long. All-digit bytes are read as decimal: as
 * a 4-byte int they would be a partition above 800 million.
 */
export function integerHeader(bytes: Uint8Array | null): number | null {
  if (bytes === null) return null;
  const asText = decoder.decode(bytes);
  if (DIGITS.test(asText)) return Number(asText);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength === 4) return view.getInt32(0);
  if (bytes.byteLength === 8) return Number(view.getBigInt64(0));
  return null;
}

/** Which convention wrote `headers`, if any. */
export function conventionOf(get: HeaderBytes): DeadLetterConvention | null {
  for (const convention of ["freshet", "spring", "connect"] as const) {
    if (get(CONVENTION_HEADERS[convention].topic) !== null) return convention;
  }
  return null;
}

/** What the dead letter's headers say. */
export function conventionInfo(get: HeaderBytes): ConventionInfo {
  const convention = conventionOf(get);
  const none: ConventionInfo = {
    convention,
    error: null,
    code: null,
    originalTopic: null,
    originalPartition: null,
    originalOffset: null,
    failedAt: null,
    consumer: null,
    group: null,
    stacktrace: null,
  };
  if (convention === "freshet") {
    const h = CONVENTION_HEADERS.freshet;
    return {
      ...none,
      error: text(get(h.error)),
      code: text(get(h.code)),
      originalTopic: text(get(h.topic)),
      originalPartition: integerHeader(get(h.partition)),
      originalOffset: integerHeader(get(h.offset)),
      failedAt: text(get(h.failedAt)),
      consumer: text(get(h.consumer)),
      group: text(get(h.group)),
    };
  }
  if (convention === "spring") {
    const h = CONVENTION_HEADERS.spring;
    const time = integerHeader(get(h.timestamp));
    const cause = text(get(h.causeClass));
    const exception = text(get(h.exceptionClass)) ?? text(get(h.keyExceptionClass));
    return {
      ...none,
      error: text(get(h.error)) ?? text(get(h.keyError)),
      code: exception === null ? null : `${exception}${cause ? ` (cause ${cause})` : ""}`,
      originalTopic: text(get(h.topic)),
      originalPartition: integerHeader(get(h.partition)),
      originalOffset: integerHeader(get(h.offset)),
      failedAt: time !== null && time > 0 ? new Date(time).toISOString() : null,
      group: text(get(h.group)),
      stacktrace: text(get(h.stacktrace)),
    };
  }
  if (convention === "connect") {
    const h = CONVENTION_HEADERS.connect;
    const connector = text(get(h.connector));
    const task = text(get(h.task));
    const stage = text(get(h.stage));
    return {
      ...none,
      error: text(get(h.error)),
      code: text(get(h.exceptionClass)),
      originalTopic: text(get(h.topic)),
      originalPartition: integerHeader(get(h.partition)),
      originalOffset: integerHeader(get(h.offset)),
      consumer: connector === null
        ? null
        : `${connector}${task === null ? "" : `/${task}`}${stage === null ? "" : ` (${stage})`}`,
      stacktrace: text(get(h.stacktrace)),
    };
  }
  return none;
}

/** Whether `name` is a header one of the conventions adds to a dead letter. */
export function isConventionHeader(name: string): boolean {
  return Object.values(CONVENTION_HEADERS).some((h) => name.startsWith(h.prefix));
}

/**
 * Whether `topic` is named like a dead-letter topic: Freshet's `.dlq`,
 * Spring's `.DLT` / `-dlt`, and the usual `dlq`/`dlt` words at either end
 * (Connect's topic is whatever its connector names; `dlq-<connector>` is common).
 */
export function isDeadLetterTopic(topic: string): boolean {
  if (topic.startsWith("__")) return false;
  return /[._-](dlq|dlt)$/i.test(topic) || /^(dlq|dlt)[._-]./i.test(topic);
}
