/**
 * The consumer runner: every Freshet consumer runs on it. It wires KafkaJS
 * to the parts that decide, each in its own module:
 *
 * - the commit protocol of the consumer's kind (commit_protocol.ts): a view
 *   commits a batch's state changes and its partition's next offset in one
 *   SQLite transaction (view_commit.ts); a processor commits a batch's
 *   events and consumed offset in one Kafka transaction
 *   (processor_commit.ts). Kafka's committed offsets of a view are only for
 *   lag display;
 * - the chunk loop (chunk_loop.ts) and the verdict on a failing message
 *   (failure_verdict.ts, retry_policy.ts): a failing message is retried
 *   per message, its partition paused for the backoff while the others go
 *   on (heartbeats continue, so the group does not rebalance); a poison
 *   message goes to `<topic>.dlq` with the reason; a dependency outage
 *   dead-letters nothing;
 * - the partitions' state (partition_state.ts): assigned, paused, position,
 *   log end.
 *
 * Faults it must not get past stop it with a clear error (`failed`, with
 * the reason in its status and /health): a database built from another
 * cluster (cluster_stamp.ts), a stored offset beyond the log's end
 * (log_end.ts). `stop()` finishes the batch in progress, commits, flushes
 * the outbox within a deadline and disconnects.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { publish } from "../bus/bus.ts";
import { errorMessage } from "../core/errors.ts";
import { createLogger, type Logger } from "../core/log.ts";
import type { OutboxRecovery } from "../outbox/outbox.ts";
import { OutboxRelay } from "../outbox/relay.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";
import type { BatchMessage, BatchOutcome } from "./apply_batch.ts";
import { batchMessages } from "./batch_messages.ts";
import { publishNotes } from "./bus_notes.ts";
import { applyChunk, type ChunkContext } from "./chunk_loop.ts";
import { checkClusterStamp } from "./cluster_stamp.ts";
import type { CommitProtocol, ResumeAt } from "./commit_protocol.ts";
import type { ConsumerDefinition } from "./define.ts";
import { type BatchErrorInfo, messageKey } from "./failure_verdict.ts";
import type { FolderLock } from "./folder_lock.ts";
import { checkLogEnd } from "./log_end.ts";
import { type OffsetStore, offsetStore } from "./offsets.ts";
import { type PartitionState, PartitionStates } from "./partition_state.ts";
import { processorCommit } from "./processor_commit.ts";
import { RetryPolicy, type RetryPolicyOptions } from "./retry_policy.ts";
import {
  CONSUMER_STATUS_TOPIC,
  type ConsumerCounters,
  type ConsumerState,
  type ConsumerStatus,
} from "./status.ts";
import { PartitionTransactions } from "./transactions.ts";
import { viewCommit } from "./view_commit.ts";

export type { BatchErrorInfo } from "./failure_verdict.ts";

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
  #protocol?: CommitProtocol;
  #state: ConsumerState = "starting";
  #lastError?: string;
  #partitions = new PartitionStates();
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
    const partitionLag = this.#partitions.lag();
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
    this.#protocol = this.#createProtocol();
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
      const state = this.#partitions.get(payload.topic, payload.partition);
      const last = Number(payload.lastOffset) + 1;
      if (state && last > (state.position ?? -1) && state.retryTimer === undefined) {
        state.position = Math.min(last, state.logEnd ?? last);
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

  #createProtocol(): CommitProtocol {
    const common = {
      db: this.#options.db,
      definition: this.definition,
      offsets: this.#offsets,
    };
    if (this.#kind === "view") {
      this.#relay = new OutboxRelay(this.#options.db, this.#options.kafka, {
        recover: this.#options.outboxRecovery,
      });
      this.#relay.start();
      return viewCommit(common);
    }
    return processorCommit({
      ...common,
      transactions: new PartitionTransactions(this.#options.kafka, this.definition.groupId),
      admin: () => this.#admin!,
    });
  }

  async #shutdown(): Promise<void> {
    clearInterval(this.#logTimer);
    this.#partitions.clearPauses();
    await this.#consumer?.disconnect().catch((error) => this.#log.warn("disconnect", { error }));
    await this.#relay?.stop(this.#options.stopFlushMs ?? 10_000);
    await this.#protocol?.close();
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
    const change = this.#partitions.assign(assignment);
    for (const state of change.revoked) {
      this.#policy.forgetPartition(state.topic, state.partition);
      this.#protocol!.revoke(state.topic, state.partition);
    }
    for (const state of [...change.kept, ...change.added]) this.#position(state);
    this.#setState(this.#partitions.anyPaused ? "retrying" : "running");
    void this.#checkLogs();
  }

  /** Where an assigned partition resumes; batches of it wait until it is ready. */
  #position(state: PartitionState): void {
    const { topic, partition } = state;
    const seek = (at: ResumeAt) => {
      if (at === "committed") return;
      this.#consumer!.seek({ topic, partition, offset: at === "earliest" ? "-2" : String(at) });
      if (at !== "earliest") state.position = at;
    };
    const ready = this.#protocol!.position(topic, partition).then(seek);
    ready.catch((error) =>
      this.#log.warn("partition not ready", {
        topic: state.topic,
        partition: state.partition,
        error,
      })
    );
    state.ready = ready;
  }

  /** Reads each assigned partition's log end: the lag, and a stored offset beyond it. */
  async #checkLogs(): Promise<void> {
    const admin = this.#admin;
    if (!admin || this.#state === "failed" || this.#state === "stopping") return;
    try {
      for (const [topic, partitions] of this.#partitions.byTopic()) {
        const ends = await admin.fetchTopicOffsets(topic);
        for (const partition of partitions) {
          const end = ends.find((e) => e.partition === partition);
          const state = this.#partitions.get(topic, partition);
          if (!end || !state) continue;
          const logEnd = Number(end.high);
          state.logEnd = logEnd;
          const stored = this.#offsets.get(topic, partition);
          if (stored === undefined || stored <= logEnd) {
            state.beyondEndSince = undefined;
            continue;
          }
          state.beyondEndSince ??= Date.now();
          if (Date.now() - state.beyondEndSince >= (this.#options.logEndGraceMs ?? 30_000)) {
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
    const state = this.#partitions.get(topic, partition);
    if (!state || state.retryTimer !== undefined || this.#state === "failed") return;
    await state.ready;
    if (payload.isStale()) return;
    const logEnd = Number(batch.highWatermark);
    state.logEnd = logEnd;
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
    const { messages, skipped } = batchMessages(batch, stored);
    this.counters.skipped += skipped;
    if (messages.length === 0) {
      if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      return;
    }
    const size = this.#options.maxMessagesPerTransaction ?? 2_000;
    const ctx = this.#chunkContext(state, payload);
    let expected = this.#protocol!.expected(stored);
    for (let start = 0; start < messages.length; start += size) {
      const result = await applyChunk(ctx, messages.slice(start, start + size), expected);
      if (!result.done) return;
      expected = result.next;
      await payload.heartbeat();
    }
  }

  /** What the chunk loop needs for one batch of `state`'s partition. */
  #chunkContext(state: PartitionState, payload: EachBatchPayload): ChunkContext {
    const { topic, partition } = state;
    return {
      protocol: this.#protocol!,
      verdict: {
        db: this.#options.db,
        definition: this.definition,
        policy: this.#policy,
        log: this.#log,
        onBatchError: this.#options.onBatchError,
      },
      log: this.#log,
      live: () => payload.isRunning() && !payload.isStale() && this.#state !== "failed",
      committed: (messages, outcome) => this.#settled(state, payload, messages, outcome),
      reread: (found) => this.#consumer!.seek({ topic, partition, offset: String(found ?? "-2") }),
      pause: (delayMs, error) => this.#pause(state, delayMs, error),
      failed: (error, willRetry) => {
        this.#lastError = errorMessage(error);
        if (willRetry) this.counters.retries++;
      },
    };
  }

  /** Bookkeeping after a committed chunk. */
  #settled(
    state: PartitionState,
    payload: EachBatchPayload,
    messages: BatchMessage[],
    outcome: BatchOutcome,
  ): void {
    const last = messages[messages.length - 1];
    if (this.#policy.hasFailures) {
      for (const m of messages) this.#policy.settle(messageKey(m));
    }
    payload.resolveOffset(String(last.offset));
    state.position = last.offset + 1;
    this.counters.processed += outcome.applied;
    this.counters.deadLettered += outcome.deadLettered;
    this.counters.batches++;
    publishNotes(outcome.notes);
    if (outcome.enqueued) this.#relay?.notify();
    if (this.#state === "retrying" && !this.#partitions.anyPaused) this.#setState("running");
  }

  /** Pauses a partition for `delayMs`; its unresolved messages are fetched again after. */
  #pause(state: PartitionState, delayMs: number, error: unknown): void {
    const { topic, partition } = state;
    const consumer = this.#consumer!;
    consumer.pause([{ topic, partitions: [partition] }]);
    this.#partitions.pause(state, delayMs, () => {
      consumer.resume([{ topic, partitions: [partition] }]);
    });
    this.#lastError = errorMessage(error);
    this.#setState("retrying");
  }
}
