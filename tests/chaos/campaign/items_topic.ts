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
import { readTopicMetadata } from "../../../shared/kafka/wire/metadata_request.ts";
import { createCluster, type KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";
import { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";
import { FetchError } from "../../../shared/kafka/wire/fetch_request.ts";

/** Kafka's error code for a fetch offset outside the log. */
const OFFSET_OUT_OF_RANGE = 1;

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
  #ids: KafkaCluster;
  #logs: LogClient;
  #state: ItemsTopicState = { topicId: "", partitions: 3 };
  #epoch = 0;
  #recreated: Promise<void> = Promise.resolve();

  constructor(kafka: Kafka, name: string) {
    this.#name = name;
    this.#ids = createCluster(kafka);
    this.#logs = new LogClient(kafka);
  }

  async connect(): Promise<void> {
    await this.#ids.connect();
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
    const meta = (await readTopicMetadata(this.#ids, [this.#name])).topics[0];
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
        const [fetched] = await this.#logs.fetch(this.#name, [
          { partition, fetchOffset: offset, maxBytes: 65_536 },
        ]);
        if (!fetched) return undefined;
        const cursor = new RecordCursor(fetched.records, {
          fromOffset: offset,
          untilOffset: offset + 1,
        });
        if (!cursor.next() || cursor.offset !== offset || cursor.valueLength < 0) return undefined;
        const value = cursor.bytes.subarray(
          cursor.valueStart,
          cursor.valueStart + cursor.valueLength,
        );
        return (JSON.parse(new TextDecoder().decode(value)) as { n?: number }).n;
      } catch (error) {
        // Out of range: not in this log. Anything else (a leader moving): asked again.
        if (error instanceof FetchError && error.errorCode === OFFSET_OUT_OF_RANGE) {
          return undefined;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    return undefined;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#ids.disconnect(), this.#logs.close()]);
  }
}
