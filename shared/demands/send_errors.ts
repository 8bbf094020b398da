/**
 * The demands producer CLI's Kafka failures, told in one sentence: which
 * principal, which topic or broker, and what to do about it.
 */
import { SendTimeoutError } from "../balances/send_errors.ts";
import { isUnreachable, kafkaErrorType } from "../kafka_errors.ts";

/** One sentence for a failed connect or send as the `web` principal. */
export function describeDemandSendError(
  error: unknown,
  where: { topic: string; brokers: string[] },
): string {
  const message = (error as Error)?.message ?? String(error);
  if (error instanceof SendTimeoutError) {
    return `${message}: does topic ${where.topic} exist? (deno task topics creates it)`;
  }
  if (kafkaErrorType(error) === "TOPIC_AUTHORIZATION_FAILED") {
    return `the web principal may not write ${where.topic} (see kafka-acls.txt)`;
  }
  if ((error as Error)?.name === "KafkaJSSASLAuthenticationError") {
    return `Kafka refused the login as web: check KAFKA_WEB_PASSWORD (${message})`;
  }
  if (isUnreachable(error)) return `cannot reach Kafka at ${where.brokers.join(",")} (${message})`;
  return message;
}
