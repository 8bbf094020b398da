/**
 * Outbox recovery by reading the log: after a crash or a send of unknown
 * outcome, rows left `sending` are looked up in their topic by their
 * `ce_id` header, from a little before they were marked.
 *
 * - Only headers are read: the Fetch's record batches are walked in place
 *   (shared/kafka/wire/record_batch.ts), values never copied; what is kept
 *   is the set of wanted ids found.
 * - Only the partitions the rows can be in: a keyed row is where its key
 *   hashes to (the relay's producer uses the default partitioner) for the
 *   topic's partition count now or any smaller one (partitions may have
 *   been added since it was sent); a row without a key may be in any.
 * - A scan that does not finish within `budgetMs` keeps its position and
 *   throws a retriable error; the next call for rows of the same topic
 *   goes on from there instead of starting again, so a busy topic drains
 *   at the reader's speed, however long that takes.
 */
import type { Kafka } from "kafkajs";
import { TransientError } from "../core/errors.ts";
import { keyPartition } from "../kafka/key_partition.ts";
import { LogClient } from "../kafka/wire/log_client.ts";
import { RecordCursor } from "../kafka/wire/record_batch.ts";
import type { OutboxRecovery, OutboxRow } from "./outbox.ts";

/** Clock skew allowance between this host and the broker's timestamps. */
const SKEW_MS = 10_000;
const CE_ID = new TextEncoder().encode("ce_id");
const decoder = new TextDecoder();

/** Options of a log recovery. */
export interface LogRecoveryOptions {
  /** Longest one call reads before it keeps its position and throws (default 10 000 ms). */
  budgetMs?: number;
  /** Bytes asked per fetch and partition (default 4 MiB). */
  fetchBytes?: number;
}

/** What a recovery read, for tests and logs. */
export interface RecoveryStats {
  /** Record bytes fetched since the recovery was created. */
  bytes: number;
  /** Records whose headers were read. */
  records: number;
  /** Partitions scanned (topic:partition). */
  partitions: Set<string>;
}

/** Where a partition's scan stands: the next offset, for rows marked since `since`. */
interface Progress {
  next: number;
  since: number;
}

/**
 * A recovery reading with `kafka` (no consumer group: the wire client reads
 * the partitions directly). `_groupPrefix` is kept for callers of the
 * group-based reader it replaces.
 */
export function logRecovery(
  kafka: Kafka,
  _groupPrefix = "",
  options: LogRecoveryOptions = {},
): OutboxRecovery & { stats: RecoveryStats } {
  const budgetMs = options.budgetMs ?? 10_000;
  const fetchBytes = options.fetchBytes ?? 4_194_304;
  // A scan that ran out of budget: per partition where it stands, and the ids found so far
  // (kept until a call finishes the topic, then forgotten).
  const progress = new Map<string, Progress>();
  const foundSoFar = new Map<string, Set<string>>();
  const stats: RecoveryStats = { bytes: 0, records: 0, partitions: new Set() };
  const recover = async (rows: OutboxRow[]): Promise<Set<string>> => {
    const found = new Set<string>();
    const deadline = Date.now() + budgetMs;
    const client = new LogClient(kafka);
    try {
      const byTopic = new Map<string, OutboxRow[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      for (const [topic, topicRows] of byTopic) {
        const seen = foundSoFar.get(topic) ?? new Set<string>();
        foundSoFar.set(topic, seen);
        await scanTopic(client, topic, topicRows, seen, deadline);
        for (const row of topicRows) if (seen.has(row.event_id)) found.add(row.event_id);
        foundSoFar.delete(topic);
        for (const key of [...progress.keys()]) {
          if (key.startsWith(`${topic}:`)) progress.delete(key);
        }
      }
      return found;
    } finally {
      await client.close();
    }
  };

  async function scanTopic(
    client: LogClient,
    topic: string,
    rows: OutboxRow[],
    found: Set<string>,
    deadline: number,
  ): Promise<void> {
    const all = await client.partitions(topic);
    const wanted = new Map<number, Set<string>>();
    for (const row of rows) {
      const partitions = row.key === null ? all : keyPartitions(row.key, all.length);
      for (const p of partitions) wanted.set(p, (wanted.get(p) ?? new Set()).add(row.event_id));
    }
    const since = Math.min(...rows.map((r) => r.sending_since ?? Date.now())) - SKEW_MS;
    const partitions = [...wanted.keys()];
    const [marks, fromTime] = await Promise.all([
      client.watermarks(topic, partitions),
      client.offsetsForTimestamp(topic, since, partitions),
    ]);
    for (const partition of partitions) {
      const key = `${topic}:${partition}`;
      const ids = wanted.get(partition)!;
      const { low, high } = marks.get(partition)!;
      const saved = progress.get(key);
      // Go on from a saved position if it covers these rows (they were marked after it began).
      const startAt = saved && saved.since <= since
        ? saved.next
        : Math.max(low, fromTime.get(partition)! < 0 ? high : fromTime.get(partition)!);
      let next = Math.max(startAt, low);
      stats.partitions.add(key);
      while (next < high && [...ids].some((id) => !found.has(id))) {
        if (Date.now() > deadline) {
          progress.set(key, { next, since: saved && saved.since <= since ? saved.since : since });
          throw new TransientError(
            `outbox recovery of ${topic} in progress: ${key} read to ${next} of ${high}; ` +
              "it goes on from there",
          );
        }
        const [fetched] = await client.fetch(topic, [{
          partition,
          fetchOffset: next,
          maxBytes: fetchBytes,
        }], { maxWaitMs: 0 });
        stats.bytes += fetched.records.byteLength;
        const cursor = new RecordCursor(fetched.records, {
          fromOffset: next,
          untilOffset: high,
          abortedTransactions: fetched.abortedTransactions,
        });
        while (cursor.next()) {
          stats.records++;
          const id = ceId(cursor);
          if (id !== undefined && ids.has(id)) found.add(id);
        }
        if (cursor.nextOffset <= next) break; // nothing more readable now
        next = cursor.nextOffset;
      }
      // Done with this partition for these rows: a later call of this episode skips it.
      progress.set(key, { next: Math.max(next, high), since: saved?.since ?? since });
    }
  }

  return Object.assign(recover, { stats });
}

/** Where `key` hashes to with `count` partitions or fewer, the current count's first. */
function keyPartitions(key: string, count: number): number[] {
  const out = [keyPartition(key, count)];
  for (let c = count - 1; c >= 1; c--) {
    const p = keyPartition(key, c);
    if (!out.includes(p)) out.push(p);
  }
  return out;
}

/** The `ce_id` header of the cursor's record, if any. */
function ceId(cursor: RecordCursor): string | undefined {
  let id: string | undefined;
  const b = cursor.bytes;
  cursor.forEachHeader((nameStart, nameLength, valueStart, valueLength) => {
    if (id !== undefined || nameLength !== CE_ID.length || valueLength < 0) return;
    for (let i = 0; i < CE_ID.length; i++) if (b[nameStart + i] !== CE_ID[i]) return;
    id = decoder.decode(b.subarray(valueStart, valueStart + valueLength));
  });
  return id;
}
