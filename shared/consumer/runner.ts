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
 *   log end; KafkaJS's pause flags and the commits past a tail of
 *   transaction markers (partition_flow.ts);
 * - the gap checks (log_guard.ts, gap_watch.ts, gap_policy.ts): a stored
 *   position the log no longer continues from (the topic recreated,
 *   records deleted before they were read, a log ending before it) is found
 *   on assignment, before a batch that gives a reason to look, and every
 *   few seconds; the consumer's gap policy stops it (default), accepts the
 *   gap (recorded) or rebuilds the view.
 *
 * Faults it must not get past stop it with a clear error (`failed`, with
 * the reason in its status and /health): a database built from another
 * cluster (cluster_stamp.ts), a gap under the `stop` policy. `stop()`
 * finishes the batch in progress, commits, flushes the outbox and
 * disconnects, within `stopDeadlineMs` whatever the broker does.
 */
import type { Admin, Consumer, EachBatchPayload, Kafka } from "kafkajs";
import { publish, subscribe } from "../bus/bus.ts";
import { OUTBOX_BUS_TOPIC } from "../outbox/outbox.ts";
import { errorMessage } from "../core/errors.ts";
import { createLogger, type Logger } from "../core/log.ts";
import type { OutboxRecovery } from "../outbox/outbox.ts";
import { IDLE_POLL_MS, NOTIFIED_IDLE_POLL_MS, OutboxRelay } from "../outbox/relay.ts";
import type { DatabaseSync } from "../sqlite/sqlite.ts";
import type { BatchMessage, BatchOutcome } from "./apply_batch.ts";
import { batchMessages } from "./batch_messages.ts";
import { publishNotes } from "./bus_notes.ts";
import { Applier, type ApplierOptions, type ChunkReply } from "./applier.ts";
import { applyChunk, type ChunkContext } from "./chunk_loop.ts";
import { checkClusterStamp } from "./cluster_stamp.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import type { ConsumerDefinition } from "./define.ts";
import { type BatchErrorInfo, messageKey } from "./failure_verdict.ts";
import type { FolderLock } from "./folder_lock.ts";
import { ConfigError } from "../core/config.ts";
import type { GapPolicy } from "./gap_policy.ts";
import { canRebuild, GapWatch } from "./gap_watch.ts";
import { type OffsetStore, offsetStore } from "./offsets.ts";
import { type PartitionState, PartitionStates } from "./partition_state.ts";
import { processorCommit } from "./processor_commit.ts";
import { backoffDelay, RetryPolicy, type RetryPolicyOptions } from "./retry_policy.ts";
import { StallReport } from "./stall_report.ts";
import { LogCheckPace } from "./log_check_pace.ts";
import { lengthenIdleFetchWait } from "../kafka/kafkajs_fetch_wait.ts";
import {
  CONSUMER_STATUS_TOPIC,
  type ConsumerCounters,
  type ConsumerState,
  type ConsumerStatus,
} from "./status.ts";
import { StatusReporter } from "./status_reporter.ts";
import { PartitionTransactions } from "./transactions.ts";
import { viewCommit } from "./view_commit.ts";
import { LogGapError } from "./gap_policy.ts";
import { LogGuard } from "./log_guard.ts";
import { PartitionFlow } from "./partition_flow.ts";
import { prefetchWriterSchemas } from "./schema_contract.ts";

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
  /** Longest silence of the status on the bus when nothing changes (default STATUS_KEEP_ALIVE_MS). */
  statusKeepAliveMs?: number;
  /** How often the log ends and the lag are read when idle (default 5000 ms). */
  logCheckIntervalMs?: number;
  /**
   * How long a stored offset must stay beyond the partition's reported end
   * before the consumer stops (default 30 000 ms): right after a leader
   * change the new leader may report a lower end for a few seconds.
   */
  logEndGraceMs?: number;
  /** Maximum bytes fetched per partition per request (default FETCH_BYTES_PER_PARTITION). */
  maxBytesPerPartition?: number;
  /** Longest wait of a fetch for new data (default 1000 ms: FETCH_WAIT_MS). */
  maxWaitTimeMs?: number;
  /** Most messages applied in one transaction (default 2000): bounds a transaction's time. */
  maxMessagesPerTransaction?: number;
  /** Group session timeout: how soon a dead member's partitions move (default 10 s, minimum 6 s). */
  sessionTimeoutMs?: number;
  /** How long `stop()` may spend flushing the outbox (default 10 000 ms). */
  stopFlushMs?: number;
  /** Longest `stop()`, whatever the broker does (default 20 000 ms). */
  stopDeadlineMs?: number;
  /** How many times the server restarted this consumer's Worker, for its status. */
  restarts?: number;
  /** Processor: longest a Kafka transaction may take before its outcome counts as unknown (default 30 000 ms). */
  commitTimeoutMs?: number;
  /** What to do on a gap (default: the definition's `onGap`, else `stop`). */
  onGap?: GapPolicy;
  /**
   * A view's applier (the pipelined runner): chunks are applied by a Worker
   * owning their writes while this thread fetches, decodes and validates
   * the next ones. Without it (or if it cannot start) the view applies on
   * this thread.
   */
  applier?: Omit<ApplierOptions, "log">;
  /** Called synchronously after a failed message was rolled back. */
  onBatchError?: (info: BatchErrorInfo) => void;
  /** Called once when the runner stops on a fault it cannot retry (after it disconnected). */
  onFatal?: (error: Error) => void;
}

