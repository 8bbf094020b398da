/**
 * Applies a chunk of one partition's messages through a commit protocol,
 * message failures included: the messages before a failing one commit on
 * their own, the failing one is dead-lettered or its partition paused as
 * the verdict says (failure_verdict.ts), and the rest follow. A stored
 * offset moved under the chunk (views) or a producer fenced (processors)
 * drops the chunk: what was not committed is fetched again. A commit that
 * fails outside any handler (a view's SQLite commit refused or busy, a
 * processor's Kafka transaction unconfirmed) commits nothing the runner
 * knows of: the partition is positioned again, after a delay that grows
 * while it keeps failing.
 */
import type { Logger } from "../core/log.ts";
import { type BatchMessage, type BatchOutcome, MessageFailure } from "./apply_batch.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import { failureVerdict, type FailureVerdictOptions } from "./failure_verdict.ts";
import { OffsetConflictError } from "./offsets.ts";
import { FencedError } from "./transactions.ts";

/** How one chunk ended: committed up to `next`, or left to be fetched again. */
export type ChunkResult = { done: true; next: number } | { done: false };

/** What the loop needs from the runner for one partition's chunk. */
export interface ChunkContext {
  protocol: CommitProtocol;
  verdict: FailureVerdictOptions;
  log: Logger;
  /** False once the batch is stale, the consumer stops or failed: the chunk is dropped. */
  live(): boolean;
  /** After a committed chunk. */
  committed(messages: BatchMessage[], outcome: BatchOutcome): void;
  /** The stored offset moved to `found` under the chunk: read again from there. */
  reread(found: number | undefined): void;
  /** Pauses the partition for `delayMs` after `error`. */
  pause(delayMs: number, error: unknown): void;
  /**
   * A commit failed outside any handler, or its outcome is unknown (the
   * broker away, an answer lost): the partition is positioned again, from
   * where its protocol says, after a delay that grows with each failure in
   * a row.
   */
  reposition(error: unknown): void;
  /** Another instance owns the partition now: nothing more until it is assigned again. */
  fenced(): void;
  /** A message failed and will be retried (`counters.retries`), or the last error changed. */
  failed(error: unknown, willRetry: boolean): void;
}

/**
 * Applies `messages` (one partition), retrying per message as the verdict
 * says. `done: false` when the partition was paused, moved or went stale.
 */
export async function applyChunk(
  ctx: ChunkContext,
  messages: BatchMessage[],
  expected: number | undefined,
  poison = new Map<number, unknown>(),
): Promise<ChunkResult> {
  const { topic, partition } = messages[0];
  let rest = messages;
  while (rest.length > 0) {
    if (!ctx.live()) return { done: false };
    try {
      const outcome = await ctx.protocol.commit(rest, expected, poison);
      ctx.committed(rest, outcome);
      return { done: true, next: rest[rest.length - 1].offset + 1 };
    } catch (error) {
      if (error instanceof OffsetConflictError) {
        ctx.log.warn("stored offset moved under this batch; reading again from it", {
          topic,
          partition,
          found: error.found,
        });
        ctx.reread(error.found);
        return { done: false };
      }
      if (error instanceof FencedError) {
        ctx.log.warn("partition moved to another instance; dropping this batch", {
          topic,
          partition,
        });
        ctx.fenced();
        return { done: false };
      }
      if (!(error instanceof MessageFailure)) {
        // A view's SQLite commit failed (rolled back), or a processor's Kafka transaction
        // failed or its outcome is unknown (broker away, answer lost): never retried from
        // memory; positioned again from the stored offset or Kafka's.
        ctx.log.warn(
          ctx.protocol.kind === "view"
            ? "the SQLite commit failed; positioning the partition again from its stored offset"
            : "transaction not confirmed; positioning the partition again",
          { topic, partition, error },
        );
        ctx.failed(error, false);
        ctx.reposition(error);
        return { done: false };
      }
      const index = Math.max(0, rest.findIndex((m) => m.offset === error.offset));
      const verdict = failureVerdict(ctx.verdict, rest.slice(index), error);
      ctx.failed(error.cause, verdict.action === "retry");
      if (index > 0) {
        // The messages before the failing one applied: commit them alone first.
        const prefix = await applyChunk(ctx, rest.slice(0, index), expected, poison);
        if (!prefix.done) return prefix;
        expected = prefix.next;
        rest = rest.slice(index);
      }
      if (verdict.action === "dead-letter") poison.set(error.offset, error.cause);
      else {
        ctx.pause(verdict.delayMs, error.cause);
        return { done: false };
      }
    }
  }
  return { done: true, next: expected ?? messages[messages.length - 1].offset + 1 };
}
