/**
 * The runner's guard against gaps (gap_policy.ts): it compares where each
 * partition stands with its log — on assignment, before batches that give
 * a reason to, and every few seconds — and hands a gap to the gap watch's
 * policy (gap_watch.ts). Its reasons to look before a batch: the batch
 * starts after the partition's position (KafkaJS reset an offset out of
 * range to the log's start, or compaction left a hole: the log's start
 * tells), the topic's id was last compared more than ID_CHECK_MS ago, a
 * fetch failed since (a topic deleted and created again between two
 * fetches), or a record batch carries a lower leader epoch than one seen
 * before in the partition. Each partition's checks run one after the other,
 * so a second one sees what the first did.
 */
import type { Batch } from "kafkajs";
import type { Logger } from "../core/log.ts";
import type { ResumeAt } from "./commit_protocol.ts";
import { findGap, type Gap, type LogState, type StoredPosition } from "./gap_policy.ts";
import type { GapOutcome, GapWatch } from "./gap_watch.ts";
import type { PartitionState, PartitionStates } from "./partition_state.ts";

/** How stale a topic's id may be when a batch of it is applied. */
export const ID_CHECK_MS = 1_000;

/** What the guard needs of the runner. */
export interface LogGuardHost {
  kind: "view" | "processor";
  partitions: PartitionStates;
  gaps: GapWatch;
  log: Logger;
  /** Every topic the consumer reads. */
  topics: string[];
  /** Seeks the KafkaJS consumer (`earliest`: the log's start). */
  seek(topic: string, partition: number, offset: number | "earliest"): void;
  /** Stops the consumer on a fault it cannot retry (a gap under `stop`). */
  fail(error: unknown): void;
  /** Whether the consumer failed. */
  failed(): boolean;
}

/** Checks partitions against their logs for one runner. */
export class LogGuard {
  #host: LogGuardHost;
  /** When each topic's id was last compared with the stored ones. */
  #idCheckedAt = new Map<string, number>();
  /** Topics to compare before their next batch applies. */
  #suspect = new Set<string>();
  /** Brokers with a fetch started and not answered yet. */
  #fetching = new Set<number>();
  /** The highest leader epoch seen in each partition's records since its assignment. */
  #epochs = new Map<string, number>();
  /** The periodic check in progress, if any. */
  #running?: Promise<void>;

  constructor(host: LogGuardHost) {
    this.#host = host;
  }

