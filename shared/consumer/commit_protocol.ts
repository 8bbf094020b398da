/**
 * How a kind of consumer commits a chunk of messages and where a partition
 * resumes: a view in one SQLite transaction with its stored offset
 * (view_commit.ts), a processor in one Kafka transaction with the group's
 * offset (processor_commit.ts). The runner's chunk loop (chunk_loop.ts)
 * calls one of them; retries and dead letters are decided around it.
 */
import type { BatchMessage, BatchOutcome } from "./apply_batch.ts";

/**
 * Where a partition resumes: an offset, the log's start (`earliest`), or
 * wherever the group's committed offset says (`committed`: no seek).
 */
export type ResumeAt = number | "earliest" | "committed";

/** One commit protocol (a view's or a processor's). */
export interface CommitProtocol {
  readonly kind: "view" | "processor";
  /**
   * Where an assigned partition resumes; batches of it are applied only
   * once this resolved.
   */
  position(topic: string, partition: number): Promise<ResumeAt>;
  /**
   * The stored offset the first chunk of a batch is compared against (a
   * view's compare-and-set), or undefined when the protocol does not compare.
   */
  expected(stored: number | undefined): number | undefined;
  /**
   * Applies `messages` (one partition; `poison` offsets are dead-lettered)
   * and commits them with the partition's next offset, all or nothing.
   * Throws MessageFailure when a handler threw (nothing committed).
   */
  commit(
    messages: BatchMessage[],
    expected: number | undefined,
    poison: Map<number, unknown>,
  ): Promise<BatchOutcome>;
  /**
   * Commits `offset` as the group's offset of the partition with nothing
   * else (past a tail of transaction markers), if `still()` holds when it
   * is its turn.
   */
  commitPosition(
    topic: string,
    partition: number,
    offset: number,
    still: () => boolean,
  ): Promise<void>;
  /** The partition was revoked. */
  revoke(topic: string, partition: number): void;
  /** Releases what the protocol holds (producers). */
  close(): Promise<void>;
}
