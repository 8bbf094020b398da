/**
 * The replay log (tables `replays` and `replay_partitions` of the console
 * database, version 100: a service's migrations sit above the kernel's
 * 1-99): what each replay copies, where it stands and how it ended. This
 * is what makes a replay at-most-once: a batch's offsets are **claimed**
 * (`claimed` moves up) before its records are sent, and **settled**
 * (`position` moves up to the claim, `sent` counts them) once the broker
 * acknowledged them. A claim the process never settled — it stopped, or a
 * send had an unknown outcome — is never sent again: resuming moves the
 * position past it and records the range as `unknown`. Only a send the
 * broker definitely refused releases its claim.
 */
import {
  type DatabaseSync,
  type Migration,
  statement,
  transaction,
} from "../../../shared/sqlite/sqlite.ts";
import type { ReplayRequest } from "./replay_input.ts";

/** The replay log's tables. */
export const REPLAYS_MIGRATION: Migration = {
  version: 100,
  name: "replays",
  up: `CREATE TABLE replays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_topic TEXT NOT NULL,
    target_topic TEXT NOT NULL,
    request TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'cancelled', 'done', 'failed')),
    error TEXT,
    user_name TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    scanned INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    unknown TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE replay_partitions (
    replay_id INTEGER NOT NULL REFERENCES replays (id),
    partition INTEGER NOT NULL,
    from_offset INTEGER NOT NULL,
    until_offset INTEGER NOT NULL,
    position INTEGER NOT NULL,
    claimed INTEGER NOT NULL,
    PRIMARY KEY (replay_id, partition)
  );`,
};

/** A replay's state as stored (`interrupted` is a `running` one no process runs: replay_runner.ts). */
export type StoredState = "running" | "cancelled" | "done" | "failed";

/** One partition's range and where the replay stands in it. */
export interface ReplayPartition {
  partition: number;
  from: number;
  /** Exclusive. */
  until: number;
  /** Every offset below was replayed (sent, or read and not matching). */
  position: number;
  /** Every offset below was claimed; above `position`, a send under way or of unknown outcome. */
  claimed: number;
}

/** A replay as stored. */
export interface StoredReplay {
  id: number;
  source: string;
  target: string;
  request: ReplayRequest;
  state: StoredState;
  error: string | null;
  user: string | null;
  createdAt: string;
  updatedAt: string;
  /** Records read, over every run. */
  scanned: number;
  /** Records sent and acknowledged. */
  sent: number;
  /** Offset ranges whose send had an unknown outcome, skipped when resumed (never sent twice). */
  unknown: { partition: number; from: number; until: number }[];
  partitions: ReplayPartition[];
}

const now = () => new Date().toISOString();

