/**
 * What the monitor's consume loop writes: for one fetched batch of one
 * partition, its topic's counts per time bucket, the partition's running totals,
 * its newest messages and its next offset — in one SQLite transaction, so
 * the counts are exact across crashes and restarts (a batch is counted
 * with the offset that follows it, or not at all).
 */
import { type OffsetStore, offsetStore } from "../../shared/consumer/offsets.ts";
import { type DatabaseSync, statement, transaction } from "../../shared/sqlite/sqlite.ts";
import type { Bucket } from "./buckets.ts";
import { FEED_PER_TOPIC, type FeedMessage } from "./feed.ts";

/**
 * Adds the counts of one partition to one bucket of its topic's series
 * (call inside a transaction): the series are per topic (the per-partition
 * split is kept in the totals only, `topic_totals`).
 */
export function addTraffic(
  db: DatabaseSync,
  row: {
    t: number;
    res: number;
    topic: string;
    partition: number;
    messages: number;
    bytes: number;
  },
): void {
  statement(
    db,
    `INSERT INTO topic_traffic (res, t, topic, messages, bytes) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET messages = messages + excluded.messages,
     bytes = bytes + excluded.bytes`,
  ).run(row.res, row.t, row.topic, row.messages, row.bytes);
}

/** The counts of one batch of one partition. */
export interface CountedBatch {
  topic: string;
  partition: number;
  /** Offset after the batch's last message. */
  nextOffset: number;
  messages: number;
  bytes: number;
  /** Bucket key `res:t` → counts. */
  buckets: Map<string, { bucket: Bucket; messages: number; bytes: number }>;
  /** The batch's newest messages (at most FEED_PER_TOPIC). */
  feed: FeedMessage[];
}

/** Reads and writes the traffic tables of the monitor's database. */
export class TrafficStore {
  readonly db: DatabaseSync;
  #offsets: OffsetStore;
  #next = new Map<string, number | undefined>();

  constructor(db: DatabaseSync) {
    this.db = db;
    this.#offsets = offsetStore(db);
  }

  /** The next offset to count of a partition, or undefined when it was never counted. */
  nextOffset(topic: string, partition: number): number | undefined {
    const key = `${topic}:${partition}`;
    if (!this.#next.has(key)) this.#next.set(key, this.#offsets.get(topic, partition));
    return this.#next.get(key);
  }

  /** Applies one batch in one transaction. */
  apply(batch: CountedBatch, now = Date.now()): void {
    const db = this.db;
    transaction(db, () => {
      for (const { bucket, messages, bytes } of batch.buckets.values()) {
        addTraffic(db, {
          ...bucket,
          topic: batch.topic,
          partition: batch.partition,
          messages,
          bytes,
        });
      }
      statement(
        db,
        `INSERT INTO topic_totals (topic, partition, messages, bytes, last_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET messages = messages + excluded.messages,
         bytes = bytes + excluded.bytes, last_at = excluded.last_at`,
      ).run(batch.topic, batch.partition, batch.messages, batch.bytes, now);
      if (batch.feed.length > 0) {
        const insert = statement(
          db,
          `INSERT INTO feed (topic, partition, "offset", timestamp, key, value, headers)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const m of batch.feed) {
          insert.run(
            m.topic,
            m.partition,
            m.offset,
            m.timestamp,
            m.key,
            m.value,
            JSON.stringify(m.headers),
          );
        }
        statement(
          db,
          `DELETE FROM feed WHERE topic = ?1 AND id <= (
             SELECT id FROM feed WHERE topic = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
        ).run(batch.topic, FEED_PER_TOPIC);
      }
      this.#offsets.set(batch.topic, batch.partition, batch.nextOffset);
    });
    this.#next.set(`${batch.topic}:${batch.partition}`, batch.nextOffset);
  }

  /** Forgets where a partition was (its log was recreated): counting starts again at its start. */
  resetPartition(topic: string, partition: number): void {
    statement(this.db, "DELETE FROM consumer_offsets WHERE topic = ? AND partition = ?")
      .run(topic, partition);
    this.#next.delete(`${topic}:${partition}`);
  }

  /** Forgets a deleted topic: its offsets, totals and feed (its past traffic stays in the series). */
  forgetTopic(topic: string): void {
    transaction(this.db, () => {
      for (const table of ["consumer_offsets", "topic_totals", "feed"]) {
        statement(this.db, `DELETE FROM ${table} WHERE topic = ?`).run(topic);
      }
    });
    for (const key of this.#next.keys()) {
      if (key.slice(0, key.lastIndexOf(":")) === topic) this.#next.delete(key);
    }
  }

  /** Topics with stored offsets. */
  knownTopics(): string[] {
    return statement(this.db, "SELECT DISTINCT topic FROM consumer_offsets ORDER BY topic")
      .all().map((row) => String(row.topic));
  }
}
