/**
 * One run of a replay: each partition's range read forward from where the
 * replay stands, a chunk per partition in turn, the records matching its
 * filters sent to the target in batches at the replay's rate — each batch
 * claimed in the replay log before it is sent and settled once the broker
 * acknowledged it (replay_store.ts: at most once) — until the ranges end,
 * the run is cancelled (checked between batches; a batch under way
 * finishes and is settled) or a send fails.
 *
 * A copy keeps the record's key, value and headers, and adds
 * REPLAY_HEADERS (where it came from, its original time, the replay); the
 * target's partitioner places it by key and Kafka gives it a new time.
 */
import { Buffer } from "node:buffer";
import type { Producer } from "kafkajs";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { type RawRecord, rawRecord } from "../dlq/raw_record.ts";
import { compileFilter } from "../messages/filter.ts";
import { newReadStats, readRanges } from "../messages/range_reader.ts";
import { SCAN_PARTITION_BYTES } from "../messages/scan.ts";
import { claimReplay, releaseReplay, settleReplay, type StoredReplay } from "./replay_store.ts";

/** Headers a copy carries besides the original's. */
export const REPLAY_HEADERS = {
  /** `<topic>/<partition>/<offset>` of the original. */
  of: "freshet_replay_of",
  /** The original's timestamp (ISO 8601). */
  timestamp: "freshet_replay_timestamp",
  /** The replay's id. */
  id: "freshet_replay_id",
} as const;

/** Offsets read per partition per turn. */
export const REPLAY_CHUNK = 2_000;
/** Most records per send. */
export const MAX_BATCH = 500;

/** How a run ended. */
export type RunEnd =
  | { stop: "done" }
  | { stop: "cancelled" }
  | { stop: "failed"; error: string };

/** What a run needs. */
export interface RunDeps {
  reader: LogClient;
  producer(): Promise<Producer>;
  db: DatabaseSync;
  /** Aborted to cancel the run. */
  signal: AbortSignal;
  /** Clock and sleep (tests). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Paces sends at `ratePerSec` records a second, on average since the run began. */
export class Pacer {
  #next: number;
  constructor(readonly ratePerSec: number, startMs = performance.now()) {
    this.#next = startMs;
  }
  /** Milliseconds to wait before sending `n` more records. */
  take(n: number, at = performance.now()): number {
    const wait = Math.max(0, this.#next - at);
    this.#next = Math.max(this.#next, at) + (n * 1000) / this.ratePerSec;
    return wait;
  }
}

/** The copy of `record` the replay sends. */
export function replayMessage(
  replay: Pick<StoredReplay, "id" | "source">,
  record: RawRecord,
): { key: Buffer | null; value: Buffer | null; headers: Record<string, Buffer | string> } {
  const headers: Record<string, Buffer | string> = {};
  const own = new Set<string>(Object.values(REPLAY_HEADERS));
  for (const [name, value] of record.headers) {
    if (value !== null && !own.has(name)) headers[name] = Buffer.from(value);
  }
  headers[REPLAY_HEADERS.of] = `${replay.source}/${record.partition}/${record.offset}`;
  headers[REPLAY_HEADERS.timestamp] = new Date(record.timestamp).toISOString();
  headers[REPLAY_HEADERS.id] = String(replay.id);
  return {
    key: record.key === null ? null : Buffer.from(record.key),
    value: record.value === null ? null : Buffer.from(record.value),
    headers,
  };
}

function definitelyRefused(error: unknown): boolean {
  return (error as { name?: string })?.name === "KafkaJSProtocolError";
}

/** Runs `replay` (as beginRun left it) until it ends, is cancelled or fails. */
export async function runReplay(deps: RunDeps, replay: StoredReplay): Promise<RunEnd> {
  const { db, signal } = deps;
  const sleep = deps.sleep ?? abortableSleep;
  const test = compileFilter(replay.request.filter);
  const pacer = new Pacer(replay.request.ratePerSec);
  const batchSize = Math.max(1, Math.min(MAX_BATCH, Math.ceil(replay.request.ratePerSec / 10)));
  const positions = new Map(replay.partitions.map((p) => [p.partition, p.position]));
  const until = new Map(replay.partitions.map((p) => [p.partition, p.until]));
  const pending = () => [...positions].filter(([p, at]) => at < until.get(p)!).map(([p]) => p);

  for (let turn = pending(); turn.length > 0; turn = pending()) {
    for (const partition of turn) {
      if (signal.aborted) return { stop: "cancelled" };
      const from = positions.get(partition)!;
      const chunkEnd = Math.min(until.get(partition)!, from + REPLAY_CHUNK);
      const found: RawRecord[] = [];
      const stats = newReadStats();
      const reached = (await readRanges(
        deps.reader,
        replay.source,
        [{ partition, from, until: chunkEnd }],
        (c, p) => {
          if (test(c)) found.push(rawRecord(c, p));
        },
        { partitionMaxBytes: SCAN_PARTITION_BYTES, stats },
      )).get(partition)!;
      // Nothing readable below the chunk's end (transaction markers, compaction): skip it.
      const readTo = reached > from ? reached : chunkEnd;
      let settledAt = from;
      let scannedLeft = stats.scanned;
      for (let i = 0; i < found.length; i += batchSize) {
        if (signal.aborted) break;
        const batch = found.slice(i, i + batchSize);
        const last = i + batchSize >= found.length;
        const upTo = last ? readTo : batch.at(-1)!.offset + 1;
        await sleep(pacer.take(batch.length), signal);
        if (signal.aborted) break;
        claimReplay(db, replay.id, partition, upTo);
        try {
          const producer = await deps.producer();
          await producer.send({
            topic: replay.target,
            acks: -1,
            messages: batch.map((r) => replayMessage(replay, r)),
          });
        } catch (error) {
          if (definitelyRefused(error)) releaseReplay(db, replay.id, partition);
          return { stop: "failed", error: (error as Error)?.message ?? String(error) };
        }
        const scanned = last ? scannedLeft : Math.min(scannedLeft, upTo - settledAt);
        scannedLeft -= scanned;
        settleReplay(db, replay.id, partition, upTo, { sent: batch.length, scanned });
        settledAt = upTo;
      }
      if (found.length === 0) {
        settleReplay(db, replay.id, partition, readTo, { sent: 0, scanned: stats.scanned });
        settledAt = readTo;
      }
      positions.set(partition, settledAt);
      if (signal.aborted) return { stop: "cancelled" };
    }
  }
  return { stop: "done" };
}
