/**
 * The consumer runner: every Freshet consumer runs on it.
 *
 * - A view (the default) is exactly once into SQLite: a batch's state
 *   changes and its partition's next offset commit in one SQLite
 *   transaction, the offset moved with a compare-and-set. On every
 *   assignment the runner seeks each partition to its stored offset.
 *   Kafka's committed offsets are written too, only for lag display.
 * - A processor is exactly once in Kafka: a batch's events and its consumed
 *   offset commit in one Kafka transaction per partition (transactions.ts).
 * - A failing message is retried per message (retry_policy.ts): its
 *   partition is paused for the backoff while the others go on; heartbeats
 *   continue, so the group does not rebalance. A message that is poison
 *   (non-retriable, or failing past its budget while the messages after it
 *   apply) goes to `<topic>.dlq` with the reason; a dependency outage
 *   dead-letters nothing.
 * - Faults it must not get past stop it with a clear error (`failed`, with
 *   the reason in its status and /health): a database built from another
 *   cluster (cluster_stamp.ts), a stored offset beyond the log's end
 *   (log_end.ts).
 * - `stop()` finishes the batch in progress, commits, flushes the outbox
 *   within a deadline and disconnects.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { publish } from "../bus/bus.ts";
import { errorMessage } from "../core/errors.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { headersToStrings } from "../kafka/cloudevents.ts";
import type { OutboxRecovery } from "../outbox/outbox.ts";
import { OutboxRelay } from "../outbox/relay.ts";
import { type DatabaseSync, transaction } from "../sqlite/sqlite.ts";
import {
  applyBatch,
  type BatchMessage,
  type BatchOutcome,
  MessageFailure,
  probeBatch,
} from "./apply_batch.ts";
import { checkClusterStamp } from "./cluster_stamp.ts";
import { type BusNote, type ConsumerDefinition, MAX_NOTES_PER_TRANSACTION } from "./define.ts";
import type { FolderLock } from "./folder_lock.ts";
import { checkLogEnd } from "./log_end.ts";
import { OffsetConflictError, type OffsetStore, offsetStore } from "./offsets.ts";
import { RetryPolicy, type RetryPolicyOptions } from "./retry_policy.ts";
import {
  CONSUMER_STATUS_TOPIC,
  type ConsumerCounters,
  type ConsumerState,
  type ConsumerStatus,
} from "./status.ts";
import { FencedError, PartitionTransactions } from "./transactions.ts";
import { prefetchWriterSchemas } from "./schema_contract.ts";

/** Information given to `onBatchError`, right after the rollback. */
export interface BatchErrorInfo {
  topic: string;
  partition: number;
  offset: number;
  error: unknown;
  /** Failures of this message so far. */
  attempt: number;
  willRetry: boolean;
}

/** Options of the runner. */
export interface ConsumerRunnerOptions extends RetryPolicyOptions {
  kafka: Kafka;
  /** The consumer's database, with the definition's and the kernel's migrations applied. */
  db: DatabaseSync;
  /** How rows of unknown outcome in the outbox are checked against Kafka. */
  outboxRecovery: OutboxRecovery;
  /** The consumer's data folder, named in error messages (default `data/<name>`). */
  folder?: string;
  /** The folder's lock, released when the runner stops. */
  lock?: FolderLock;
  /** `worker` or `process`, for status reports (default `process`). */
  mode?: "worker" | "process";
  /** How often the status is published on the bus (default 1000 ms). */
  statusIntervalMs?: number;
  /** How often the log ends and the lag are read when idle (default 5000 ms). */
  logCheckIntervalMs?: number;
  /**
   * How long a stored offset must stay beyond the partition's reported end
   * before the consumer stops (default 30 000 ms): right after a leader
   * change the new leader may report a lower end for a few seconds.
   */
  logEndGraceMs?: number;
  /** Maximum bytes fetched per partition per request (default 1 MiB). */
  maxBytesPerPartition?: number;
  /** Longest wait of a fetch for new data (default 100 ms). */
  maxWaitTimeMs?: number;
  /** Most messages applied in one transaction (default 2000): bounds a transaction's time. */
  maxMessagesPerTransaction?: number;
  /** Group session timeout: how soon a dead member's partitions move (default 10 s, minimum 6 s). */
  sessionTimeoutMs?: number;
  /** How long `stop()` may spend flushing the outbox (default 10 000 ms). */
  stopFlushMs?: number;
  /** Called synchronously after a failed message was rolled back. */
  onBatchError?: (info: BatchErrorInfo) => void;
  /** Called once when the runner stops on a fault it cannot retry (after it disconnected). */
  onFatal?: (error: Error) => void;
}

