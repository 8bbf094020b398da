/**
 * Watches a consumer's stored positions against the logs (gap_policy.ts):
 * on every assignment, when a batch does not start where the consumer
 * stands, and every few seconds while it runs. A gap is handled by the
 * consumer's policy: `stop` throws LogGapError (the runner stops, saying
 * why); `accept` records the gap and moves the stored offset to where the
 * log is now, in one transaction; `rebuild` (views with a `reset`) clears
 * the view, forgets every stored offset and records the gap, in one
 * transaction, and the runner reads every partition again from its start.
 *
 * Stored offsets carry the id of the topic they count in: stamped when a
 * partition's position is confirmed against the log, and on the first
 * commit of a partition the database has never seen.
 */
import type { Kafka } from "kafkajs";
import type { Logger } from "../core/log.ts";
import { LogClient } from "../kafka/wire/log_client.ts";
import type { MetadataTopic } from "../kafka/wire/metadata_request.ts";
import { type DatabaseSync, statement, transaction } from "../sqlite/sqlite.ts";
import type { ConsumerDefinition } from "./define.ts";
import {
  describeGap,
  findGap,
  type Gap,
  type GapPolicy,
  LogGapError,
  type LogState,
  type StoredPosition,
} from "./gap_policy.ts";
import { type GapRecord, recentGaps, recordGap, retiredTopicIds } from "./gaps.ts";
import type { OffsetStore } from "./offsets.ts";

/** What the watch needs. */
export interface GapWatchOptions {
  kafka: Kafka;
  db: DatabaseSync;
  definition: ConsumerDefinition;
  offsets: OffsetStore;
  policy: GapPolicy;
  log: Logger;
}

/** What a gap check decided. */
export type GapOutcome =
  /** No gap: resume as planned. */
  | { action: "none" }
  /** Gap accepted: resume at `offset`. */
  | { action: "resume"; offset: number }
  /** The view was cleared: every partition resumes at its log's start. */
  | { action: "rebuilt" };

/** Checks stored positions against the logs and applies the gap policy. */
export class GapWatch {
  #options: GapWatchOptions;
  #client: LogClient;
  #gaps: { total: number; gaps: GapRecord[] };

  constructor(options: GapWatchOptions) {
    this.#options = options;
    this.#client = new LogClient(options.kafka);
    this.#gaps = recentGaps(options.db, 5);
  }

  /** The gaps recorded in the database: how many, and the newest few. */
  get recorded(): { total: number; gaps: GapRecord[] } {
    return this.#gaps;
  }

  /**
   * The logs of `partitions` of `topic` now: id, start and end. An empty
   * map when the topic does not exist (deleted, not yet created again).
   */
  async logStates(topic: string, partitions: number[]): Promise<Map<number, LogState>> {
    return (await this.logStatesOf(new Map([[topic, partitions]]))).get(topic) ?? new Map();
  }

  /**
   * `logStates` of several topics: one Metadata request for them all (the
   * periodic log check asks every few seconds for every topic it reads),
   * then each topic's offsets from its leaders.
   */
  async logStatesOf(
    wanted: Map<string, number[]>,
  ): Promise<Map<string, Map<number, LogState>>> {
    const metadata = await this.#client.topicMetadata([...wanted.keys()]);
    const states = new Map<string, Map<number, LogState>>();
    for (const [topic, partitions] of wanted) {
      states.set(topic, await this.#logStates(topic, partitions, metadata.get(topic)));
    }
    return states;
  }

  async #logStates(
    topic: string,
    partitions: number[],
    meta: MetadataTopic | undefined,
  ): Promise<Map<number, LogState>> {
    if (!meta || meta.errorCode !== 0) return new Map();
    const known = new Set(meta.partitions.map((p) => p.partition));
    const wanted = partitions.filter((p) => known.has(p));
    if (wanted.length === 0) return new Map();
    const marks = await this.#client.watermarks(topic, wanted);
    return new Map(
      [...marks].map(([p, w]) => [p, { start: w.low, end: w.high, topicId: meta.topicId }]),
    );
  }