/**
 * How long the broker may hold an empty fetch. It answers as soon as a
 * record arrives, so this costs no latency; it sets how often an idle
 * consumer wakes up (at 100 ms, ~1 % of a core each). KafkaJS heartbeats
 * from its fetch loop, so it must stay well under a third of the session
 * timeout (6 s at least); a stop, a rebalance or a resumed partition may
 * wait for the fetch in flight.
 */
const FETCH_WAIT_MS = 1_000;

/**
 * The most a fetch brings of one partition: KafkaJS's 1 MiB. It sets what
 * a pipelined view holds through a backlog (the doctor through 1,000,000
 * demands peaks at ~320 MiB with 1 MiB, ~210 with 512 KiB), and 512 KiB
 * cost 25–30 % of its rate in four alternated runs, so the default stays
 * (docs/performance.md, "Memory"; `CONSUMER_PIPELINE=off` is the lever
 * where memory counts more). A record larger than this still comes, alone
 * (KIP-74).
 */
export const FETCH_BYTES_PER_PARTITION = 1_048_576;

/** How old the consumer's metadata may get: a partition added is read within about this. */
const METADATA_MAX_AGE_MS = 10_000;

/**
 * A batch at least this long starts a view's applier (the pipelined
 * runner): a backlog is being read. Fewer messages apply as fast on one
 * thread.
 */
const PIPELINE_FROM_MESSAGES = 500;

/** How long the batch that starts the applier waits for it (it applies here after that). */
const APPLIER_START_WAIT_MS = 10_000;

/**
 * The longest wait before a partition whose commits keep failing outside
 * any handler is positioned again (the retry policy's maximum if lower):
 * a broker or a disk that comes back is used within this.
 */
const REPOSITION_MAX_MS = 5_000;

/** Default longest `stop()` (a process's own deadline, 25 s, is above it). */
const STOP_DEADLINE_MS = 20_000;

/** How long `stop()` lets the batch in progress commit before closing its producers. */
const STOP_BATCH_GRACE_MS = 5_000;

/** A partitions' lag as one comparable text. */
function lagKey(lag: Record<string, number>): string {
  return Object.entries(lag).map(([key, value]) => `${key}=${value}`).join(",");
}

