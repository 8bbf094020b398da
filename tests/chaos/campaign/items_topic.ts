/**
 * The campaign's items topic as the load labels what it writes: its
 * current incarnation (topic id) and partition count, and its
 * recreations. A send that straddles a recreation (begun before it or
 * during it, acknowledged after it began: KafkaJS retries "does not host
 * this topic-partition" until the new topic exists) may have landed in
 * either log, so the incarnation read before the send is not proof. Such a
 * send is settled once the recreation is over, by reading the new log at
 * its offset: the item is there, or it was in the old log.
 */
import type { Kafka } from "kafkajs";
import { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { readOne } from "../../../services/console/messages/one_message.ts";

/** The items topic now. */
export interface ItemsTopicState {
  topicId: string;
  partitions: number;
}

/** What the load asks of the items topic. */
export interface ItemsTopicView {
  state(): ItemsTopicState;
  /** Counts recreations begun and ended: odd while one is in progress. */
  epoch(): number;
  /**
   * The incarnation an item acknowledged at `partition`/`offset` was
   * written to, for a send that began at `epochBefore` labelled
   * `labelled`: that label unless a recreation overlapped the send, then
   * the new log's, if it holds item `n` there.
   */
  incarnationOf(
    item: { n: number; partition: number; offset: number },
    labelled: string,
    epochBefore: number,
  ): Promise<string>;
}

/** The campaign's items topic. */
export class ItemsTopic implements ItemsTopicView {
  #name: string;
  #logs: LogClient;
  #state: ItemsTopicState = { topicId: "", partitions: 3 };
  #epoch = 0;
  #recreated: Promise<void> = Promise.resolve();

  constructor(kafka: Kafka, name: string) {
    this.#name = name;
    this.#logs = new LogClient(kafka);
  }

  async connect(): Promise<void> {
    await this.refresh();
  }

  state(): ItemsTopicState {
    return this.#state;
  }

  epoch(): number {
    return this.#epoch;
  }

  /** Reads the topic's current id and partition count. */
  async refresh(): Promise<ItemsTopicState> {
    const meta = (await this.#logs.topicMetadata([this.#name])).get(this.#name);
    if (meta?.topicId && meta.partitions.length > 0) {
      this.#state = { topicId: meta.topicId, partitions: meta.partitions.length };
    }
    return this.#state;
  }

  /** Runs `recreate` (delete and create the topic) as a recreation, then reads the new id. */
  async recreate(recreate: () => Promise<void>): Promise<void> {
    let done!: () => void;
    this.#recreated = new Promise((resolve) => (done = resolve));
    this.#epoch++;
    try {
      await recreate();
      await this.refresh();
    } finally {
      this.#epoch++;
      done();
    }
  }

  async incarnationOf(
    item: { n: number; partition: number; offset: number },
    labelled: string,
    epochBefore: number,
  ): Promise<string> {
    if (epochBefore === this.#epoch && epochBefore % 2 === 0) return labelled;
    await this.#recreated;
    const now = this.#state.topicId;
    if (now === labelled) return labelled;
    return (await this.#itemAt(item.partition, item.offset)) === item.n ? now : labelled;
  }

  /** The `n` of the record at `partition`/`offset` of the current log, if it holds one there. */
  async #itemAt(partition: number, offset: number): Promise<number | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        // Undefined when the log holds no record at that offset (past its end, deleted).
        const found = await readOne(this.#logs, this.#name, partition, offset);
        if (!found?.value) return undefined;
        return (JSON.parse(new TextDecoder().decode(found.value)) as { n?: number }).n;
      } catch (error) {
        if (error instanceof RangeError) return undefined; // no such partition in this log
        await new Promise((r) => setTimeout(r, 500)); // a leader moving: asked again
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.#logs.close().catch(() => {});
  }
}