/** Records a new replay (state `running`) of `ranges`; its id. */
export function createReplay(
  db: DatabaseSync,
  replay: {
    source: string;
    target: string;
    request: ReplayRequest;
    user: string | null;
    ranges: { partition: number; from: number; until: number }[];
  },
): number {
  return transaction(db, () => {
    const at = now();
    const { lastInsertRowid } = statement(
      db,
      `INSERT INTO replays (source_topic, target_topic, request, state, user_name, created_at, updated_at)
       VALUES (?, ?, ?, 'running', ?, ?, ?)`,
    ).run(replay.source, replay.target, JSON.stringify(replay.request), replay.user, at, at);
    const id = Number(lastInsertRowid);
    const insert = statement(
      db,
      `INSERT INTO replay_partitions (replay_id, partition, from_offset, until_offset, position, claimed)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const r of replay.ranges) insert.run(id, r.partition, r.from, r.until, r.from, r.from);
    return id;
  });
}

function fromRow(db: DatabaseSync, row: Record<string, unknown>): StoredReplay {
  const id = Number(row.id);
  const partitions = statement(
    db,
    `SELECT partition, from_offset, until_offset, position, claimed FROM replay_partitions
     WHERE replay_id = ? ORDER BY partition`,
  ).all(id).map((p) => ({
    partition: Number(p.partition),
    from: Number(p.from_offset),
    until: Number(p.until_offset),
    position: Number(p.position),
    claimed: Number(p.claimed),
  }));
  return {
    id,
    source: String(row.source_topic),
    target: String(row.target_topic),
    request: JSON.parse(String(row.request)),
    state: row.state as StoredState,
    error: row.error as string | null,
    user: row.user_name as string | null,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    scanned: Number(row.scanned),
    sent: Number(row.sent),
    unknown: JSON.parse(String(row.unknown)),
    partitions,
  };
}

/** The replay `id`, or undefined. */
export function getReplay(db: DatabaseSync, id: number): StoredReplay | undefined {
  const row = statement(db, "SELECT * FROM replays WHERE id = ?").get(id);
  return row ? fromRow(db, row) : undefined;
}

/** The newest replays first (of `source` when given). */
export function listReplays(
  db: DatabaseSync,
  options: { source?: string; limit?: number } = {},
): StoredReplay[] {
  const limit = options.limit ?? 50;
  const rows = options.source === undefined
    ? statement(db, "SELECT * FROM replays ORDER BY id DESC LIMIT ?").all(limit)
    : statement(db, "SELECT * FROM replays WHERE source_topic = ? ORDER BY id DESC LIMIT ?")
      .all(options.source, limit);
  return rows.map((row) => fromRow(db, row));
}

/** Claims `partition`'s offsets below `upTo` before their records are sent. */
export function claimReplay(db: DatabaseSync, id: number, partition: number, upTo: number): void {
  statement(
    db,
    "UPDATE replay_partitions SET claimed = MAX(claimed, ?) WHERE replay_id = ? AND partition = ?",
  ).run(upTo, id, partition);
}

/** Settles the claim: every offset below `upTo` replayed, `sent` records acknowledged. */
export function settleReplay(
  db: DatabaseSync,
  id: number,
  partition: number,
  upTo: number,
  counts: { sent: number; scanned: number },
): void {
  transaction(db, () => {
    statement(
      db,
      `UPDATE replay_partitions SET position = MAX(position, ?), claimed = MAX(claimed, ?)
       WHERE replay_id = ? AND partition = ?`,
    ).run(upTo, upTo, id, partition);
    statement(
      db,
      "UPDATE replays SET sent = sent + ?, scanned = scanned + ?, updated_at = ? WHERE id = ?",
    ).run(counts.sent, counts.scanned, now(), id);
  });
}

/** Releases `partition`'s claim above its position (the broker definitely refused the send). */
export function releaseReplay(db: DatabaseSync, id: number, partition: number): void {
  statement(
    db,
    "UPDATE replay_partitions SET claimed = position WHERE replay_id = ? AND partition = ?",
  ).run(id, partition);
}

/** Sets how the replay stands (`error` with `failed`). */
export function setReplayState(
  db: DatabaseSync,
  id: number,
  state: StoredState,
  error: string | null = null,
): void {
  statement(db, "UPDATE replays SET state = ?, error = ?, updated_at = ? WHERE id = ?")
    .run(state, error, now(), id);
}

/**
 * Starts a run (a new replay or a resumed one): every claim never settled
 * is recorded as `unknown` and skipped — its records may have been sent —
 * and the replay is `running` again. Returns it.
 */
export function beginRun(db: DatabaseSync, id: number): StoredReplay {
  return transaction(db, () => {
    const replay = getReplay(db, id);
    if (!replay) throw new RangeError(`no replay ${id}`);
    const unknown = [...replay.unknown];
    for (const p of replay.partitions) {
      if (p.claimed <= p.position) continue;
      unknown.push({ partition: p.partition, from: p.position, until: p.claimed });
      statement(
        db,
        "UPDATE replay_partitions SET position = claimed WHERE replay_id = ? AND partition = ?",
      ).run(id, p.partition);
    }
    statement(
      db,
      "UPDATE replays SET state = 'running', error = NULL, unknown = ?, updated_at = ? WHERE id = ?",
    ).run(JSON.stringify(unknown), now(), id);
    return getReplay(db, id)!;
  });
}
