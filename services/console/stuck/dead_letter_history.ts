/**
 * A record's dead-letter history: every dead letter, on the dead-letter
 * topics that go with its topic (the console's conventions: `<topic>.dlq`,
 * `.DLT`, `-dlt`, `dlq-<topic>` …), whose headers name this topic,
 * partition and offset as its origin — with whether and when each was
 * redriven (the redrive log). Each candidate topic is read whole, within a
 * budget (dead-letter topics are small; a budget spent says so).
 */
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { conventionInfo, isDeadLetterTopic } from "../dlq/conventions.ts";
import { rawRecord } from "../dlq/raw_record.ts";
import { type RedriveRecord, redriveRecords } from "../dlq/redrive_log.ts";
import { newReadStats, readRanges } from "../messages/range_reader.ts";

/** One dead letter of the record. */
export interface DeadLetterOfRecord {
  dlqTopic: string;
  partition: number;
  offset: number;
  timestamp: number;
  error: string | null;
  code: string | null;
  consumer: string | null;
  group: string | null;
  /** Its redrive, if it was redriven. */
  redrive?: RedriveRecord;
}

/** The history, and whether every candidate topic was read whole. */
export interface DeadLetterHistory {
  topics: string[];
  letters: DeadLetterOfRecord[];
  complete: boolean;
}

/** The dead-letter topics among `topics` that go with `topic`. */
export function deadLetterTopicsOf(topic: string, topics: readonly string[]): string[] {
  return topics.filter((t) =>
    t !== topic && isDeadLetterTopic(t) &&
    (t.startsWith(`${topic}.`) || t.startsWith(`${topic}-`) || t.endsWith(`-${topic}`) ||
      t.endsWith(`.${topic}`) || t.endsWith(`_${topic}`))
  ).sort();
}

/** The dead letters whose origin is `topic`/`partition`/`offset`. */
export async function deadLetterHistory(
  reader: LogClient,
  db: DatabaseSync,
  origin: { topic: string; partition: number; offset: number; topics: readonly string[] },
  options: { maxScanned?: number } = {},
): Promise<DeadLetterHistory> {
  const topics = deadLetterTopicsOf(origin.topic, origin.topics);
  const letters: DeadLetterOfRecord[] = [];
  let complete = true;
  const maxScanned = options.maxScanned ?? 200_000;
  for (const dlqTopic of topics) {
    const marks = await reader.watermarks(dlqTopic);
    const ranges = [...marks].map(([partition, m]) => ({ partition, from: m.low, until: m.high }));
    const stats = newReadStats();
    const found: DeadLetterOfRecord[] = [];
    const reached = await readRanges(reader, dlqTopic, ranges, (cursor, partition) => {
      const record = rawRecord(cursor, partition);
      const info = conventionInfo((name) =>
        record.headers.findLast(([n]) => n === name)?.[1] ?? null
      );
      if (
        info.originalTopic === origin.topic && info.originalPartition === origin.partition &&
        info.originalOffset === origin.offset
      ) {
        found.push({
          dlqTopic,
          partition,
          offset: record.offset,
          timestamp: record.timestamp,
          error: info.error,
          code: info.code,
          consumer: info.consumer,
          group: info.group,
        });
      }
    }, { partitionMaxBytes: 4 * 1024 * 1024, stats, maxScanned });
    complete &&= ranges.every((r) => reached.get(r.partition)! >= r.until);
    const redrives = redriveRecords(db, dlqTopic, found);
    for (const letter of found) {
      letters.push({ ...letter, redrive: redrives.get(`${letter.partition}:${letter.offset}`) });
    }
  }
  return { topics, letters, complete };
}