  /**
   * `log` as a gap check may trust it: without its topic id when that id
   * is one the topic had before it was recreated under this consumer. A
   * broker whose metadata lags still names the old id after a recreation
   * was handled; read as a second recreation, it made an `accept` sink read
   * the new log again (the fault campaign, seed 173: 124 items applied two
   * or three times). Asked when the check decides, not when the log was
   * read: a check that read the old id may decide after another recorded
   * the recreation. The offsets are still compared.
   */
  current(topic: string, log: LogState): LogState {
    if (!log.topicId || !retiredTopicIds(this.#options.db, topic).has(log.topicId)) return log;
    this.#options.log.debug("a broker named the topic's old id; its id is not compared", {
      topic,
      topicId: log.topicId,
    });
    return { ...log, topicId: undefined };
  }

  /** What the database stored for a partition (`offset` replaces the stored offset, e.g. Kafka's). */
  stored(topic: string, partition: number, offset?: number): StoredPosition | undefined {
    const row = statement(
      this.#options.db,
      "SELECT next_offset, topic_id FROM consumer_offsets WHERE topic = ? AND partition = ?",
    ).get(topic, partition);
    const at = offset ?? (row ? Number(row.next_offset) : undefined);
    if (at === undefined) return undefined;
    return { offset: at, topicId: row?.topic_id ? String(row.topic_id) : undefined };
  }

  /** Stamps the partition's stored offset (if it has none yet) with the topic's id. */
  stamp(topic: string, partition: number, topicId: string | undefined): void {
    if (!topicId) return;
    statement(
      this.#options.db,
      `UPDATE consumer_offsets SET topic_id = ?
       WHERE topic = ? AND partition = ? AND topic_id IS NULL`,
    ).run(topicId, topic, partition);
  }

  /**
   * Compares `stored` with `log` for one partition and applies the policy.
   * Throws LogGapError under `stop`.
   */
  handle(
    where: { topic: string; partition: number },
    stored: StoredPosition | undefined,
    read: LogState,
  ): GapOutcome {
    const log = this.current(where.topic, read);
    const gap = findGap(where, stored, log);
    if (!gap) {
      this.stamp(where.topic, where.partition, log.topicId);
      return { action: "none" };
    }
    return this.apply(gap, log);
  }

  /** Applies the policy to `gap`. */
  apply(gap: Gap, log?: LogState): GapOutcome {
    const { db, definition, offsets, policy } = this.#options;
    if (policy === "stop") {
      throw new LogGapError(gap, definition.name, { log, rebuild: canRebuild(definition) });
    }
    if (policy === "rebuild") {
      transaction(db, () => {
        definition.reset!(db);
        db.exec("DELETE FROM consumer_offsets");
        recordGap(db, gap, "rebuild");
      });
      this.#gaps = recentGaps(db, 5);
      this.#options.log.warn(`${describeGap(gap, log)}: rebuilding from the topics' start`, {
        policy,
      });
      return { action: "rebuilt" };
    }
    transaction(db, () => {
      recordGap(db, gap, "accept");
      offsets.set(gap.topic, gap.partition, gap.resumeAt);
      statement(db, "UPDATE consumer_offsets SET topic_id = ? WHERE topic = ? AND partition = ?")
        .run(gap.topicId ?? null, gap.topic, gap.partition);
    });
    this.#gaps = recentGaps(db, 5);
    this.#options.log.warn(`${describeGap(gap, log)}: gap accepted, going on at ${gap.resumeAt}`, {
      policy,
    });
    return { action: "resume", offset: gap.resumeAt };
  }

  /** Closes the watch's connections. */
  close(): Promise<void> {
    return this.#client.close();
  }
}

/** Whether `definition` can be rebuilt from its topics (a view with a `reset`). */
export function canRebuild(definition: ConsumerDefinition): boolean {
  return (definition.kind ?? "view") === "view" && typeof definition.reset === "function";
}
