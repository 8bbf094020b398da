/**
 * A processor's Kafka transactions: one transactional producer per input
 * partition, with the transactional id `<group>-<topic>-<partition>`.
 *
 * Whoever owns a partition owns its transactional id. A new owner (another
 * instance after a rebalance, or this one after a restart) starts by
 * initialising the id, which aborts the previous owner's open transaction
 * and fences it: a zombie can no longer commit. Only then does it read the
 * partition's committed offset, so it never starts from an offset the
 * previous owner was about to move. Each batch's output events and its
 * consumed offset commit in one transaction; readers use read_committed.
 *
 * A commit that fails any other way (the broker away, an answer lost, its
 * deadline passed) has an unknown outcome: the EndTxn may have been applied.
 * Its producer is closed and CommitUnknownError thrown; the partition must
 * be positioned again (`init`, then the committed offset read), never
 * retried from memory, or a decision the broker did commit would be
 * committed a second time. A commit never creates a producer: only `init`
 * does, on an assignment, so a fenced instance cannot take its partition
 * back by itself.
 */
import { Buffer } from "node:buffer";
import type { Kafka, Producer } from "kafkajs";
import { createIdempotentProducer } from "../kafka/client.ts";
import { kafkaErrorType, withTimeout } from "../kafka/errors.ts";
import { eventMessage, type OutboxEvent } from "../outbox/outbox.ts";

/** The partition now belongs to another producer (this one was fenced). */
export class FencedError extends Error {
  constructor(readonly topic: string, readonly partition: number, cause: unknown) {
    super(`${topic}/${partition} is owned by another instance now (this producer was fenced)`, {
      cause,
    });
    this.name = "FencedError";
  }
}

const FENCED = new Set([
  "INVALID_PRODUCER_EPOCH",
  "PRODUCER_FENCED",
  "INVALID_PRODUCER_ID_MAPPING",
]);

/** A transaction whose outcome is unknown (its producer is closed): position the partition again. */
export class CommitUnknownError extends Error {
  readonly retriable = true;
  readonly code = "COMMIT_OUTCOME_UNKNOWN";
  constructor(readonly topic: string, readonly partition: number, cause: unknown) {
    super(
      `${topic}/${partition}: the transaction's outcome is unknown (${
        (cause as Error)?.message ?? cause
      }); the partition is positioned again from the group's committed offset`,
      { cause },
    );
    this.name = "CommitUnknownError";
  }
}

/** Options of the partitions' transactions. */
export interface PartitionTransactionsOptions {
  /** Longest a transaction may take before its outcome is taken as unknown (default 30 000 ms). */
  commitTimeoutMs?: number;
  /** Retries of a transaction's requests (default 5: about 15 s), not for ever. */
  retries?: number;
}

/** Whether a Kafka error says this producer was fenced. */
export function isFenced(error: unknown): boolean {
  return FENCED.has(kafkaErrorType(error) ?? "");
}

/** The transactional producers of one processor. */
export class PartitionTransactions {
  #kafka: Kafka;
  #groupId: string;
  #producers = new Map<string, Promise<Producer>>();
  /** Each partition's transaction in progress, so the next waits for it. */
  #turns = new Map<string, Promise<void>>();

  #options: Required<PartitionTransactionsOptions>;