/** Resolves true once `promise` settled, false if `ms` passed first (it is left running). */
async function within(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (!promise) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const settled = await Promise.race([
    promise.then(() => true, () => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]);
  clearTimeout(timer);
  return settled;
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
  /** Stops hearing other threads' outbox announcements. */
  #unsubscribeOutbox?: () => void;
  #protocol?: CommitProtocol;
  #gapPolicy: GapPolicy;
  #gaps?: GapWatch;
  #guard?: LogGuard;
  #flow: PartitionFlow;
  #state: ConsumerState = "starting";
  #lastError?: string;
  #partitions = new PartitionStates();
  #status: StatusReporter;
  #logTimer?: ReturnType<typeof setTimeout>;
  /** When the log timer's next tick is due (ms since the epoch). */
  #logTickAt = 0;
  /** The log timer's tick while anything happens (logCheckIntervalMs). */
  #logTickMs: number;
  #stopping?: Promise<void>;
  #failure?: Promise<void>;
  #applier?: Applier;
  #applierStart?: Promise<void>;
  #applierChunks = 0;
  #applierFailures = 0;
  #stall: StallReport;
  /** When the group coordinator last answered a heartbeat of this member. */
  #heartbeatAt = 0;
  /** How long a fenced partition waits for a rebalance before it is checked again. */
  #fenceRecheckMs = 13_000;
  #logPace = new LogCheckPace();

  constructor(definition: ConsumerDefinition, options: ConsumerRunnerOptions) {
    this.definition = definition;
    this.#options = options;
    this.#logTickMs = options.logCheckIntervalMs ?? 5_000;
    this.#kind = definition.kind ?? "view";
    this.#folder = options.folder ?? `data/${definition.name}`;
    this.#offsets = offsetStore(options.db);
    this.#policy = new RetryPolicy({
      initialRetryMs: options.initialRetryMs,
      maxRetryMs: options.maxRetryMs,
      messageBudgetMs: options.messageBudgetMs,
    });
    this.#log = createLogger(`consumer:${definition.name}`);
    this.#stall = new StallReport(this.#log);
    this.#status = new StatusReporter(() => this.#publishStatus(), {
      keepAliveMs: options.statusKeepAliveMs,
    });
    this.#flow = new PartitionFlow({
      consumer: () => this.#consumer!,
      protocol: () => this.#protocol!,
      partitions: this.#partitions,
      log: this.#log,
      consuming: () => this.#stateIs("running") || this.#stateIs("retrying"),
    });
    this.#gapPolicy = options.onGap ?? definition.onGap ?? "stop";
    if (this.#gapPolicy === "rebuild" && !canRebuild(definition)) {
      throw new ConfigError([
        `CONSUMER_ON_GAP: consumer ${definition.name} cannot rebuild (${
          this.#kind === "processor"
            ? "a processor's decisions live in Kafka"
            : "its definition has no reset"
        }); use stop or accept`,
      ]);
    }
  }

  /** Whether chunks are applied by the applier Worker (the pipelined runner) now. */
  get pipelined(): boolean {
    return this.#applier !== undefined && !this.#applier.dead;
  }

  /** How many chunks the applier Worker committed. */
  get applierChunks(): number {
    return this.#applierChunks;
  }

  /** How many times a partition's chunks failed on the applier (each taken over on this thread). */
  get applierFailures(): number {
    return this.#applierFailures;
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
      pipelined: this.pipelined || undefined,
      lag: Object.values(partitionLag).reduce((a, b) => a + b, 0),
      partitionLag,
      counters: { ...this.counters },
      lastError: this.#lastError,
      outbox: outbox && {
        unsent: outbox.unsent,
        oldestUnsentMs: outbox.oldestUnsentMs,
        failingTopics: outbox.failingTopics,
      },
      restarts: this.#options.restarts,
      gaps: this.#gaps && this.#gaps.recorded.total > 0
        ? { total: this.#gaps.recorded.total, recent: this.#gaps.recorded.gaps }
        : undefined,
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
    this.#status.now();
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
    this.#gaps = new GapWatch({
      kafka: this.#options.kafka,
      db: this.#options.db,
      definition,
      offsets: this.#offsets,
      policy: this.#gapPolicy,
      log: this.#log,
    });
    this.#guard = new LogGuard({
      kind: this.#kind,
      partitions: this.#partitions,
      gaps: this.#gaps,
      log: this.#log,
      topics: Object.keys(definition.topics),
      seek: (topic, partition, offset) =>
        this.#consumer!.seek({
          topic,
          partition,
          offset: offset === "earliest" ? "-2" : String(offset),
        }),
      fail: (error) => void this.#fail(error),
      failed: () => this.#stateIs("failed"),
    });
    const sessionTimeout = this.#options.sessionTimeoutMs ?? 10_000;
    const heartbeatInterval = Math.min(3_000, sessionTimeout / 3);
    // Time for the group to rebalance after a fence, if another member took the partition.
    this.#fenceRecheckMs = sessionTimeout + heartbeatInterval;
    // Idle, one fetch per heartbeat instead of one a second (kafkajs_fetch_wait.ts).
    lengthenIdleFetchWait(definition.groupId, heartbeatInterval);
    const consumer = this.#options.kafka.consumer({
      groupId: definition.groupId,
      maxBytesPerPartition: this.#options.maxBytesPerPartition ?? FETCH_BYTES_PER_PARTITION,
      maxWaitTimeInMs: this.#options.maxWaitTimeMs ?? FETCH_WAIT_MS,
      sessionTimeout,
      heartbeatInterval,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      // KafkaJS notices partitions added to a topic only when its metadata is
      // refreshed (5 min by default): their records would wait that long.
      metadataMaxAge: METADATA_MAX_AGE_MS,
    });
    this.#consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.#onAssignment(payload.memberAssignment);
    });
    // Batches of transaction markers (or aborted records) only never reach
    // eachBatch: keep the lag true, and commit past them once the partition
    // is idle (KafkaJS commits such a batch only if a second has passed since
    // its last commit; a transactional topic's last marker would stay lag).
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const state = this.#partitions.get(payload.topic, payload.partition);
      const last = Number(payload.lastOffset) + 1;
      if (!state || !(last > (state.position ?? -1)) || state.retryTimer !== undefined) return;
      state.logEnd = Math.max(state.logEnd ?? 0, Number(payload.highWatermark));
      state.position = Math.min(last, state.logEnd);
      if (payload.batchSize === 0 && state.checked) this.#flow.commitTailSoon(state);
      this.#status.changed();
    });
    // A fetch that failed (no FETCH after its FETCH_START): a topic may have been
    // deleted and created again before the next one; compare ids before applying.
    consumer.on(
      consumer.events.FETCH_START,
      ({ payload }) => this.#guard!.fetchStarted(payload.nodeId),
    );
    consumer.on(consumer.events.FETCH, ({ payload }) => {
      this.#stall.fetched();
      this.#guard!.fetchDone(payload.nodeId);
    });
    consumer.on(consumer.events.HEARTBEAT, () => (this.#heartbeatAt = Date.now()));
    consumer.on(consumer.events.REBALANCING, () => {
      if (this.#state === "running" || this.#state === "retrying") this.#setState("rejoining");
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.#guard!.suspectAll();
      this.#lastError = errorMessage(payload.error);
      this.#log.error("consumer crashed", { error: payload.error, restart: payload.restart });
      this.#status.changed();
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
      eachBatch: async (payload) => {
        this.#stall.batchStarted();
        this.#logActive();
        try {
          await this.#eachBatch(payload);
        } finally {
          this.#stall.batchEnded();
        }
      },
    });
    this.#armLogTick(this.#logTickMs);
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
      this.#status.stop();
      this.#options.lock?.release();
    })();
    return this.#stopping;
  }

  /**
   * A view's applier, when the options name one, started at the first
   * backlog (a batch of PIPELINE_FROM_MESSAGES or more): an idle or
   * trickling view costs no second isolate. If it cannot start (its
   * module fails to load in a Worker), the view applies on this thread and
   * says why.
   */
  #startApplier(): void {
    const options = this.#options.applier;
    if (!options || this.#kind !== "view" || this.#applierStart) return;
    this.#applierStart = (async () => {
      try {
        const applier = await Applier.start({ ...options, log: this.#log });
        if (this.#stateIs("stopping") || this.#stateIs("stopped") || this.#stateIs("failed")) {
          return await applier.close(0);
        }
        this.#applier = applier;
        this.#log.info("pipelined: chunks are applied by a Worker", {
          maxMessagesPerTransaction: this.#options.maxMessagesPerTransaction ?? 2_000,
        });
        this.#status.changed();
      } catch (error) {
        this.#log.warn("the applier did not start; applying on this thread", { error });
      }
    })();
  }

  #createProtocol(): CommitProtocol {
    const common = {
      db: this.#options.db,
      definition: this.definition,
      offsets: this.#offsets,
      consumer: () => this.#consumer!,
    };
    if (this.#kind === "view") {
      this.#relay = new OutboxRelay(this.#options.db, this.#options.kafka, {
        recover: this.#options.outboxRecovery,
        // A Worker hears every writer of its database (the host's bus); a process may not.
        idlePollMs: this.#options.mode === "worker" ? NOTIFIED_IDLE_POLL_MS : IDLE_POLL_MS,
        onSent: () => this.#status.changed(),
      });
      this.#relay.start();
      // A web route of this process wrote this database's outbox (outboxTransaction).
      const database = this.definition.name;
      this.#unsubscribeOutbox = subscribe((message) => {
        const data = message.data as { database?: unknown } | undefined;
        if (message.topic === OUTBOX_BUS_TOPIC && data?.database === database) {
          this.#relay?.notify();
        }
      }, [OUTBOX_BUS_TOPIC]);
      return viewCommit(common);
    }
    return processorCommit({
      ...common,
      transactions: new PartitionTransactions(this.#options.kafka, this.definition.groupId, {
        commitTimeoutMs: this.#options.commitTimeoutMs,
      }),
      admin: () => this.#admin!,
    });
  }

  /** The log timer's tick: the stall check, then a log check when the pace says one is due. */
  #logTick(): void {
    try {
      if (this.#stateIs("failed") || this.#stateIs("stopping")) return;
      this.#stall.check(this.#stateIs("running") || this.#stateIs("retrying"));
      if (!this.#logPace.due(this.#caughtUp())) return; // idle: a check every 15 s is enough
      // Reported when the lag moved or a gap was recorded (the keep-alive covers a check
      // that changed nothing).
      const seen = () => `${lagKey(this.#partitions.lag())};${this.#gaps?.recorded.total ?? 0}`;
      const before = seen();
      void this.#guard!.checkLogs(
        this.#options.logEndGraceMs ?? 30_000,
        (state) => this.#flow.retryTail(state),
      ).finally(() => {
        if (seen() === before) return;
        this.#logActive();
        this.#status.changed();
      });
    } finally {
      this.#armLogTick(this.#logPace.nextTickIn(this.#logTickMs));
    }
  }

  /** Arms the log timer's next tick in `ms` (the one armed before is dropped). */
  #armLogTick(ms: number): void {
    clearTimeout(this.#logTimer);
    this.#logTickAt = Date.now() + ms;
    this.#logTimer = setTimeout(() => this.#logTick(), ms);
  }

  /** Something happened: the log checks' pace is back to every tick, and so is the timer. */
  #logActive(): void {
    this.#logPace.active();
    if (this.#logTimer !== undefined && this.#logTickAt - Date.now() > this.#logTickMs) {
      this.#armLogTick(this.#logTickMs);
    }
  }

  /**
   * Stops within `stopDeadlineMs` whatever the broker does: the batch in
   * progress gets STOP_BATCH_GRACE_MS to commit (then its producers are
   * closed, which ends a transaction waiting on an absent broker: its
   * outcome is settled by the partition's next owner), the outbox what is
   * left of the deadline to flush (unsent rows stay for the next start),
   * and each client a few seconds to disconnect.
   */
  async #shutdown(): Promise<void> {
    const deadline = Date.now() + (this.#options.stopDeadlineMs ?? STOP_DEADLINE_MS);
    const left = (reserveMs = 0) => Math.max(0, deadline - Date.now() - reserveMs);
    clearTimeout(this.#logTimer);
    this.#logTimer = undefined;
    lengthenIdleFetchWait(this.definition.groupId, undefined);
    this.#unsubscribeOutbox?.();
    this.#partitions.clearPauses();
    const disconnected = this.#consumer?.disconnect()
      .catch((error) => this.#log.warn("disconnect", { error }));
    if (!(await within(disconnected, Math.min(STOP_BATCH_GRACE_MS, left(6_000))))) {
      this.#log.warn("the batch in progress did not commit in time; closing its producers");
      await within(this.#protocol?.close(), 2_000);
      await within(disconnected, left(6_000));
    }
    // Chunks in flight commit (their outbox rows are then flushed below), or roll back.
    await within(this.#applierStart, Math.min(2_000, left(7_000)));
    await within(this.#applier?.close(Math.min(3_000, left(7_000))), left(6_000));
    await within(
      this.#relay?.stop(Math.min(this.#options.stopFlushMs ?? 10_000, left(4_000))),
      left(3_000),
    );
    await within(this.#protocol?.close(), Math.min(2_000, left(1_000)));
    await within(this.#gaps?.close(), Math.min(1_000, left(500)));
    await within(this.#admin?.disconnect().catch(() => {}), Math.min(1_000, left()));
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
    this.#status.now();
  }

  /** The state now (read through a call: it changes across awaits). */
  #stateIs(state: ConsumerState): boolean {
    return this.#state === state;
  }

  #publishStatus(): void {
    publish(CONSUMER_STATUS_TOPIC, "status", this.status());
  }

  /**
   * A (re)assignment: forget revoked partitions (and KafkaJS's pause flags
   * on them: it keeps them across rebalances), and position the assigned
   * ones, each paused in KafkaJS until its gap check is done. KafkaJS's
   * flags are also lost when it restarts its consumer: the ones waiting to
   * retry stay paused until their timer.
   */
  #onAssignment(assignment: Record<string, number[]>): void {
    const change = this.#partitions.assign(assignment);
    this.#logActive();
    this.#status.changed();
    for (const state of change.revoked) {
      this.#guard!.forget(state);
      this.#policy.forgetPartition(state.topic, state.partition);
      this.#protocol!.revoke(state.topic, state.partition);
      this.#flow.resume(state);
    }
    for (const state of [...change.kept, ...change.added]) {
      state.checked = false;
      this.#flow.pause(state);
      this.#position(state);
    }
    this.#setState(this.#partitions.anyPaused ? "retrying" : "running");
  }

  /**
   * Whether the consumer runs with nothing to do: every partition checked and
   * caught up, none waiting to retry, to commit past markers or past a log end.
   */
  #caughtUp(): boolean {
    return this.#stateIs("running") && this.#allReady() &&
      this.#partitions.all().every((s) =>
        s.tailTimer === undefined && !s.tailPending &&
        s.beyondEndSince === undefined && s.logEnd !== undefined &&
        // No position yet: nothing stored and nothing fetched (a record would be a batch).
        (s.position === undefined || s.position >= s.logEnd)
      );
  }

  /** Whether every assigned partition is positioned and none waits to retry. */
  #allReady(): boolean {
    return this.#partitions.all().every((s) => s.checked && s.retryTimer === undefined);
  }

  /**
   * Where an assigned partition resumes, checked against its log (a gap is
   * handled by the policy); its batches are applied only once it is
   * checked. A position that cannot be read now (a broker away) is tried
   * again every 2 s while the partition stays assigned.
   */
  #position(state: PartitionState): void {
    const { topic, partition } = state;
    const assigned = () =>
      this.#partitions.get(topic, partition) === state && !this.#stateIs("failed") &&
      !this.#stateIs("stopping") && !this.#stateIs("stopped");
    state.positionings = (state.positionings ?? 0) + 1;
    const ready = (async () => {
      // Its chunks still in flight commit first: the stored offset read next includes them.
      await this.#applier?.drained(state.key);
      this.#applier?.reset(state.key);
      const planned = await this.#protocol!.position(topic, partition);
      const at = await this.#guard!.checkAssigned(state, planned, assigned);
      if (at === undefined || !assigned()) return;
      if (at !== "committed") {
        this.#consumer!.seek({ topic, partition, offset: at === "earliest" ? "-2" : String(at) });
        if (at !== "earliest") state.position = at;
      }
      state.checked = true;
      this.#flow.resumeIfFree(state);
      if (this.#stateIs("retrying") && this.#allReady()) this.#setState("running");
      // Where it starts, in Kafka too, when Kafka has nothing for it: a partition whose first
      // message keeps failing shows its whole lag to the monitor, not none.
      const start = state.position;
      if (start !== undefined && (this.#kind === "view" || at === "earliest")) {
        this.#protocol!.commitPosition(topic, partition, start, () => state.position === start)
          .catch((error) => this.#log.debug("starting position not committed", { error }));
      }
    })();
    ready.catch((error) => {
      if (error instanceof LogGapError) return void this.#fail(error);
      this.#log.warn("partition not ready; trying again in 2 s", { topic, partition, error });
      this.#lastError = errorMessage(error);
      this.#status.changed();
      if (this.#stateIs("running")) this.#setState("retrying");
      setTimeout(() => assigned() && this.#position(state), 2_000);
    });
    state.ready = ready;
  }

  async #eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset } = payload;
    const { topic, partition } = batch;
    const state = this.#partitions.get(topic, partition);
    if (!state?.checked || state.retryTimer !== undefined || this.#state === "failed") return;
    const logEnd = Number(batch.highWatermark);
    state.logEnd = logEnd;
    // A view resumes from its stored offsets; a processor from Kafka's, but it
    // still skips what it committed itself (an operator's rewind replays nothing).
    if (!this.#applier && batch.messages.length >= PIPELINE_FROM_MESSAGES) {
      // A backlog: this batch waits for the applier to start (once), then goes to it.
      this.#startApplier();
      await within(this.#applierStart, APPLIER_START_WAIT_MS);
      if (!payload.isRunning() || payload.isStale() || this.#stateIs("failed")) return;
    }
    const stored = this.#offsets.get(topic, partition);
    const lane = this.#applier?.lane(state.key);
    if (lane?.failed) return; // fetched again from the stored offset once its chunks settled
    // What was posted to the applier counts as read (it commits it, or the lane fails).
    const ahead = lane?.next;
    if (!(await this.#guard!.continues(state, batch, stored, ahead))) return;
    const { messages, skipped } = batchMessages(batch, ahead ?? stored);
    this.counters.skipped += skipped;
    if (messages.length === 0) {
      if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      return;
    }
    await prefetchWriterSchemas(messages, this.definition.topics);
    const size = this.#options.maxMessagesPerTransaction ?? 2_000;
    // A view with an applier pipelines from its first committed offset on (a partition
    // it never stored starts here: where it starts is decided by its first commit), and
    // past what it had posted before a chunk failed. Avro and Protobuf topics stay here
    // (their writer schemas are fetched on this thread).
    // A dead applier's lane is still read above (its failed chunks are fetched again from the
    // stored offset), but nothing more is posted to it.
    const pipelines = lane && !this.#applier!.dead && !this.definition.topics[topic].contract;
    let expected = ahead ?? this.#protocol!.expected(stored);
    const ctx = this.#chunkContext(state, payload);
    for (let start = 0; start < messages.length; start += size) {
      if (pipelines && expected !== undefined && messages[start].offset >= (lane.slowUntil ?? 0)) {
        return await this.#pipeline(state, payload, messages.slice(start), expected, size);
      }
      const result = await applyChunk(ctx, messages.slice(start, start + size), expected);
      if (!result.done) return;
      expected = result.next;
      await payload.heartbeat();
    }
  }

  /**
   * The pipelined path: each chunk is posted to the applier (at most two a
   * partition in flight) and its offset resolved at once, so KafkaJS
   * fetches on while the applier decodes, validates and commits.
   */
  async #pipeline(
    state: PartitionState,
    payload: EachBatchPayload,
    messages: BatchMessage[],
    from: number,
    size: number,
  ): Promise<void> {
    const applier = this.#applier!;
    let expected = from;
    for (let start = 0; start < messages.length; start += size) {
      await applier.slot(state.key);
      const lane = applier.lane(state.key);
      // A failed lane is fetched again from the stored offset once its chunks settled.
      if (lane.failed || !payload.isRunning() || payload.isStale()) return;
      const chunk = messages.slice(start, start + size);
      const last = chunk[chunk.length - 1].offset;
      void applier.post(chunk, expected, state.key)
        .then((reply) => this.#applied(state, lane.id, last, reply));
      expected = last + 1;
      payload.resolveOffset(String(last));
      await payload.heartbeat();
    }
  }

  /** A chunk's reply from the applier: bookkeeping, or the lane's failure. */
  #applied(state: PartitionState, laneId: number, last: number, reply: ChunkReply): void {
    if (reply.type === "applied") {
      this.#applierChunks++;
      if (state.position === undefined || state.position <= last) state.position = last + 1;
      this.#bookkeeping(state, reply);
      for (const note of reply.notes) publish(note.topic, note.type, note.data);
      return;
    }
    const lane = this.#applier!.lane(state.key);
    if (lane.id !== laneId || lane.failed) return;
    lane.failed = true;
    this.#applierFailures++;
    if (reply.type === "failed") {
      this.#log.warn("a chunk failed on the applier; applying from the stored offset here", {
        topic: state.topic,
        partition: state.partition,
        error: reply.error,
      });
    }
    // Once the lane's chunks settled: read again from the stored offset, on this thread
    // (retries, probes, dead letters) up to where the lane had posted.
    void this.#applier!.drained(state.key).then(() => {
      if (this.#applier!.lane(state.key) !== lane) return; // positioned again meanwhile
      this.#applier!.reset(state.key, lane.next);
      if (this.#partitions.get(state.topic, state.partition) !== state) return;
      if (this.#stateIs("failed") || this.#stateIs("stopping") || this.#stateIs("stopped")) return;
      const stored = this.#offsets.get(state.topic, state.partition);
      if (stored !== undefined) state.position = stored;
      this.#consumer!.seek({
        topic: state.topic,
        partition: state.partition,
        offset: String(stored ?? "-2"),
      });
    });
  }

  /** What the chunk loop needs for one batch of `state`'s partition. */
  #chunkContext(state: PartitionState, payload: EachBatchPayload): ChunkContext {
    const { topic, partition } = state;
    const positioning = state.positionings;
    return {
      protocol: this.#protocol!,
      verdict: {
        db: this.#options.db,
        definition: this.definition,
        policy: this.#policy,
        log: this.#log,
        onBatchError: this.#options.onBatchError,
        appliedElsewhere: (topic, partition, since) => {
          for (const other of this.#partitions.all()) {
            if (
              other.topic === topic && other.partition !== partition &&
              (other.appliedAt ?? 0) > since
            ) return true;
          }
          return false;
        },
      },
      log: this.#log,
      live: () => payload.isRunning() && !payload.isStale() && this.#state !== "failed",
      committed: (messages, outcome) => this.#settled(state, payload, messages, outcome),
      reread: (found) => this.#consumer!.seek({ topic, partition, offset: String(found ?? "-2") }),
      pause: (delayMs, error) => this.#pause(state, delayMs, error),
      reposition: (error) => this.#reposition(state, error),
      fenced: () => {
        // Fenced by this instance's own new producer (positioned again meanwhile): read again.
        if (state.positionings !== positioning) return;
        state.checked = false;
        this.#flow.pause(state);
        this.#recheckFenced(state, Date.now());
      },
      failed: (error, willRetry) => {
        this.#lastError = errorMessage(error);
        if (willRetry) this.counters.retries++;
        this.#status.changed();
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
    this.#bookkeeping(state, outcome);
    publishNotes(outcome.notes);
  }

  /** What follows any committed chunk (on this thread or the applier). */
  #bookkeeping(
    state: PartitionState,
    outcome: Pick<BatchOutcome, "applied" | "deadLettered" | "enqueued">,
  ): void {
    state.tailPending = false;
    state.commitFailures = 0;
    if (!state.stamped) {
      state.stamped = true;
      this.#gaps?.stamp(state.topic, state.partition, state.topicId);
    }
    this.counters.processed += outcome.applied;
    if (outcome.applied > 0) state.appliedAt = Date.now();
    this.counters.deadLettered += outcome.deadLettered;
    this.counters.batches++;
    if (outcome.enqueued) this.#relay?.notify();
    this.#status.changed();
    if (this.#state === "retrying" && this.#allReady()) this.#setState("running");
  }

  /**
   * After a failed commit (a view's rolled back; a processor's transaction
   * of unknown outcome): the partition waits, longer with each failure in a
   * row (up to REPOSITION_MAX_MS), then is positioned again: a view from
   * its stored offset; a processor with a new producer that fences and
   * settles the old transaction, its committed offset read after it. So
   * nothing the broker or the database did commit is committed twice.
   */
  #reposition(state: PartitionState, error: unknown): void {
    state.commitFailures = (state.commitFailures ?? 0) + 1;
    const delayMs = backoffDelay(state.commitFailures, {
      initialRetryMs: this.#policy.initialRetryMs,
      maxRetryMs: Math.min(this.#policy.maxRetryMs, REPOSITION_MAX_MS),
    });
    state.checked = false;
    this.#flow.pause(state);
    this.#partitions.pause(state, delayMs, () => {
      if (this.#partitions.get(state.topic, state.partition) === state) this.#position(state);
    });
    this.#lastError = errorMessage(error);
    this.#setState("retrying");
  }

  /**
   * A partition whose producer was fenced waits for the group to hand it to
   * its new owner. If the group does not — no rebalance, and this member's
   * heartbeats answered after the fence — nobody else owns it: the fence
   * came from this instance's own earlier producer, or from outside the
   * group. Waiting for a rebalance that never comes left the partition
   * stuck for good (the fault campaign, seed 5: two orders never decided).
   * It is then positioned again, with a new producer. A zombie (its session
   * expired) gets no heartbeat answered before it rejoins, and the rejoin
   * positions or revokes the partition itself.
   */
  #recheckFenced(state: PartitionState, fencedAt: number): void {
    this.#partitions.pause(state, this.#fenceRecheckMs, () => {
      if (this.#partitions.get(state.topic, state.partition) !== state) return;
      if (this.#stateIs("failed") || this.#stateIs("stopping") || this.#stateIs("stopped")) return;
      if (state.checked) return this.#flow.resumeIfFree(state); // the group positioned it
      if (this.#heartbeatAt <= fencedAt || this.#stateIs("rejoining")) {
        return this.#recheckFenced(state, fencedAt); // a rebalance may still be coming
      }
      this.#log.warn(
        "producer fenced, but the group still assigns the partition to this instance; " +
          "positioning it again with a new producer",
        { topic: state.topic, partition: state.partition },
      );
      this.#position(state);
    });
    this.#setState("retrying");
  }

  /** Pauses a partition for `delayMs`; its unresolved messages are fetched again after. */
  #pause(state: PartitionState, delayMs: number, error: unknown): void {
    this.#flow.pause(state);
    this.#partitions.pause(state, delayMs, () => this.#flow.resumeIfFree(state));
    this.#lastError = errorMessage(error);
    this.#setState("retrying");
  }
}
