/**
 * Replays one topic, partition by partition, into a synchronous sink, up
 * to a target offset per partition that may be raised while it runs (a
 * rebuild first reads to the end, then catches up with a live consumer).
 * Unlike `readRange` it streams: nothing is held in memory beyond one
 * fetched batch, so a topic of any size can be replayed.
 *
 * A partition that reaches its target is paused; raising the target
 * resumes it. Offsets skipped by compaction count as passed: seeing a
 * record at or beyond the target means every offset below it was read.
 */
import type { Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { type ReadMessage, toReadMessage } from "../../shared/kafka/topic_reader.ts";

/** Receives the records of one partition below its target, in order; throw to stop the replay. */
export type ReplaySink = (partition: number, messages: ReadMessage[]) => void;

/** Options of `TopicReplay`. */
export interface TopicReplayOptions {
  /** A group the principal may join; nothing is committed to it. */
  groupId: string;
  topic: string;
  /** Per partition: the first offset to read (the log start offset). */
  starts: Map<number, number>;
  /** Per partition: every offset below it is given to the sink. */
  targets: Map<number, number>;
  sink: ReplaySink;
}

interface PartitionState {
  /** Every offset below has been given to the sink (or does not exist). */
  next: number;
  target: number;
}

/** A running replay; `stop()` always disconnects. */
export class TopicReplay {
  #kafka: Kafka;
  #options: TopicReplayOptions;
  #consumer?: Consumer;
  #parts = new Map<number, PartitionState>();
  #paused = new Set<number>();
  #failure?: unknown;
  #changed = new Set<() => void>();

  constructor(kafka: Kafka, options: TopicReplayOptions) {
    this.#kafka = kafka;
    this.#options = options;
    for (const [partition, start] of options.starts) {
      this.#parts.set(partition, { next: start, target: options.targets.get(partition) ?? start });
    }
  }

  /** Every offset below this one of `partition` has been given to the sink. */
  position(partition: number): number {
    return this.#state(partition).next;
  }

  /** The partitions being replayed. */
  partitions(): number[] {
    return [...this.#parts.keys()].sort((a, b) => a - b);
  }

  /** Connects, joins the group and starts reading each partition at its start. */
  async start(): Promise<void> {
    const { topic } = this.#options;
    const consumer = this.#kafka.consumer({
      groupId: this.#options.groupId,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#paused.clear();
      for (const partition of (payload.memberAssignment[topic] ?? []) as number[]) {
        const state = this.#parts.get(partition);
        if (!state) continue;
        consumer.seek({ topic, partition, offset: String(state.next) });
        if (state.next >= state.target) this.#pause(partition);
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.#fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
  }

  /** Raises the target of `partition` (a lower one is ignored) and resumes it if needed. */
  raise(partition: number, target: number): void {
    const state = this.#state(partition);
    if (target <= state.target) return;
    state.target = target;
    if (this.#paused.delete(partition)) {
      this.#consumer?.resume([{ topic: this.#options.topic, partitions: [partition] }]);
    }
  }

  /** Resolves once every partition reached its target; rejects on failure or after `timeoutMs`. */
  reached(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.#failure !== undefined) return done(() => reject(this.#failure));
        const behind = [...this.#parts].filter(([, s]) => s.next < s.target);
        if (behind.length === 0) return done(resolve);
      };
      const timer = setTimeout(() => {
        const behind = [...this.#parts].filter(([, s]) => s.next < s.target)
          .map(([p, s]) => `${this.#options.topic}[${p}] at ${s.next} of ${s.target}`);
        done(() =>
          reject(new Error(`replay not done after ${timeoutMs} ms: ${behind.join(", ")}`))
        );
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

  #state(partition: number): PartitionState {
    const state = this.#parts.get(partition);
    if (!state) {
      throw new Error(
        `${this.#options.topic}[${partition}] is not being replayed (partitions added meanwhile?)`,
      );
    }
    return state;
  }

  #pause(partition: number): void {
    if (this.#paused.has(partition)) return;
    this.#paused.add(partition);
    this.#consumer?.pause([{ topic: this.#options.topic, partitions: [partition] }]);
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    for (const check of [...this.#changed]) check();
  }

  async #eachBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const state = this.#parts.get(batch.partition);
    if (!state || this.#failure !== undefined) return;
    const messages: ReadMessage[] = [];
    let beyond = false;
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset < state.next) continue;
      if (offset >= state.target) {
        beyond = true;
        break;
      }
      messages.push(toReadMessage(batch, m));
    }
    if (messages.length > 0) {
      try {
        this.#options.sink(batch.partition, messages);
      } catch (error) {
        this.#pause(batch.partition);
        return this.#fail(error);
      }
      const last = messages[messages.length - 1].offset;
      state.next = last + 1;
      resolveOffset(String(last));
    }
    if (beyond) state.next = Math.max(state.next, state.target);
    if (state.next >= state.target) this.#pause(batch.partition);
    for (const check of [...this.#changed]) check();
    await heartbeat();
  }
}