/** Messages after a suspect one tried (and rolled back) to tell poison from an outage. */
const PROBE_MESSAGES = 20;

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

const partitionKey = (topic: string, partition: number) => `${topic}:${partition}`;
const messageKey = (m: { topic: string; partition: number; offset: number }) =>
  `${m.topic}:${m.partition}:${m.offset}`;

/** How one chunk ended. */
type ChunkResult = { done: true; next: number } | { done: false };

/** What applying a chunk needs to know about its partition. */
interface ChunkContext {
  topic: string;
  partition: number;
  payload: EachBatchPayload;
}

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
  #kind: "view" | "processor";
  #folder: string;
  #offsets: OffsetStore;
  #policy: RetryPolicy;
  #log: Logger;
  #consumer?: Consumer;
  #admin?: Admin;
  #relay?: OutboxRelay;
  #transactions?: PartitionTransactions;
  #state: ConsumerState = "starting";
  #lastError?: string;
  #assignment = new Map<string, number[]>();
  /** Processor: partitions whose producer is fenced-in and offset re-read (see transactions.ts). */
  #ready = new Map<string, Promise<void>>();
  #paused = new Map<string, ReturnType<typeof setTimeout>>();
  #logEnds = new Map<string, number>();
  /** Partitions whose stored offset is beyond their reported end, since when. */
  #beyondEnd = new Map<string, number>();
  #positions = new Map<string, number>();
  #statusTimer?: ReturnType<typeof setInterval>;
  #logTimer?: ReturnType<typeof setInterval>;
  #stopping?: Promise<void>;
  #failure?: Promise<void>;

  constructor(definition: ConsumerDefinition, options: ConsumerRunnerOptions) {
    this.definition = definition;
    this.#options = options;
    this.#kind = definition.kind ?? "view";
    this.#folder = options.folder ?? `data/${definition.name}`;
    this.#offsets = offsetStore(options.db);
    this.#policy = new RetryPolicy({
      initialRetryMs: options.initialRetryMs,
      maxRetryMs: options.maxRetryMs,
      messageBudgetMs: options.messageBudgetMs,
    });
    this.#log = createLogger(`consumer:${definition.name}`);
  }

  /** The current status report. */
  status(): ConsumerStatus {
    const partitionLag: Record<string, number> = {};
    for (const [key, end] of this.#logEnds) {
      const position = this.#positions.get(key);
      if (position !== undefined) partitionLag[key] = Math.max(0, end - position);
    }
    const outbox = this.#relay?.stats();
    return {
      name: this.definition.name,
      groupId: this.definition.groupId,
      topics: Object.keys(this.definition.topics),
      state: this.#state,
      mode: this.#options.mode ?? "process",
      kind: this.#kind,
      lag: Object.values(partitionLag).reduce((a, b) => a + b, 0),
      partitionLag,
      counters: { ...this.counters },
      lastError: this.#lastError,
      outbox: outbox && {
        unsent: outbox.unsent,
        oldestUnsentMs: outbox.oldestUnsentMs,
        failingTopics: outbox.failingTopics,
      },
      at: Date.now(),
    };
  }

  /**
   * Checks the database against the cluster, connects, subscribes and
   * starts consuming; resolves once the group join is under way (state
   * `rejoining` until partitions are assigned). Rejects on a fault it
   * cannot retry (the status says which).
   */
  async start(): Promise<void> {
    const { definition } = this;
    this.#publishStatus();
    this.#statusTimer = setInterval(
      () => this.#publishStatus(),
      this.#options.statusIntervalMs ?? 1_000,
    );
    try {
      const admin = this.#admin = this.#options.kafka.admin();
      await admin.connect();
      const { clusterId } = await admin.describeCluster();
      checkClusterStamp(this.#options.db, this.#folder, clusterId);
    } catch (error) {
      await this.#fail(error);
      throw error;
    }
    if (this.#kind === "view") {
      this.#relay = new OutboxRelay(this.#options.db, this.#options.kafka, {
        recover: this.#options.outboxRecovery,
      });
      this.#relay.start();
    } else {
      this.#transactions = new PartitionTransactions(this.#options.kafka, definition.groupId);
    }
    const sessionTimeout = this.#options.sessionTimeoutMs ?? 10_000;
    const consumer = this.#options.kafka.consumer({
      groupId: definition.groupId,
      maxBytesPerPartition: this.#options.maxBytesPerPartition ?? 1_048_576,
      maxWaitTimeInMs: this.#options.maxWaitTimeMs ?? 100,
      sessionTimeout,
      heartbeatInterval: Math.min(3_000, sessionTimeout / 3),
      allowAutoTopicCreation: false,
      readUncommitted: false,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#onAssignment(payload.memberAssignment);
    });
    // Batches of transaction markers only never reach eachBatch: keep the lag true.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = partitionKey(payload.topic, payload.partition);
      const last = Number(payload.lastOffset) + 1;
      if (last > (this.#positions.get(key) ?? -1) && !this.#paused.has(key)) {
        this.#positions.set(key, Math.min(last, this.#logEnds.get(key) ?? last));
      }
    });
    consumer.on(consumer.events.REBALANCING, () => {
      if (this.#state === "running" || this.#state === "retrying") this.#setState("rejoining");
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#lastError = errorMessage(payload.error);
      this.#log.error("consumer crashed", { error: payload.error, restart: payload.restart });
      if (!payload.restart) void this.#fail(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: Object.keys(definition.topics), fromBeginning: true });
    // Until the group hands it partitions: after a kill, the old member's
    // session must time out first (sessionTimeoutMs).
    this.#setState("rejoining");
    await consumer.run({
      autoCommit: this.#kind === "view",
      autoCommitInterval: 1_000,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    this.#logTimer = setInterval(
      () => void this.#checkLogs(),
      this.#options.logCheckIntervalMs ?? 5_000,
    );
    this.#log.info("consuming", {
      group: definition.groupId,
      kind: this.#kind,
      topics: Object.keys(definition.topics).join(","),
    });
  }

  /** Finishes the batch in progress, commits, sends pending outbox rows and disconnects. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#state !== "failed") this.#setState("stopping");
      await this.#shutdown();
      if (this.#state !== "failed") this.#setState("stopped");
      clearInterval(this.#statusTimer);
      this.#options.lock?.release();
    })();
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#logTimer);
    for (const timer of this.#paused.values()) clearTimeout(timer);
    this.#paused.clear();
    await this.#consumer?.disconnect().catch((error) => this.#log.warn("disconnect", { error }));
    await this.#relay?.stop(this.#options.stopFlushMs ?? 10_000);
    await this.#transactions?.closeAll();
    await this.#admin?.disconnect().catch(() => {});
  }

  /** Stops on a fault that retrying cannot fix, saying why. */
  #fail(error: unknown): Promise<void> {
    this.#failure ??= (async () => {
      this.#lastError = errorMessage(error);
      this.#log.error("stopped on a fault it cannot retry", { error: this.#lastError });
      this.#setState("failed");
      await this.stop();
      this.#options.onFatal?.(error instanceof Error ? error : new Error(String(error)));
    })();
    return this.#failure;
  }

  #setState(state: ConsumerState): void {
    if (this.#state === "failed") return;
    this.#state = state;
    this.#publishStatus();
  }

  #publishStatus(): void {
    publish(CONSUMER_STATUS_TOPIC, "status", this.status());
  }

  /** A (re)assignment: forget revoked partitions, position the assigned ones. */
  #onAssignment(assignment: Record<string, number[]>): void {
    const now = new Set<string>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const p of partitions) now.add(partitionKey(topic, p));
    }
    for (const [topic, partitions] of this.#assignment) {
      for (const p of partitions) {
        const key = partitionKey(topic, p);
        if (now.has(key)) continue;
        this.#policy.forgetPartition(topic, p);
        clearTimeout(this.#paused.get(key));
        this.#paused.delete(key);
        this.#logEnds.delete(key);
        this.#positions.delete(key);
        this.#ready.delete(key);
        void this.#transactions?.close(topic, p);
      }
    }
    this.#assignment = new Map(Object.entries(assignment));
    for (const [topic, partitions] of this.#assignment) {
      for (const partition of partitions) this.#position(topic, partition);
    }
    this.#setState(this.#paused.size > 0 ? "retrying" : "running");
    void this.#checkLogs();
  }

  /** Where an assigned partition resumes. */
  #position(topic: string, partition: number): void {
    const consumer = this.#consumer!;
    const key = partitionKey(topic, partition);
    if (this.#kind === "processor") {
      // Fence the previous owner first, then read the offset it may just have committed.
      const ready = (async () => {
        await this.#transactions!.producer(topic, partition);
        const [offsets] = await this.#admin!.fetchOffsets({
          groupId: this.definition.groupId,
          topics: [topic],
        });
        const committed = Number(
          offsets.partitions.find((p) => p.partition === partition)?.offset ?? -1,
        );
        consumer.seek({ topic, partition, offset: committed >= 0 ? String(committed) : "-2" });
        if (committed >= 0) this.#positions.set(key, committed);
      })();
      ready.catch((error) => this.#log.warn("partition not ready", { topic, partition, error }));
      this.#ready.set(key, ready);
      return;
    }
    const stored = this.#offsets.get(topic, partition);
    if (stored !== undefined) {
      consumer.seek({ topic, partition, offset: String(stored) });
      this.#positions.set(key, stored);
    } else if ((this.definition.whenNoStoredOffset ?? "earliest") === "earliest") {
      consumer.seek({ topic, partition, offset: "-2" });
    }
  }

  /** Reads each assigned partition's log end: the lag, and a stored offset beyond it. */
  async #checkLogs(): Promise<void> {
    const admin = this.#admin;
    if (!admin || this.#state === "failed" || this.#state === "stopping") return;
    try {
      for (const [topic, partitions] of this.#assignment) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const partition of partitions) {
          const end = ends.find((e) => e.partition === partition);
          if (!end) continue;
          const key = partitionKey(topic, partition);
          const logEnd = Number(end.high);
          this.#logEnds.set(key, logEnd);
          const stored = this.#offsets.get(topic, partition);
          if (stored === undefined || stored <= logEnd) {
            this.#beyondEnd.delete(key);
            continue;
          }
          const since = this.#beyondEnd.get(key) ?? Date.now();
          this.#beyondEnd.set(key, since);
          if (Date.now() - since >= (this.#options.logEndGraceMs ?? 30_000)) {
            checkLogEnd({ topic, partition, folder: this.#folder }, stored, logEnd);
          }
        }
      }
    } catch (error) {
      if ((error as Error)?.name === "LogTruncatedError") return void this.#fail(error);
      this.#log.debug("log ends not read", { error });
    }
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset } = payload;
    const { topic, partition } = batch;
    const key = partitionKey(topic, partition);
    if (this.#paused.has(key) || this.#state === "failed") return;
    if (this.#kind === "processor") {
      await this.#ready.get(key);
      if (payload.isStale()) return;
    }
    const logEnd = Number(batch.highWatermark);
    this.#logEnds.set(key, logEnd);
    // A view resumes from its stored offsets; a processor from Kafka's, but it
    // still skips what it committed itself (an operator's rewind replays nothing).
    const stored = this.#offsets.get(topic, partition);
    // Messages below the stored offset with a log ending before it: the
    // client was reset to the start of a log that is not the one stored
    // (recreated or truncated). A lower end alone may be a leader change.
    if (stored !== undefined && logEnd < stored && Number(batch.firstOffset()) < stored) {
      try {
        checkLogEnd({ topic, partition, folder: this.#folder }, stored, logEnd);
      } catch (error) {
        return void this.#fail(error);
      }
    }
    const messages: BatchMessage[] = [];
    for (const m of batch.messages) {
      const offset = Number(m.offset);
      if (stored !== undefined && offset < stored) {
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
    if (messages.length === 0) {
      if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      return;
    }
    await prefetchWriterSchemas(messages, this.definition.topics);
    const size = this.#options.maxMessagesPerTransaction ?? 2_000;
    let expected = this.#kind === "view" ? stored : undefined;
    for (let start = 0; start < messages.length; start += size) {
      const result = await this.#applyChunk(messages.slice(start, start + size), expected, {
        topic,
        partition,
        payload,
      });
      if (!result.done) return;
      expected = result.next;
      await payload.heartbeat();
    }
  }

  /** Commits one chunk: the view's SQLite transaction, or a processor's SQLite then Kafka ones. */
  async #commit(
    messages: BatchMessage[],
    expected: number | undefined,
    ctx: ChunkContext,
    poison: Map<number, unknown>,
  ): Promise<BatchOutcome> {
    const { topic, partition } = ctx;
    const applyContext = {
      db: this.#options.db,
      definition: this.definition,
      handler: this.definition.topics[topic],
      topic,
      partition,
      poison,
    };
    if (this.#kind === "view") {
      return applyBatch(
        { ...applyContext, events: "outbox", offsets: { store: this.#offsets, expected } },
        messages,
      );
    }
    const outcome = applyBatch({ ...applyContext, events: "collect" }, messages);
    const next = messages[messages.length - 1].offset + 1;
    await this.#transactions!.commit(topic, partition, outcome.events, next);
    transaction(this.#options.db, () => this.#offsets.set(topic, partition, next));
    return outcome;
  }

  /**
   * Applies `messages` (one partition), retrying per message as the policy
   * says. `done: false` when the partition was paused, moved or went stale:
   * what was not resolved is fetched again.
   */
  async #applyChunk(
    messages: BatchMessage[],
    expected: number | undefined,
    ctx: ChunkContext,
    poison = new Map<number, unknown>(),
  ): Promise<ChunkResult> {
    const { topic, partition, payload } = ctx;
    let rest = messages;
    while (rest.length > 0) {
      if (!payload.isRunning() || payload.isStale() || this.#state === "failed") {
        return { done: false };
      }
      try {
        const outcome = await this.#commit(rest, expected, ctx, poison);
        this.#settled(rest, outcome, ctx);
        return { done: true, next: rest[rest.length - 1].offset + 1 };
      } catch (error) {
        if (error instanceof OffsetConflictError) {
          this.#log.warn("stored offset moved under this batch; reading again from it", {
            topic,
            partition,
            found: error.found,
          });
          this.#consumer!.seek({ topic, partition, offset: String(error.found ?? "-2") });
          return { done: false };
        }
        if (error instanceof FencedError) {
          this.#log.warn("partition moved to another instance; dropping this batch", {
            topic,
            partition,
          });
          return { done: false };
        }
        if (!(error instanceof MessageFailure)) {
          if (this.#kind === "processor") {
            // The Kafka transaction failed (broker away): retry the chunk after a pause.
            this.#lastError = errorMessage(error);
            this.#pause(topic, partition, this.#policy.maxRetryMs, error);
            return { done: false };
          }
          throw error; // not a handler error (e.g. disk full): KafkaJS restarts the consumer
        }
        const index = Math.max(0, rest.findIndex((m) => m.offset === error.offset));
        const verdict = this.#decide(rest.slice(index), error);
        if (index > 0) {
          // The messages before the failing one applied: commit them alone first.
          const prefix = await this.#applyChunk(rest.slice(0, index), expected, ctx, poison);
          if (!prefix.done) return prefix;
          expected = prefix.next;
          rest = rest.slice(index);
        }
        if (verdict === "dead-letter") poison.set(error.offset, error.cause);
        else {
          this.#pause(topic, partition, verdict.delayMs, error.cause);
          return { done: false };
        }
      }
    }
    return { done: true, next: expected ?? messages[messages.length - 1].offset + 1 };
  }

  /** Bookkeeping after a committed chunk. */
  #settled(messages: BatchMessage[], outcome: BatchOutcome, ctx: ChunkContext): void {
    const last = messages[messages.length - 1];
    if (this.#policy.hasFailures) {
      for (const m of messages) this.#policy.settle(messageKey(m));
    }
    ctx.payload.resolveOffset(String(last.offset));
    this.#positions.set(partitionKey(ctx.topic, ctx.partition), last.offset + 1);
    this.counters.processed += outcome.applied;
    this.counters.deadLettered += outcome.deadLettered;
    this.counters.batches++;
    publishNotes(outcome.notes);
    if (outcome.enqueued) this.#relay?.notify();
    if (this.#state === "retrying" && this.#paused.size === 0) this.#setState("running");
  }

  /** The policy's verdict on `rest[0]`, which failed with `failure`. */
  #decide(
    rest: BatchMessage[],
    failure: MessageFailure,
  ): "dead-letter" | { delayMs: number } {
    const head = rest[0];
    const cause = failure.cause;
    const decision = this.#policy.onFailure(messageKey(head), cause);
    this.#lastError = errorMessage(cause);
    let deadLetter = decision.action === "dead-letter";
    if (decision.action === "retry" && decision.suspect) {
      // Past its budget: poison if the messages after it apply, an outage if they fail too.
      const probe = probeBatch({
        db: this.#options.db,
        definition: this.definition,
        handler: this.definition.topics[head.topic],
        topic: head.topic,
        partition: head.partition,
        poison: new Map(),
        events: "collect",
      }, rest.slice(1, 1 + PROBE_MESSAGES));
      deadLetter = probe.applied > 0;
      if (!deadLetter) {
        this.#log.warn("message still failing, and the ones after it too: waiting (an outage?)", {
          topic: head.topic,
          partition: head.partition,
          offset: head.offset,
          attempts: decision.attempts,
          error: cause,
        });
      }
    }
    this.#options.onBatchError?.({
      topic: head.topic,
      partition: head.partition,
      offset: head.offset,
      error: cause,
      attempt: decision.attempts,
      willRetry: !deadLetter,
    });
    if (deadLetter) {
      this.#policy.settle(messageKey(head));
      this.#log.warn("message rejected; dead-lettering it", {
        topic: head.topic,
        partition: head.partition,
        offset: head.offset,
        attempts: decision.attempts,
        error: cause,
      });
      return "dead-letter";
    }
    this.counters.retries++;
    const delayMs = decision.action === "retry" ? decision.delayMs : this.#policy.maxRetryMs;
    this.#log.warn("message failed; partition paused before retrying it", {
      topic: head.topic,
      partition: head.partition,
      offset: head.offset,
      attempt: decision.attempts,
      delay: delayMs,
      error: cause,
    });
    return { delayMs };
  }

  /** Pauses a partition for `delayMs`; its unresolved messages are fetched again after. */
  #pause(topic: string, partition: number, delayMs: number, error: unknown): void {
    const key = partitionKey(topic, partition);
    const consumer = this.#consumer!;
    consumer.pause([{ topic, partitions: [partition] }]);
    clearTimeout(this.#paused.get(key));
    this.#paused.set(
      key,
      setTimeout(() => {
        this.#paused.delete(key);
        consumer.resume([{ topic, partitions: [partition] }]);
      }, delayMs),
    );
    this.#lastError = errorMessage(error);
    this.#setState("retrying");
  }
}
