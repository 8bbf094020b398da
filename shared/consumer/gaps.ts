/**
 * The gaps a consumer accepted or rebuilt past (gap_policy.ts), kept in its
 * own database so they are never forgotten: shown on /health, the group
 * pages and the console for as long as the database lives. Also the
 * migration giving stored offsets the id of the topic they count in.
 */
import { type DatabaseSync, type Migration, statement } from "../sqlite/sqlite.ts";
import type { Gap, GapPolicy } from "./gap_policy.ts";

/** Migration: stored offsets carry the topic id (KIP-516) they count in. */
export const OFFSET_TOPIC_ID_MIGRATION: Migration = {
  version: 903,
  name: "stored offsets carry the topic id",
  up: "ALTER TABLE consumer_offsets ADD COLUMN topic_id TEXT",
};

/** Migration creating the gaps table. */
export const GAPS_MIGRATION: Migration = {
  version: 904,
  name: "consumer gaps",
  up: `CREATE TABLE consumer_gaps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('recreated', 'deleted', 'beyond-end')),
    from_offset INTEGER NOT NULL,
    to_offset INTEGER NOT NULL,
    old_topic_id TEXT,
    new_topic_id TEXT,
    policy TEXT NOT NULL CHECK (policy IN ('accept', 'rebuild')),
    detected_at INTEGER NOT NULL
  )`,
};

/** A recorded gap. */
export interface GapRecord {
  topic: string;
  partition: number;
  kind: Gap["kind"];
  /**
   * `deleted`: the offsets never read, `[from, to)`; `recreated`: the old
   * log's stored offset and the new log's start; `beyond-end`: the log's
   * start (read again from there) and the stored offset beyond its end.
   */
  from: number;
  to: number;
  oldTopicId: string | null;
  newTopicId: string | null;
  policy: Exclude<GapPolicy, "stop">;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Records `gap`, passed with `policy` (inside the transaction that moves the offset). */
export function recordGap(
  db: DatabaseSync,
  gap: Gap,
  policy: Exclude<GapPolicy, "stop">,
  now = Date.now(),
): void {
  // deleted: the offsets never read; recreated: the old log's position, the new log's start;
  // beyond-end: where the log is read from again (its start), the old position.
  const [from, to] = gap.kind === "beyond-end"
    ? [gap.resumeAt, gap.stored]
    : [gap.stored, gap.resumeAt];
  statement(
    db,
    `INSERT INTO consumer_gaps (topic, partition, kind, from_offset, to_offset, old_topic_id,
     new_topic_id, policy, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    gap.topic,
    gap.partition,
    gap.kind,
    from,
    to,
    gap.storedTopicId ?? null,
    gap.topicId ?? null,
    policy,
    now,
  );
}

/**
 * The ids `topic` had before it was recreated under this consumer (the old
 * ids of its recorded `recreated` gaps). A topic id is never given again,
 * so a broker naming one of them answers from metadata it has not caught
 * up on yet.
 */
export function retiredTopicIds(db: DatabaseSync, topic: string): Set<string> {
  const rows = statement(
    db,
    `SELECT DISTINCT old_topic_id FROM consumer_gaps
     WHERE topic = ? AND kind = 'recreated' AND old_topic_id IS NOT NULL
       AND (new_topic_id IS NULL OR new_topic_id != old_topic_id)`,
  ).all(topic);
  return new Set(rows.map((r) => String(r.old_topic_id)));
}

/** The newest `limit` gaps and how many there are. */
export function recentGaps(db: DatabaseSync, limit = 10): { total: number; gaps: GapRecord[] } {
  const total = Number(statement(db, "SELECT count(*) AS n FROM consumer_gaps").get()!.n);
  const gaps = statement(
    db,
    `SELECT topic, partition, kind, from_offset, to_offset, old_topic_id, new_topic_id, policy,
     detected_at FROM consumer_gaps ORDER BY id DESC LIMIT ?`,
  ).all(limit).map((r) => ({
    topic: String(r.topic),
    partition: Number(r.partition),
    kind: r.kind as Gap["kind"],
    from: Number(r.from_offset),
    to: Number(r.to_offset),
    oldTopicId: r.old_topic_id === null ? null : String(r.old_topic_id),
    newTopicId: r.new_topic_id === null ? null : String(r.new_topic_id),
    policy: r.policy as GapRecord["policy"],
    at: Number(r.detected_at),
  }));
  return { total, gaps };
}

/** The gaps reported by the consumers of `groupId` (a view's or a processor's instances). */
export function gapsOfGroup(
  statuses: readonly {
    groupId: string;
    name: string;
    gaps?: { total: number; recent: GapRecord[] };
  }[],
  groupId: string,
): { consumer: string; total: number; recent: GapRecord[] }[] {
  return statuses.filter((s) => s.groupId === groupId && s.gaps && s.gaps.total > 0)
    .map((s) => ({ consumer: s.name, total: s.gaps!.total, recent: s.gaps!.recent }));
}
