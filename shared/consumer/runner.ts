/**
 * The consumer runner: every Freshet consumer runs on it.
 *
 * - Exactly once into SQLite: a batch's state changes and its partition's
 *   next offset commit in one SQLite transaction. On every assignment the
 *   runner seeks each partition to its stored offset, and skips any message
 *   below it, so a redelivered message is never applied twice. Kafka's
 *   committed offsets are written too, but only for lag display.
 * - Invalid messages (bad JSON, schema mismatch) and handler errors that are
 *   not retriable go to `<topic>.dlq` through the outbox; the consumer keeps going.
 * - Retriable errors retry the batch with capped exponential backoff; a
 *   message that still fails after `maxRetries` is dead-lettered.
 * - `stop()` finishes the batch in progress, commits, flushes the outbox and
 *   disconnects.
 */
import type { Consumer, EachBatchPayload, Kafka, Producer } from "kafkajs";
import { publish } from "../bus/bus.ts";
import { headersToStrings } from "../kafka/cloudevents.ts";
import {
  CONSUMER_STATUS_TOPIC,
  type ConsumerCounters,
  type ConsumerState,
  type ConsumerStatus,
} from "./status.ts";
import { errorMessage, isRetriable } from "../core/errors.ts";
import { createIdempotentProducer } from "../kafka/client.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { type OutboxRecovery, OutboxRelay } from "../outbox/outbox.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";
import { applyBatch, type BatchMessage, MessageFailure } from "./apply_batch.ts";
import { backoffDelay } from "./backoff.ts";
import { type BusNote, type ConsumerDefinition, MAX_NOTES_PER_TRANSACTION } from "./define.ts";
import { type OffsetStore, offsetStore } from "./offsets.ts";

/** Information given to `onBatchError`, right after the rollback. */
export interface BatchErrorInfo {
  topic: string;
  partition: number;
  offset: number;
  error: unknown;
  attempt: number;
  willRetry: boolean;
}

/** Options of the runner. */
export interface ConsumerRunnerOptions {
  kafka: Kafka;
  /** The consumer's database, with the definition's and the kernel's migrations applied. */
  db: DatabaseSync;
  /** How rows a crash left `sending` in the outbox are checked against Kafka. */
  outboxRecovery: OutboxRecovery;
  /** `worker` or `process`, for status reports (default `process`). */
  mode?: "worker" | "process";
  /** Retries of a failing batch before its failing message is dead-lettered (default 5). */
  maxRetries?: number;
  /** First retry delay (default 200 ms). */
  initialRetryMs?: number;
  /** Longest retry delay (default 10 s). */
  maxRetryMs?: number;
  /** How often the status is published on the bus (default 1000 ms). */
  statusIntervalMs?: number;
  /** Maximum bytes fetched per partition per request (default 1 MiB). */
  maxBytesPerPartition?: number;
  /** Longest wait of a fetch for new data (default 100 ms). */
  maxWaitTimeMs?: number;
  /** Most messages applied in one SQLite transaction (default 2000): bounds a transaction's time. */
  maxMessagesPerTransaction?: number;
  /** Group session timeout: how soon a dead member is replaced (default 30 s, broker minimum 6 s). */
  sessionTimeoutMs?: number;
  /** Called synchronously after a failed batch was rolled back. */
  onBatchError?: (info: BatchErrorInfo) => void;
}

