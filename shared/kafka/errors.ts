/**
 * Reading KafkaJS failures and bounding waits on Kafka: shared by the
 * places that must answer a person or an HTTP client in time (the POC
 * endpoints, the producer CLIs) rather than retry forever.
 */

type Chain = { type?: string; cause?: Chain; originalError?: Chain };

/** The KafkaJS protocol error type in an error or its causes, e.g. `TOPIC_AUTHORIZATION_FAILED`. */
export function kafkaErrorType(error: unknown): string | undefined {
  for (let e = error as Chain | undefined; e; e = e.cause ?? e.originalError) {
    if (e.type) return e.type;
  }
}

/** Whether the error says the brokers could not be reached (no broker answer at all). */
export function isUnreachable(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name;
  return typeof name === "string" && /Connection|Retries/.test(name) &&
    kafkaErrorType(error) === undefined;
}

/**
 * `promise`, or a rejection with `onTimeout()` after `timeoutMs`. The work
 * itself goes on in the background (its clients disconnect on their own).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  promise.catch(() => {});
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Whether a Kafka error name says a topic does not exist (or the principal may not know it does). */
export function isMissingTopicName(name: unknown): boolean {
  return name === "UNKNOWN_TOPIC_OR_PARTITION" || name === "UNKNOWN_TOPIC_ID";
}

/** Whether the error says a topic does not exist (or the principal may not know it does). */
export function isMissingTopic(error: unknown): boolean {
  return isMissingTopicName(kafkaErrorType(error));
}

/**
 * Kafka's answers while a partition's leadership moves (a new topic whose
 * leader is not serving yet, a leader election after a broker loss). The
 * broker calls error 6 NOT_LEADER_OR_FOLLOWER; KafkaJS still names it
 * NOT_LEADER_FOR_PARTITION. Both are here, whichever client raised it.
 */
const LEADER_MOVING = new Set([
  "NOT_LEADER_FOR_PARTITION",
  "NOT_LEADER_OR_FOLLOWER",
  "LEADER_NOT_AVAILABLE",
]);

/** Whether the error says a partition's leader is moving: asking again soon will do. */
export function isLeaderMoving(error: unknown): boolean {
  const type = kafkaErrorType(error);
  return type !== undefined && LEADER_MOVING.has(type);
}
