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
 */
import { Buffer } from "node:buffer";
import type { Kafka, Producer } from "kafkajs";
import { createIdempotentProducer } from "../kafka/client.ts";
import { kafkaErrorType } from "../kafka/errors.ts";
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

  constructor(kafka: Kafka, groupId: string) {
    this.#kafka = kafka;
    this.#groupId = groupId;
  }

  /** The transactional id of a partition. */
  transactionalId(topic: string, partition: number): string {
    return `${this.#groupId}-${topic}-${partition}`;
  }

  /**
   * The partition's producer, created and initialised on first use:
   * initialising fences the previous owner and aborts its open transaction.
   */
  producer(topic: string, partition: number): Promise<Producer> {
    const key = `${topic}:${partition}`;
    let producer = this.#producers.get(key);
    if (!producer) {
      producer = (async () => {
        const p = createIdempotentProducer(this.#kafka, {
          transactionalId: this.transactionalId(topic, partition),
        });
        await p.connect();
        const first = await p.transaction(); // InitProducerId: fences the previous owner
        await first.abort();
        return p;
      })();
      producer.catch(() => this.#producers.delete(key));
      this.#producers.set(key, producer);
    }
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
    const producer = await this.producer(topic, partition);
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
      await txn.abort().catch(() => {});
      if (isFenced(error)) {
        await this.close(topic, partition);
        throw new FencedError(topic, partition, error);
      }
      // A failed transaction leaves the producer in an unknown state: start afresh.
      await this.close(topic, partition);
      throw error;
    }
  }

  /** Disconnects the partition's producer (revoked, or broken). */
  async close(topic: string, partition: number): Promise<void> {
    const key = `${topic}:${partition}`;
    const producer = this.#producers.get(key);
    this.#producers.delete(key);
    await producer?.then((p) => p.disconnect()).catch(() => {});
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
