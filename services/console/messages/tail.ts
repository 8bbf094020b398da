/**
 * Live tail: the messages arriving on a topic from now on, read by
 * long-polling fetches from the end offsets. At most `maxPerSecond`
 * messages are materialised and handed on (a token bucket, so a quiet topic
 * shows every message at once); the rest are only counted as skipped, so a
 * busy topic cannot flood a browser or this server.
 */
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import type { MessageView } from "./message_view.ts";
import { recordView } from "./record_view.ts";
import { RecordCursor } from "../../../shared/kafka/wire/record_batch.ts";

/** Options of `tailTopic`. */
export interface TailOptions {
  /** Only this partition; all when undefined. */
  partition?: number;
  /** Messages shown per second at most (default 20). */
  maxPerSecond?: number;
  /** How long the broker holds a fetch open waiting for data (default 500 ms). */
  pollMs?: number;
  signal: AbortSignal;
  /** Called once the end offsets are known: every message after this moment is tailed. */
  onStart?(ends: Record<number, number>): void;
  /** Called after each fetch with what is shown and how many were skipped since the last call. */
  onMessages(messages: MessageView[], skipped: number): void;
}

/** Tails `topic` until `signal` aborts. */
export async function tailTopic(
  client: LogClient,
  topic: string,
  options: TailOptions,
): Promise<void> {
  const rate = options.maxPerSecond ?? 20;
  const partitions = options.partition !== undefined
    ? [options.partition]
    : await client.partitions(topic);
  const marks = await client.watermarks(topic, partitions);
  const positions = new Map([...marks].map(([p, m]) => [p, m.high]));
  options.onStart?.(Object.fromEntries(positions));
  const maxBytes = new Map(partitions.map((p) => [p, 1024 * 1024]));
  let tokens = rate;
  let refilledAt = performance.now();
  while (!options.signal.aborted) {
    const fetched = await client.fetch(
      topic,
      [...positions].map(([partition, fetchOffset]) => ({
        partition,
        fetchOffset,
        maxBytes: maxBytes.get(partition)!,
      })),
      { maxWaitMs: options.pollMs ?? 500 },
    );
    if (options.signal.aborted) break;
    const now = performance.now();
    tokens = Math.min(rate, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    const shown: MessageView[] = [];
    let skipped = 0;
    for (const f of fetched) {
      const from = positions.get(f.partition)!;
      const cursor = new RecordCursor(f.records, {
        fromOffset: from,
        abortedTransactions: f.abortedTransactions,
      });
      while (cursor.next()) {
        if (tokens >= 1) {
          tokens--;
          shown.push(recordView(cursor, f.partition));
        } else skipped++;
      }
      if (cursor.nextOffset > from) positions.set(f.partition, cursor.nextOffset);
      else if (f.records.byteLength >= 12) {
        // One batch larger than asked for: ask for all of it next time.
        const view = new DataView(f.records.buffer, f.records.byteOffset, 12);
        maxBytes.set(f.partition, Math.min(64 * 1024 * 1024, view.getInt32(8) + 12));
      }
    }
    if (shown.length > 0 || skipped > 0) options.onMessages(shown, skipped);
  }
}
