/**
 * Reads offset ranges of several partitions of one topic with raw fetches:
 * one Fetch request per leader per round for every partition still
 * pending, the next round requested before this one's records are walked
 * (batch headers say where each partition continues), and each record
 * given to `visit` in place. Used by pages (a few hundred messages) and
 * scans (millions) alike.
 */
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { type FetchedPartition, FetchError } from "../../../shared/kafka/wire/fetch_request.ts";
import { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

/** Offsets [from, until) of one partition. */
export interface PartitionRange {
  partition: number;
  from: number;
  until: number;
}

/** Counters of what a read cost. */
export interface ReadStats {
  /** Fetch requests sent. */
  fetches: number;
  /** Record bytes received. */
  bytes: number;
  /** Records walked within the ranges. */
  scanned: number;
}

/** A new zeroed `ReadStats`. */
export function newReadStats(): ReadStats {
  return { fetches: 0, bytes: 0, scanned: 0 };
}

/** Called for each record of the ranges, in offset order per partition. */
export type Visit = (cursor: RecordCursor, partition: number) => void;

/** Options of `readRanges`. */
export interface ReadRangesOptions {
  /** Bytes asked per partition per fetch (grown when a batch is larger). */
  partitionMaxBytes: number;
  stats: ReadStats;
  /** Checked between rounds: an aborted read stops there. */
  signal?: AbortSignal;
  /** Called after each round with each partition's position (the next offset to read). */
  onRound?: (positions: ReadonlyMap<number, number>) => void;
  /** Called before each round; false stops the whole read (budgets). */
  proceed?: () => boolean;
  /** Stop once `stats.scanned` reaches this (a message budget, exact to the record). */
  maxScanned?: number;
}

const MAX_PARTITION_BYTES = 64 * 1024 * 1024;

/** Where a partition's data continues after `records`: offset after the last complete batch. */
function scanBatchHeaders(records: Uint8Array, from: number): { next: number; needBytes: number } {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let at = 0;
  let next = from;
  while (at + 12 <= records.byteLength) {
    const length = view.getInt32(at + 8);
    if (at + 12 + length > records.byteLength) {
      return { next, needBytes: next === from ? length + 12 : 0 };
    }
    const base = view.getInt32(at) * 4_294_967_296 + view.getUint32(at + 4);
    const lastDelta = records.byteLength >= at + 27 ? view.getInt32(at + 23) : 0;
    next = Math.max(next, base + lastDelta + 1);
    at += 12 + length;
  }
  return { next, needBytes: 0 };
}

/**
 * Reads `ranges` to their ends, or until `proceed` says stop or `signal`
 * aborts (checked between rounds), or `maxScanned` records were walked
 * (checked at each record); returns each partition's position: the offset
 * reading would continue at (every record below it was visited).
 */
export async function readRanges(
  client: LogClient,
  topic: string,
  ranges: PartitionRange[],
  visit: Visit,
  options: ReadRangesOptions,
): Promise<Map<number, number>> {
  const positions = new Map<number, number>(); // walked up to here
  const ahead = new Map<number, number>(); // fetched (or asked for) up to here
  const until = new Map<number, number>();
  const maxBytes = new Map<number, number>();
  const pending = new Set<number>();
  for (const r of ranges) {
    positions.set(r.partition, r.from);
    ahead.set(r.partition, r.from);
    until.set(r.partition, r.until);
    maxBytes.set(r.partition, options.partitionMaxBytes);
    if (r.from < r.until) pending.add(r.partition);
  }
  const maxScanned = options.maxScanned ?? Infinity;
  const stats = options.stats;
  const request = (): Promise<FetchedPartition[]> | undefined => {
    if (pending.size === 0 || options.signal?.aborted || stats.scanned >= maxScanned) {
      return undefined;
    }
    if (options.proceed && !options.proceed()) return undefined;
    stats.fetches++;
    return client.fetch(
      topic,
      [...pending].map((p) => ({
        partition: p,
        fetchOffset: ahead.get(p)!,
        maxBytes: maxBytes.get(p)!,
      })),
    );
  };

  let inFlight = request();
  while (inFlight) {
    let fetched: FetchedPartition[];
    try {
      fetched = await inFlight;
    } catch (error) {
      if (!(error instanceof FetchError) || error.errorCode !== 1) throw error;
      // Retention removed the start of a range meanwhile: continue at the log's new start.
      const marks = await client.watermarks(topic, [...pending]);
      for (const p of pending) {
        const at = Math.max(positions.get(p)!, marks.get(p)!.low);
        positions.set(p, at);
        ahead.set(p, at);
      }
      inFlight = request();
      continue;
    }
    for (const f of fetched) {
      stats.bytes += f.records.byteLength;
      const from = ahead.get(f.partition)!;
      const { next, needBytes } = scanBatchHeaders(f.records, from);
      if (next > from) ahead.set(f.partition, next);
      else if (needBytes > 0 && needBytes <= MAX_PARTITION_BYTES) {
        maxBytes.set(f.partition, Math.max(maxBytes.get(f.partition)!, needBytes));
      } else pending.delete(f.partition); // nothing more to read below the stable end
      if (ahead.get(f.partition)! >= until.get(f.partition)!) pending.delete(f.partition);
    }
    // Ask for the next round now; its bytes travel while this round is walked.
    inFlight = request();
    for (const f of fetched) {
      const partition = f.partition;
      const cursor = new RecordCursor(f.records, {
        fromOffset: positions.get(partition)!,
        untilOffset: until.get(partition)!,
        abortedTransactions: f.abortedTransactions,
      });
      let stoppedAt = -1;
      while (cursor.next()) {
        if (stats.scanned >= maxScanned) {
          stoppedAt = cursor.offset;
          break;
        }
        stats.scanned++;
        visit(cursor, partition);
      }
      if (stoppedAt >= 0) {
        positions.set(partition, stoppedAt);
        inFlight?.catch(() => {});
        inFlight = undefined;
        break;
      }
      // A batch may run past the range's end: its records there were not visited.
      positions.set(
        partition,
        Math.min(until.get(partition)!, Math.max(positions.get(partition)!, cursor.nextOffset)),
      );
    }
    options.onRound?.(positions);
  }
  return positions;
}