  constructor(kafka: Kafka, groupId: string, options: PartitionTransactionsOptions = {}) {
    this.#kafka = kafka;
    this.#groupId = groupId;
    this.#options = {
      commitTimeoutMs: options.commitTimeoutMs ?? 30_000,
      retries: options.retries ?? 5,
    };
  }

  /** The transactional id of a partition. */
  transactionalId(topic: string, partition: number): string {
    return `${this.#groupId}-${topic}-${partition}`;
  }

  /**
   * A new producer for the partition (the previous one closed): its
   * InitProducerId fences any other owner and completes or aborts the
   * transaction the id left open, so the committed offset read after it is
   * final. Call it only when the group assigned the partition.
   */
  init(topic: string, partition: number): Promise<Producer> {
    const key = `${topic}:${partition}`;
    const previous = this.#producers.get(key);
    const producer = (async () => {
      await withTimeout(
        previous?.then((p) => p.disconnect()) ?? Promise.resolve(),
        5_000,
        () => new Error("disconnect timed out"),
      ).catch(() => {});
      const p = createIdempotentProducer(this.#kafka, {
        transactionalId: this.transactionalId(topic, partition),
        retries: this.#options.retries,
      });
      try {
        await withTimeout(
          (async () => {
            await p.connect();
            const first = await p.transaction(); // InitProducerId: fences the previous owner
            await first.abort();
          })(),
          this.#options.commitTimeoutMs,
          () => new Error(`initialising the producer of ${topic}/${partition} timed out`),
        );
      } catch (error) {
        await p.disconnect().catch(() => {});
        throw error;
      }
      return p;
    })();
    producer.catch(() => this.#producers.get(key) === producer && this.#producers.delete(key));
    this.#producers.set(key, producer);
    return producer;
  }

  /**
   * Sends `events` and commits the group's offset `nextOffset` for the
   * partition, all in one transaction; one transaction of a partition at a
   * time, and none if `still()` no longer holds when it is its turn. Throws
   * FencedError when another instance owns the partition now.
   */
  commit(
    topic: string,
    partition: number,
    events: OutboxEvent[],
    nextOffset: number,
    still: () => boolean = () => true,
  ): Promise<void> {
    const key = `${topic}:${partition}`;
    const run = (this.#turns.get(key) ?? Promise.resolve()).then(() =>
      still() ? this.#commit(topic, partition, events, nextOffset) : undefined
    );
    const turn = run.catch(() => {});
    this.#turns.set(key, turn);
    turn.then(() => this.#turns.get(key) === turn && this.#turns.delete(key));
    return run;
  }

  async #commit(
    topic: string,
    partition: number,
    events: OutboxEvent[],
    nextOffset: number,
  ): Promise<void> {
    const ready = this.#producers.get(`${topic}:${partition}`);
    if (!ready) {
      throw new CommitUnknownError(topic, partition, new Error("no producer: not positioned"));
    }
    const producer = await ready.catch((error) => {
      throw new CommitUnknownError(topic, partition, error);
    });
    try {
      await withTimeout(
        this.#transaction(producer, topic, partition, events, nextOffset),
        this.#options.commitTimeoutMs,
        () => new Error(`no answer within ${this.#options.commitTimeoutMs} ms`),
      );
    } catch (error) {
      // Fenced, failed or timed out: this producer is never used again.
      await this.close(topic, partition);
      if (isFenced(error) || error instanceof FencedError) {
        throw error instanceof FencedError ? error : new FencedError(topic, partition, error);
      }
      throw new CommitUnknownError(topic, partition, error);
    }
  }

  async #transaction(
    producer: Producer,
    topic: string,
    partition: number,
    events: OutboxEvent[],
    nextOffset: number,
  ): Promise<void> {
    const txn = await producer.transaction();
    try {
      const byTopic = new Map<string, OutboxEvent[]>();
      for (const e of events) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e]);
      if (byTopic.size > 0) {
        await txn.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([t, list]) => ({
            topic: t,
            messages: list.map((event) => {
              const m = eventMessage(event);
              return {
                key: m.key,
                value: m.value === null ? null : Buffer.from(m.value),
                headers: m.headers,
              };
            }),
          })),
        });
      }
      await txn.sendOffsets({
        consumerGroupId: this.#groupId,
        topics: [{ topic, partitions: [{ partition, offset: String(nextOffset) }] }],
      });
      await txn.commit();
    } catch (error) {
      if (!isFenced(error)) await txn.abort().catch(() => {});
      throw error;
    }
  }

  /** Disconnects the partition's producer (revoked, or broken); waits at most 5 s. */
  async close(topic: string, partition: number): Promise<void> {
    const key = `${topic}:${partition}`;
    const producer = this.#producers.get(key);
    this.#producers.delete(key);
    await withTimeout(
      producer?.then((p) => p.disconnect()) ?? Promise.resolve(),
      5_000,
      () => new Error("disconnect timed out"),
    ).catch(() => {});
  }

  /** Disconnects every producer. */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#producers.keys()].map((key) => {
      const [topic, partition] = [
        key.slice(0, key.lastIndexOf(":")),
        key.slice(key.lastIndexOf(":") + 1),
      ];
      return this.close(topic, Number(partition));
    }));
  }
}