/** Publishes a committed transaction's notes: one by one, or one `bulk` note per bus topic. */
function publishNotes(notes: BusNote[]): void {
  if (notes.length <= MAX_NOTES_PER_TRANSACTION) {
    for (const note of notes) {
      const data = typeof note.data === "function" ? note.data() : note.data;
      publish(note.topic, note.type, data);
    }
    return;
  }
  const byTopic = new Map<string, { count: number; types: Set<string> }>();
  for (const note of notes) {
    const entry = byTopic.get(note.topic) ?? { count: 0, types: new Set<string>() };
    entry.count++;
    entry.types.add(note.type);
    byTopic.set(note.topic, entry);
  }
  for (const [topic, { count, types }] of byTopic) {
    publish(topic, "bulk", { count, types: [...types] });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one consumer definition. */
export class ConsumerRunner {
  readonly definition: ConsumerDefinition;
  readonly counters: ConsumerCounters = {
    processed: 0,
    deadLettered: 0,
    skipped: 0,
    batches: 0,
    retries: 0,
  };
  #options: ConsumerRunnerOptions;
  #offsets: OffsetStore;
  #log: Logger;
  #consumer?: Consumer;
  #producer: Producer;
  #relay: OutboxRelay;
  #state: ConsumerState = "starting";
  #lastError?: string;
  #partitionLag = new Map<string, number>();
  #statusTimer?: ReturnType<typeof setInterval>;
  #stopping?: Promise<void>;

  constructor(definition: ConsumerDefinition, options: ConsumerRunnerOptions) {
    this.definition = definition;
    this.#options = options;
    this.#offsets = offsetStore(options.db);
    this.#log = createLogger(`consumer:${definition.name}`);
    this.#producer = createIdempotentProducer(options.kafka);
    this.#relay = new OutboxRelay(options.db, this.#producer, { recover: options.outboxRecovery });
  }

  /** The current status report. */
  status(): ConsumerStatus {
    const partitionLag = Object.fromEntries(this.#partitionLag);
    return {
      name: this.definition.name,
      groupId: this.definition.groupId,
      topics: Object.keys(this.definition.topics),
      state: this.#state,
      mode: this.#options.mode ?? "process",
      lag: Object.values(partitionLag).reduce((a, b) => a + b, 0),
      partitionLag,
      counters: { ...this.counters },
      lastError: this.#lastError,
      at: Date.now(),
    };
  }

  /** Connects, subscribes and starts consuming; resolves once running. */
  async start(): Promise<void> {
    const { definition } = this;
    this.#publishStatus();
    this.#statusTimer = setInterval(
      () => this.#publishStatus(),
      this.#options.statusIntervalMs ?? 1_000,
    );
    await this.#producer.connect();
    this.#relay.start();
    const consumer = this.#options.kafka.consumer({
      groupId: definition.groupId,
      maxBytesPerPartition: this.#options.maxBytesPerPartition ?? 1_048_576,
      maxWaitTimeInMs: this.#options.maxWaitTimeMs ?? 100,
      sessionTimeout: this.#options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, (this.#options.sessionTimeoutMs ?? 30_000) / 3),
      allowAutoTopicCreation: false,
    });
    this.#consumer = consumer;
    consumer.on(
      consumer.events.GROUP_JOIN,
      ({ payload }) => this.#seekStored(payload.memberAssignment),
    );
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#lastError = errorMessage(payload.error);
      this.#log.error("consumer crashed", { error: payload.error, restart: payload.restart });
      if (!payload.restart) this.#setState("failed");
    });
    await consumer.connect();
    await consumer.subscribe({ topics: Object.keys(definition.topics), fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 1_000,
      autoCommitThreshold: this.definition.resumeFrom === "furthest" ? 1 : undefined,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    this.#setState("running");
    this.#log.info("consuming", {
      group: definition.groupId,
      topics: Object.keys(definition.topics).join(","),
    });
  }

  /** Finishes the batch in progress, commits, sends pending outbox rows and disconnects. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    this.#setState("stopping");
    await this.#consumer?.disconnect();
    await this.#relay.flush().catch((error) => this.#log.warn("outbox not flushed", { error }));
    await this.#relay.stop();
    await this.#producer.disconnect();
    clearInterval(this.#statusTimer);
    this.#setState("stopped");
  }

  #setState(state: ConsumerState): void {
    this.#state = state;
    this.#publishStatus();
  }

  #publishStatus(): void {
    publish(CONSUMER_STATUS_TOPIC, "status", this.status());
  }

  /** On (re)assignment, resume each partition where SQLite says. */
  #seekStored(assignment: Record<string, number[]>): void {
    // `furthest`: KafkaJS starts from the committed offsets; #eachBatch skips below SQLite's.
    if (this.definition.resumeFrom === "furthest") return;
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const stored = this.#offsets.get(topic, partition);
        if (stored !== undefined) {
          this.#consumer!.seek({ topic, partition, offset: String(stored) });
        } else if ((this.definition.whenNoStoredOffset ?? "earliest") === "earliest") {
          this.#consumer!.seek({ topic, partition, offset: "-2" });
        }
      }
    }
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat } = payload;
    const { topic, partition } = batch;
    const handler = this.definition.topics[topic];
    const stored = this.#offsets.get(topic, partition) ?? -1;
    const messages: BatchMessage[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (offset < stored) {
        this.counters.skipped++;
        continue;
      }
      messages.push({
        topic,
        partition,
        offset,
        timestamp: Number(m.timestamp),
        key: m.key === null ? null : m.key.toString(),
        value: m.value === null ? null : m.value,
        headers: headersToStrings(m.headers as Record<string, unknown>),
      });
    }
    const highWatermark = Number(batch.highWatermark);
    if (messages.length === 0) {
      if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      return;
    }

    const size = this.#options.maxMessagesPerTransaction ?? 2_000;
    for (let start = 0; start < messages.length; start += size) {
      const chunk = messages.slice(start, start + size);
      if (!(await this.#applyWithRetry(chunk, { topic, partition, handler, payload }))) return;
      if (this.#state === "retrying") this.#setState("running");
      const last = chunk[chunk.length - 1].offset;
      resolveOffset(String(last));
      this.#partitionLag.set(`${topic}:${partition}`, Math.max(0, highWatermark - last - 1));
      if (this.definition.resumeFrom === "furthest") await payload.commitOffsetsIfNecessary();
      await heartbeat();
    }
  }

  /** Applies one chunk in one transaction, retrying as the error says; false if interrupted. */
  async #applyWithRetry(
    chunk: BatchMessage[],
    { topic, partition, handler, payload }: {
      topic: string;
      partition: number;
      handler: ConsumerDefinition["topics"][string];
      payload: EachBatchPayload;
    },
  ): Promise<boolean> {
    const { heartbeat, isRunning, isStale } = payload;
    const poison = new Map<number, unknown>();
    let attempt = 0;
    for (;;) {
      if (!isRunning() || isStale()) return false;
      try {
        const outcome = applyBatch(
          {
            db: this.#options.db,
            offsets: this.#offsets,
            definition: this.definition,
            handler,
            topic,
            partition,
            poison,
          },
          chunk,
        );
        this.counters.processed += outcome.applied;
        this.counters.deadLettered += outcome.deadLettered;
        this.counters.batches++;
        publishNotes(outcome.notes);
        if (outcome.enqueued) this.#relay.notify();
        return true;
      } catch (error) {
        const failure = error instanceof MessageFailure ? error : undefined;
        const cause = failure?.cause ?? error;
        attempt++;
        const willRetry = isRetriable(cause) && attempt <= (this.#options.maxRetries ?? 5);
        this.#options.onBatchError?.({
          topic,
          partition,
          offset: failure?.offset ?? chunk[0].offset,
          error: cause,
          attempt,
          willRetry,
        });
        this.#lastError = errorMessage(cause);
        if (!failure) throw error; // not a handler error (e.g. disk full): let KafkaJS restart us
        if (willRetry) {
          this.counters.retries++;
          this.#setState("retrying");
          const delay = backoffDelay(attempt, {
            initialRetryMs: this.#options.initialRetryMs ?? 200,
            maxRetryMs: this.#options.maxRetryMs ?? 10_000,
          });
          this.#log.warn("batch failed; retrying", {
            topic,
            partition,
            offset: failure.offset,
            attempt,
            delay,
            error: cause,
          });
          const until = Date.now() + delay;
          while (Date.now() < until && isRunning()) {
            await sleep(Math.min(1_000, until - Date.now()));
            await heartbeat();
          }
          continue;
        }
        this.#log.warn("message rejected; dead-lettering it", {
          topic,
          partition,
          offset: failure.offset,
          error: cause,
        });
        poison.set(failure.offset, cause);
      }
    }
  }
}
