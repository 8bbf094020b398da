/**
 * The verdict on a message whose handler failed: dead-letter it now, or
 * pause its partition and retry it later. The retry policy (retry_policy.ts)
 * counts each message's failures and backoff; a message past its budget is
 * *suspect*, and the evidence decides. The messages after it are run
 * through their handlers, each on its own, and rolled back (a probe): if
 * any of them applies, or if another partition of its topic applied
 * messages since it first failed, the suspect is poison and is
 * dead-lettered; if they all fail too and nothing else of its topic
 * applies, it is an outage and nothing is dead-lettered. (A probe that
 * stopped at the first failure read two poison messages in a row as an
 * outage; a poison message last in its partition had no evidence at all.)
 */
import type { Logger } from "../core/log.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";
import { type BatchMessage, type MessageFailure, probeBatch } from "./apply_batch.ts";
import type { ConsumerDefinition } from "./define.ts";
import type { RetryPolicy } from "./retry_policy.ts";

/** Messages after a suspect one tried (and rolled back) to tell poison from an outage. */
export const PROBE_MESSAGES = 20;

/** Information given to `onBatchError`, right after the rollback. */
export interface BatchErrorInfo {
  topic: string;
  partition: number;
  offset: number;
  error: unknown;
  /** Failures of this message so far. */
  attempt: number;
  willRetry: boolean;
}

/** The verdict on a failed message. */
export type Verdict = { action: "dead-letter" } | { action: "retry"; delayMs: number };

/** `topic:partition:offset`, the key of a message in the retry policy. */
export function messageKey(m: { topic: string; partition: number; offset: number }): string {
  return `${m.topic}:${m.partition}:${m.offset}`;
}

/** What the verdict needs. */
export interface FailureVerdictOptions {
  db: DatabaseSync;
  definition: ConsumerDefinition;
  policy: RetryPolicy;
  log: Logger;
  onBatchError?: (info: BatchErrorInfo) => void;
  /** Whether another partition of `topic` than `partition` applied messages after `since`. */
  appliedElsewhere?: (topic: string, partition: number, since: number) => boolean;
}

/**
 * The verdict on `rest[0]`, which failed with `failure`; `rest` is the
 * failing message and the ones after it in its partition.
 */
export function failureVerdict(
  options: FailureVerdictOptions,
  rest: BatchMessage[],
  failure: MessageFailure,
): Verdict {
  const { policy, log } = options;
  const head = rest[0];
  const cause = failure.cause;
  const decision = policy.onFailure(messageKey(head), cause);
  let deadLetter = decision.action === "dead-letter";
  if (decision.action === "retry" && decision.suspect) {
    // Past its budget: poison if the messages after it apply, an outage if they fail too.
    const probe = probeBatch({
      db: options.db,
      definition: options.definition,
      handler: options.definition.topics[head.topic],
      topic: head.topic,
      partition: head.partition,
      poison: new Map(),
      events: "collect",
    }, rest.slice(1, 1 + PROBE_MESSAGES));
    const since = policy.failures(messageKey(head))?.firstFailedAt ?? Date.now();
    deadLetter = probe.applied > 0 ||
      (options.appliedElsewhere?.(head.topic, head.partition, since) ?? false);
    if (!deadLetter) {
      const after = rest.length > 1 ? "the ones after it too" : "nothing after it to try";
      log.warn(`message still failing, and ${after}: waiting (an outage?)`, {
        topic: head.topic,
        partition: head.partition,
        offset: head.offset,
        attempts: decision.attempts,
        error: cause,
      });
    }
  }
  options.onBatchError?.({
    topic: head.topic,
    partition: head.partition,
    offset: head.offset,
    error: cause,
    attempt: decision.attempts,
    willRetry: !deadLetter,
  });
  if (deadLetter) {
    policy.settle(messageKey(head));
    log.warn("message rejected; dead-lettering it", {
      topic: head.topic,
      partition: head.partition,
      offset: head.offset,
      attempts: decision.attempts,
      error: cause,
    });
    return { action: "dead-letter" };
  }
  const delayMs = decision.action === "retry" ? decision.delayMs : policy.maxRetryMs;
  log.warn("message failed; partition paused before retrying it", {
    topic: head.topic,
    partition: head.partition,
    offset: head.offset,
    attempt: decision.attempts,
    delay: delayMs,
    error: cause,
  });
  return { action: "retry", delayMs };
}
