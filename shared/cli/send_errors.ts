/**
 * A producer CLI's Kafka failures, told in one sentence: which principal,
 * which topic or broker, and what to do about it.
 */
import { isUnreachable, kafkaErrorType, withTimeout } from "../kafka/errors.ts";

/** How long one send may wait for Kafka's acknowledgement. */
export const SEND_TIMEOUT_MS = 15_000;

/** Raised when Kafka did not acknowledge a send in time. */
export class SendTimeoutError extends Error {
  constructor() {
    super(`Kafka did not acknowledge within ${SEND_TIMEOUT_MS / 1000} s`);
    this.name = "SendTimeoutError";
  }
}

/**
 * `send`, bounded: the idempotent producer retries forever (that is what
 * keeps it idempotent), so a missing topic would otherwise hang the CLI.
 */
export function withSendTimeout<T>(send: Promise<T>): Promise<T> {
  return withTimeout(send, SEND_TIMEOUT_MS, () => new SendTimeoutError());
}

/** One sentence for a failed connect or send as `where.principal`. */
export function describeSendError(
  error: unknown,
  where: { topic: string; brokers: string[]; principal: string },
): string {
  const principal = where.principal;
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof SendTimeoutError) {
    return `${message}: does topic ${where.topic} exist? (deno task topics creates it)`;
  }
  if (kafkaErrorType(error) === "TOPIC_AUTHORIZATION_FAILED") {
    return `the ${principal} principal may not write ${where.topic} (see kafka-acls.txt)`;
  }
  if ((error as Error)?.name === "KafkaJSSASLAuthenticationError") {
    return `Kafka refused the login as ${principal}: check KAFKA_${principal.toUpperCase()}_PASSWORD (${message})`;
  }
  if (isUnreachable(error)) return `cannot reach Kafka at ${where.brokers.join(",")} (${message})`;
  return message;
}