  /** KafkaJS started a fetch from `nodeId`; one before it that never ended failed. */
  fetchStarted(nodeId: number): void {
    if (this.#fetching.has(nodeId)) this.suspectAll();
    this.#fetching.add(nodeId);
  }

  /** KafkaJS's fetch from `nodeId` ended. */
  fetchDone(nodeId: number): void {
    this.#fetching.delete(nodeId);
  }

  /** The consumer restarted or a fetch failed: every topic's id is compared before its next batch. */
  suspectAll(): void {
    for (const topic of this.#host.topics) this.#suspect.add(topic);
    this.#fetching.clear();
  }

  /** Forgets a revoked partition. */
  forget(state: PartitionState): void {
    this.#epochs.delete(state.key);
  }

  /**
   * The position a newly assigned partition resumes at, after its gap
   * check; a topic that does not exist now (deleted, maybe about to be
   * created again) is waited for. Undefined once `assigned()` turns false.
   */
  async checkAssigned(
    state: PartitionState,
    planned: ResumeAt,
    assigned: () => boolean,
  ): Promise<ResumeAt | undefined> {
    const { topic, partition } = state;
    const { gaps } = this.#host;
    let log: LogState | undefined;
    for (;;) {
      if (!assigned()) return undefined;
      log = (await gaps.logStates(topic, [partition])).get(partition);
      if (log) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const found = log;
    state.topicId = found.topicId;
    state.logEnd = found.end;
    this.#idCheckedAt.set(topic, Date.now());
    this.#epochs.delete(state.key);
    return await this.#exclusive(state, () => {
      const stored = gaps.stored(
        topic,
        partition,
        typeof planned === "number" ? planned : undefined,
      );
      const at = this.#resume(gaps.handle({ topic, partition }, stored, found), planned);
      // A partition read from its start stands there: records deleted before it reads them are a gap too.
      if (at === "earliest") state.position = found.start;
      return at;
    });
  }

  /**
   * Whether `batch` may be applied: false when it was found not to continue
   * the partition (a gap went to the policy, and the batch is fetched again
   * from where that leaves the partition) or the log could not be read.
   * `ahead`: where the chunks posted to the pipelined runner's applier end
   * (read, not yet committed): a batch starting there did not jump.
   */
  async continues(
    state: PartitionState,
    batch: Batch,
    stored: number | undefined,
    ahead?: number,
  ): Promise<boolean> {
    const { topic, partition } = state;
    const { gaps } = this.#host;
    const first = Number(batch.firstOffset());
    const logEnd = Number(batch.highWatermark);
    if (stored !== undefined && logEnd < stored && first < stored) {
      // Records below the stored offset from a log ending before it: not the log stored.
      await this.#exclusive(state, () => {
        const now = gaps.stored(topic, partition);
        if (now?.offset !== stored || this.#host.failed()) return; // already handled
        this.#onGap({
          kind: "beyond-end",
          topic,
          partition,
          stored,
          // From where KafkaJS reset this batch (the log's start): none of it was read.
          resumeAt: first,
          logEnd,
          storedTopicId: now.topicId,
          topicId: state.topicId,
        });
      });
      return false;
    }
    const standing = this.#standing(state)?.offset;
    const jumped = standing !== undefined && first > Math.max(standing, ahead ?? standing);
    const idAge = Date.now() - (this.#idCheckedAt.get(topic) ?? 0);
    const epoch = Number(
      (batch.messages[0] as { batchContext?: { partitionLeaderEpoch?: number } } | undefined)
        ?.batchContext?.partitionLeaderEpoch ?? -1,
    );
    if (epoch < (this.#epochs.get(state.key) ?? -1)) this.#suspect.add(topic);
    else this.#epochs.set(state.key, epoch);
    if (!jumped && !this.#suspect.has(topic) && idAge < ID_CHECK_MS) return true;
    let log;
    try {
      log = (await gaps.logStates(topic, [partition])).get(partition);
    } catch (error) {
      this.#host.log.debug("log not read; fetching the batch again", { topic, partition, error });
      return false;
    }
    if (!log) return false;
    this.#idCheckedAt.set(topic, Date.now());
    this.#suspect.delete(topic);
    // A log ending before the position only counts below (a leader may report a lower end).
    return await this.#check(state, log, Number.POSITIVE_INFINITY);
  }

  /**
   * Reads each assigned partition's log (its topic id, start and end): the
   * lag (`onLog`), and a gap (a recreated topic or deleted records at once;
   * a stored offset beyond the end once it stayed so for `graceMs`). One
   * check at a time: during an outage a check waits for its requests'
   * timeouts, and checks started every few seconds would pile up behind it.
   */
  checkLogs(graceMs: number, onLog: (state: PartitionState) => void): Promise<void> {
    this.#running ??= this.#checkLogs(graceMs, onLog).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #checkLogs(graceMs: number, onLog: (state: PartitionState) => void): Promise<void> {
    const { partitions, gaps } = this.#host;
    try {
      // The log first, then the stored position: both only grow.
      const read = await gaps.logStatesOf(partitions.byTopic());
      for (const [topic, logs] of read) {
        for (const [partition, log] of logs) {
          const state = partitions.get(topic, partition);
          if (!state || this.#host.failed()) continue;
          state.logEnd = log.end;
          if (!state.checked) continue; // its assignment check is in progress
          onLog(state);
          await this.#check(state, log, graceMs);
        }
      }
    } catch (error) {
      this.#host.log.debug("logs not read", { error });
    }
  }

  /**
   * Where the partition stands, as a gap check compares it with the log: a
   * view's stored offset (or, before its first commit, where it started
   * reading), a processor's position (the group's offset, then its own);
   * with the id of the topic it counts in.
   */
  #standing(state: PartitionState): StoredPosition | undefined {
    const row = this.#host.gaps.stored(state.topic, state.partition);
    const offset = this.#host.kind === "processor"
      ? state.position ?? row?.offset
      : row?.offset ?? state.position;
    return offset === undefined ? undefined : { offset, topicId: row?.topicId ?? state.topicId };
  }

  /** Runs `fn` after the partition's gap checks in progress. */
  #exclusive<T>(state: PartitionState, fn: () => T | Promise<T>): Promise<T> {
    const run = (state.gapChecks ?? Promise.resolve()).then(fn);
    state.gapChecks = run.catch(() => {});
    return run;
  }

  /**
   * Checks the partition against `log` (read before: logs only grow) with
   * its position read now; applies the policy to a gap (`beyond-end` only
   * once it lasted `graceMs`). False when a gap was found.
   */
  #check(state: PartitionState, log: LogState, graceMs: number): Promise<boolean> {
    return this.#exclusive(state, () => {
      if (this.#host.failed()) return false;
      const gap = findGap(
        { topic: state.topic, partition: state.partition },
        this.#standing(state),
        this.#host.gaps.current(state.topic, log),
      );
      if (gap?.kind !== "beyond-end") state.beyondEndSince = undefined;
      if (!gap) return true;
      if (gap.kind === "beyond-end") {
        state.beyondEndSince ??= Date.now();
        if (Date.now() - state.beyondEndSince < graceMs) return true;
      }
      this.#onGap(gap);
      return false;
    });
  }

  /** Where to go on after a gap check's outcome (every partition from its start after a rebuild). */
  #resume(outcome: GapOutcome, planned: ResumeAt): ResumeAt {
    if (outcome.action === "none") return planned;
    if (outcome.action === "resume") return outcome.offset;
    for (const other of this.#host.partitions.all()) {
      other.position = undefined;
      this.#host.seek(other.topic, other.partition, "earliest");
    }
    return "earliest";
  }

  /** Applies the gap policy to a gap found while running (a `stop` fails the consumer). */
  #onGap(gap: Gap): void {
    try {
      const at = this.#resume(this.#host.gaps.apply(gap), "committed");
      if (typeof at !== "number") return;
      this.#host.seek(gap.topic, gap.partition, at);
      const state = this.#host.partitions.get(gap.topic, gap.partition);
      if (state) state.position = at;
    } catch (error) {
      this.#host.fail(error);
    }
  }
}
