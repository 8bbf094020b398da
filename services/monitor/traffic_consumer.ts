/**
 * The monitor's consume loop: every topic in scope, counted per partition
 * and time bucket, never stored. Leaner than the consumer runner on
 * purpose — no decoding, validation, dead letters or outbox: a batch is
 * counted and its next offset stored in one SQLite transaction
 * (traffic_store.ts), and on every assignment each partition resumes at its
 * stored offset, so the counts are exact across restarts.
 *
 * Every `topicRefreshMs` the topic list is read again; when it changed (a
 * topic created or deleted) the consumer is rebuilt with the new list
 * (KafkaJS cannot change a running subscription). A deleted topic's offsets
 * are forgotten, so a topic created again under its name counts from its start.
 */
import type { Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { errorMessage } from "../../shared/core/errors.ts";
import type { Logger } from "../../shared/core/log.ts";
import type { AdminSession } from "../../shared/kafka/admin_session.ts";
import { type Bucket, bucketsOf } from "./buckets.ts";
import type { MonitorSettings } from "./config.ts";
import { FEED_PER_TOPIC, toFeedMessage } from "./feed.ts";
import type { LiveTraffic } from "./live_notes.ts";
import { topicInScope } from "./scope.ts";
import type { CountedBatch, TrafficStore } from "./traffic_store.ts";

/**
 * How long the broker may hold a fetch that finds nothing new (default).
 * It answers as soon as a record arrives (KafkaJS asks for at least one
 * byte), so a longer wait delays no count; it only makes an idle monitor
 * ask less often — and each empty answer names every partition of every
 * topic in scope (KafkaJS has no incremental fetch sessions, KIP-227), so
 * at 2,000 partitions one empty fetch a second was ~3 % of a core. At 5 s
 * a heartbeat still goes out every 5 s at most (the session is 30 s); what
 * it costs: a stop, or a rebuild on a topic list change, waits up to 5 s
 * for the fetch in flight (docs/performance.md, "Scale").
 */
export const TRAFFIC_FETCH_WAIT_MS = 5_000;

/** Options of the consume loop. */
export interface TrafficConsumerOptions {
  kafka: Kafka;
  admin: AdminSession;
  store: TrafficStore;
  settings: MonitorSettings;
  groupId: string;
  /** Topic prefix of the deployment (scope.ts). */
  prefix: string;
  live: LiveTraffic;
  log: Logger;
  /** Longest wait of an empty fetch (default TRAFFIC_FETCH_WAIT_MS). */
  fetchWaitMs?: number;
}

/** Counters since start, for the status report. */
export interface TrafficCounters {
  messages: number;
  bytes: number;
  batches: number;
}

/** Counts every topic in scope. */
export class TrafficConsumer {
  readonly counters: TrafficCounters = { messages: 0, bytes: 0, batches: 0 };
  /** `topic:partition` → messages behind the partition's end at its last fetch. */
  readonly partitionLag = new Map<string, number>();
  #options: TrafficConsumerOptions;
  #consumer?: Consumer;
  #topics: string[] = [];
  #crashed = false;
  #lastError?: string;
  #timer?: ReturnType<typeof setInterval>;
  #chain: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: TrafficConsumerOptions) {
    this.#options = options;
  }

  /** The topics being counted. */
  get topics(): string[] {
    return [...this.#topics];
  }

  /** The last error, if the loop is in trouble. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** Reads the topic list, starts consuming, and re-reads the list every `topicRefreshMs`. */
  async start(): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => this.refresh(), this.#options.settings.topicRefreshMs);
  }

  /** Reads the topic list now and rebuilds the consumer if it changed (serialised). */
  refresh(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#refresh()).catch((error) => {
      this.#lastError = errorMessage(error);
      this.#options.log.warn("cannot read the topic list", { error });
    });
    return this.#chain;
  }

  /** Stops consuming (the batch in progress is counted first). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#chain;
    await this.#consumer?.disconnect();
    this.#consumer = undefined;
  }

  async #refresh(): Promise<void> {
    if (this.#stopped) return;
    const { admin, prefix, store } = this.#options;
    const listed = await admin.run((a) => a.listTopics());
    const topics = listed.filter((t) => topicInScope(t, prefix)).sort();
    const gone = new Set([...this.#topics, ...store.knownTopics()]);
    for (const topic of topics) gone.delete(topic);
    for (const topic of gone) store.forgetTopic(topic);
    const changed = topics.join("\n") !== this.#topics.join("\n");
    if (!changed && !this.#crashed && (this.#consumer || topics.length === 0)) return;
    if (gone.size > 0) this.#options.log.info("topics gone", { topics: [...gone].join(",") });
    await this.#restart(topics);
  }

  async #restart(topics: string[]): Promise<void> {
    await this.#consumer?.disconnect().catch(() => {});
    this.#consumer = undefined;
    this.#topics = topics;
    this.#crashed = false;
    for (const key of this.partitionLag.keys()) {
      if (!topics.includes(key.slice(0, key.lastIndexOf(":")))) this.partitionLag.delete(key);
    }
    if (topics.length === 0 || this.#stopped) return;
    const consumer = this.#options.kafka.consumer({
      groupId: this.#options.groupId,
      maxBytesPerPartition: 4 * 1_048_576,
      maxBytes: 32 * 1_048_576,
      maxWaitTimeInMs: this.#options.fetchWaitMs ?? TRAFFIC_FETCH_WAIT_MS,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const next = this.#options.store.nextOffset(topic, partition);
          consumer.seek({ topic, partition, offset: next === undefined ? "-2" : String(next) });
        }
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#lastError = errorMessage(payload.error);
      this.#options.log.warn("consumer crashed", {
        error: payload.error,
        restart: payload.restart,
      });
      if (!payload.restart) this.#crashed = true;
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: 5_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    this.#lastError = undefined;
    this.#options.log.info("counting", { topics: topics.length, group: this.#options.groupId });
  }

  async #eachBatch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const { store, settings, live } = this.#options;
    const highWatermark = Number(batch.highWatermark);
    let next = store.nextOffset(topic, partition);
    if (next !== undefined && highWatermark < next) {
      // The log is shorter than where we were: the topic was deleted and created again.
      store.resetPartition(topic, partition);
      next = undefined;
    }
    const messages = next === undefined
      ? batch.messages
      : batch.messages.filter((m) => Number(m.offset) >= next);
    if (messages.length === 0) {
      if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      return;
    }
    const now = Date.now();
    const counted: CountedBatch = {
      topic,
      partition,
      nextOffset: Number(messages[messages.length - 1].offset) + 1,
      messages: messages.length,
      bytes: 0,
      buckets: new Map(),
      feed: messages.slice(-FEED_PER_TOPIC).map((m) => toFeedMessage(topic, partition, m)),
    };
    let lastSlot = Number.NaN;
    let entries: { bucket: Bucket; messages: number; bytes: number }[] = [];
    for (const m of messages) {
      const size = (m.value?.length ?? 0) + (m.key?.length ?? 0);
      counted.bytes += size;
      const ts = Number(m.timestamp);
      const slot = Math.floor(ts / settings.sampleMs);
      if (slot !== lastSlot) {
        lastSlot = slot;
        entries = bucketsOf(ts, now, settings).map((bucket) => {
          const key = `${bucket.res}:${bucket.t}`;
          let entry = counted.buckets.get(key);
          if (!entry) counted.buckets.set(key, entry = { bucket, messages: 0, bytes: 0 });
          return entry;
        });
      }
      for (const entry of entries) {
        entry.messages++;
        entry.bytes += size;
      }
    }
    store.apply(counted, now);
    this.counters.messages += counted.messages;
    this.counters.bytes += counted.bytes;
    this.counters.batches++;
    this.partitionLag.set(`${topic}:${partition}`, Math.max(0, highWatermark - counted.nextOffset));
    for (const { bucket, messages: n, bytes } of counted.buckets.values()) {
      if (bucket.res === settings.sampleMs) live.add(topic, bucket.t, n, bytes);
    }
    live.addFeed(counted.feed.slice(-5));
    resolveOffset(messages[messages.length - 1].offset);
    await heartbeat();
  }
}
