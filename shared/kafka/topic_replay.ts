/**
 * Replays partitions of one or more topics into a synchronous sink, each
 * from a start offset up to a target that may be raised while it runs (a
 * balances rebuild first reads to the end, then catches up with a live
 * consumer). It streams: nothing is held in memory beyond one fetched
 * batch, so a topic of any size can be replayed. `readRange`
 * (topic_reader.ts) is the bounded read built on it.
 *
 * A partition that reaches its target is paused; raising the target
 * resumes it. Offsets skipped by compaction and transaction markers count
 * as passed (replay_progress.ts).
 */
import type { Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { type ReadMessage, toReadMessage } from "./read_message.ts";
import { type PartitionName, type ReplayPartition, ReplayProgress } from "./replay_progress.ts";

export type { ReplayPartition } from "./replay_progress.ts";

/** Receives the records of one partition below its target, in order; throw to stop the replay. */
export type ReplaySink = (messages: ReadMessage[]) => void;

/** Options of `TopicReplay`. */
export interface TopicReplayOptions {
  /** A group the principal may join; nothing is committed to it. */
  groupId: string;
  /** What to replay: per partition, from `start` to below `target`. */
  partitions: readonly ReplayPartition[];
  sink: ReplaySink;
  /** The consumer's session timeout (default 30 000 ms: a sink may take a while per batch). */
  sessionTimeoutMs?: number;
}

/** A replay that did not reach its targets in time (`reached`). */
export class ReplayTimeoutError extends Error {
  readonly code = "REPLAY_TIMEOUT";
  readonly retriable = true;

  constructor(timeoutMs: number, behind: string[]) {
    super(`replay not done after ${timeoutMs} ms: ${behind.join(", ")}`);
    this.name = "ReplayTimeoutError";
  }
}

/** A running replay; `stop()` always disconnects. */
export class TopicReplay {
  #kafka: Kafka;
  #options: TopicReplayOptions;
  #progress: ReplayProgress;
  #consumer?: Consumer;
  #paused = new Set<string>();
  #failure?: unknown;
  #changed = new Set<() => void>();

  constructor(kafka: Kafka, options: TopicReplayOptions) {
    this.#kafka = kafka;
    this.#options = options;
    this.#progress = new ReplayProgress(options.partitions);
  }

  /** Every offset below this one of `topic[partition]` has been given to the sink. */
  position(topic: string, partition: number): number {
    return this.#progress.position(topic, partition);
  }

  /** The partitions being replayed. */
  partitions(): PartitionName[] {
    return this.#progress.partitions();
  }

  /** Connects, joins the group and starts reading each partition at its start. */
  async start(): Promise<void> {
    const topics = [...new Set(this.#options.partitions.map((p) => p.topic))];
    const consumer = this.#kafka.consumer({
      groupId: this.#options.groupId,
      maxWaitTimeInMs: 100,
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, (this.#options.sessionTimeoutMs ?? 30_000) / 10),
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#paused.clear();
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions as number[]) {
          if (!this.#progress.has(topic, partition)) this.#pause(topic, partition);
          else {
            consumer.seek({ topic, partition, offset: String(this.position(topic, partition)) });
            if (this.#progress.done(topic, partition)) this.#pause(topic, partition);
          }
        }
      }
    });
    // A batch of transaction markers (or aborted records) only is never given
    // to eachBatch: its end is here. Its offsets count as passed when it
    // starts at the partition's position.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const { topic, partition, batchSize, firstOffset, lastOffset } = payload;
      if (batchSize > 0 || firstOffset === null || this.#failure !== undefined) return;
      if (!this.#progress.has(topic, partition)) return;
      if (Number(firstOffset) > this.position(topic, partition)) return;
      this.#advance(topic, partition, Number(lastOffset) + 1);
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.#fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
  }

  /** Raises the target of `topic[partition]` (a lower one is ignored) and resumes it if needed. */
  raise(topic: string, partition: number, target: number): void {
    if (this.#progress.raise(topic, partition, target)) {
      if (this.#paused.delete(`${topic}:${partition}`)) {
        this.#consumer?.resume([{ topic, partitions: [partition] }]);
      }
    }
  }

  /** Resolves once every partition reached its target; rejects on failure or after `timeoutMs`. */
  reached(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#failure !== undefined) return done(() => reject(this.#failure));
        if (this.#progress.complete()) return done(resolve);
      };
      const timer = setTimeout(() => {
        done(() => reject(new ReplayTimeoutError(timeoutMs, this.#progress.behind())));
      }, timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.#changed.delete(check);
        settle();
      };
      this.#changed.add(check);
      check();
    });
  }

  /** Disconnects the consumer. */
  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }

  #pause(topic: string, partition: number): void {
    const key = `${topic}:${partition}`;
    if (this.#paused.has(key)) return;
    this.#paused.add(key);
    this.#consumer?.pause([{ topic, partitions: [partition] }]);
  }

  #advance(topic: string, partition: number, next: number): void {
    this.#progress.advance(topic, partition, next);
    if (this.#progress.done(topic, partition)) this.#pause(topic, partition);
    for (const check of [...this.#changed]) check();
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    for (const check of [...this.#changed]) check();
  }

  async #eachBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    if (!this.#progress.has(topic, partition) || this.#failure !== undefined) return;
    const fetched = batch.messages.map((m) => ({ offset: Number(m.offset), m }));
    const { records, beyond } = this.#progress.wanted(topic, partition, fetched);
    if (records.length > 0) {
      try {
        this.#options.sink(records.map(({ m }) => toReadMessage(batch, m)));
      } catch (error) {
        this.#pause(topic, partition);
        return this.#fail(error);
      }
      resolveOffset(String(records[records.length - 1].offset));
    }
    // Everything fetched below the target was given out (markers after the
    // last record too); read before any await, while the target is the one
    // `wanted` used (a catch-up may raise it meanwhile).
    this.#advance(topic, partition, beyond ? Infinity : Number(batch.lastOffset()) + 1);
    await heartbeat();
  }
}
