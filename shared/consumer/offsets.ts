/**
 * Stored offsets: the next offset of each partition, kept in the consumer's
 * own SQLite and written in the same transaction as the state change. This
 * table, not Kafka's committed offsets, decides where a view resumes.
 *
 * Writes are a compare-and-set: a batch advances a partition only from the
 * offset it was read against. A batch fetched before a seek, or applied by
 * a consumer that lost the partition, finds another value and is refused
 * (its transaction rolls back).
 */
import type { DatabaseSync, Migration } from "../sqlite/sqlite.ts";
import { statement } from "../sqlite/sqlite.ts";

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

/** The stored offset moved since the batch read it: the batch must not be applied. */
export class OffsetConflictError extends Error {
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly expected: number | undefined,
    readonly found: number | undefined,
  ) {
    super(
      `stored offset of ${topic}/${partition} is ${found ?? "unset"}, not ${
        expected ?? "unset"
      } as this batch expected: another consumer advanced it, or the batch is stale`,
    );
    this.name = "OffsetConflictError";
  }
}

/** Reads and writes stored offsets of one database. */
export interface OffsetStore {
  /** The next offset to process, or undefined when the partition was never processed. */
  get(topic: string, partition: number): number | undefined;
  /**
   * Moves the partition from `expected` (undefined: never stored) to
   * `nextOffset`; call inside the batch's transaction. Throws
   * OffsetConflictError when the stored value is not `expected`.
   */
  advance(topic: string, partition: number, expected: number | undefined, nextOffset: number): void;
  /** Sets the next offset unconditionally (rebuilds, tools). */
  set(topic: string, partition: number, nextOffset: number): void;
  /** Every stored offset. */
  all(): { topic: string; partition: number; next_offset: number }[];
}

/** The offset store of `db` (which must have OFFSETS_MIGRATION applied). */
export function offsetStore(db: DatabaseSync): OffsetStore {
  const get = (topic: string, partition: number) => {
    const row = statement(
      db,
      "SELECT next_offset FROM consumer_offsets WHERE topic = ? AND partition = ?",
    ).get(topic, partition);
    return row ? Number(row.next_offset) : undefined;
  };
  return {
    get,
    advance(topic, partition, expected, nextOffset) {
      const now = Date.now();
      const changes = expected === undefined
        ? statement(
          db,
          `INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at)
           VALUES (?, ?, ?, ?) ON CONFLICT (topic, partition) DO NOTHING`,
        ).run(topic, partition, nextOffset, now).changes
        : statement(
          db,
          `UPDATE consumer_offsets SET next_offset = ?, updated_at = ?
           WHERE topic = ? AND partition = ? AND next_offset = ?`,
        ).run(nextOffset, now, topic, partition, expected).changes;
      if (Number(changes) !== 1) {
        throw new OffsetConflictError(topic, partition, expected, get(topic, partition));
      }
    },
    set(topic, partition, nextOffset) {
      statement(
        db,
        `INSERT INTO consumer_offsets (topic, partition, next_offset, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (topic, partition) DO UPDATE SET next_offset = excluded.next_offset,
         updated_at = excluded.updated_at`,
      ).run(topic, partition, nextOffset, Date.now());
    },
    all() {
      return db.prepare("SELECT topic, partition, next_offset FROM consumer_offsets ORDER BY 1, 2")
        .all() as unknown as { topic: string; partition: number; next_offset: number }[];
    },
  };
}
