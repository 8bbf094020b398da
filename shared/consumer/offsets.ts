/**
 * Stored offsets: the next offset of each partition, kept in the consumer's
 * own SQLite and written in the same transaction as the state change. This
 * table, not Kafka's committed offsets, decides where a consumer resumes.
 */
import type { DatabaseSync, Migration } from "../sqlite/sqlite.ts";

/** Migration creating the offsets table. */
export const OFFSETS_MIGRATION: Migration = {
  version: 901,
  name: "consumer offsets",
  up: `CREATE TABLE consumer_offsets (
    topic TEXT NOT NULL,
    partition INTEGER NOT NULL,
    next_offset INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (topic, partition)
  )`,
};

/** Reads and writes stored offsets of one database. */
export interface OffsetStore {
  /** The next offset to process, or undefined when the partition was never processed. */
  get(topic: string, partition: number): number | undefined;
  /** Sets the next offset; call inside the batch's transaction. */
  set(topic: string, partition: number, nextOffset: number): void;
  /** Every stored offset. */
  all(): { topic: string; partition: number; next_offset: number }[];
}

/** The offset store of `db` (which must have OFFSETS_MIGRATION applied). */
export function offsetStore(db: DatabaseSync): OffsetStore {
  const select = db.prepare(
    "SELECT next_offset FROM consumer_offsets WHERE topic = ? AND partition = ?",
  );
  const upsert = db.prepare(
    `INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset,
     updated_at = excluded.updated_at`,
  );
  return {
    get(topic, partition) {
      const row = select.get(topic, partition);
      return row ? Number(row.next_offset) : undefined;
    },
    set(topic, partition, nextOffset) {
      upsert.run(topic, partition, nextOffset, Date.now());
    },
    all() {
      return db.prepare("SELECT topic, partition, next_offset FROM consumer_offsets ORDER BY 1, 2")
        .all() as unknown as { topic: string; partition: number; next_offset: number }[];
    },
  };
}
