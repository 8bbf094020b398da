/**
 * Where a message is counted: in the buckets of its Kafka timestamp, at
 * the fine resolution (while that is within the fine retention), at the
 * coarse one and at the five- and twenty-minute rollups (rollup.ts), all
 * written as it is counted, so a long range reads only the coarser rows.
 * Older than the coarse retention: in no bucket (the per-partition totals
 * still count it). A timestamp from the future (a producer's clock ahead)
 * counts as now.
 */
import type { MonitorSettings } from "./config.ts";
import { rollupsOf } from "./rollup.ts";

/** A time bucket: its resolution and start, milliseconds. */
export interface Bucket {
  res: number;
  t: number;
}

/** The buckets of a message stamped `timestamp` (none when too old to keep). */
export function bucketsOf(
  timestamp: number,
  now: number,
  settings: Pick<
    MonitorSettings,
    "sampleMs" | "coarseMs" | "fineRetentionMs" | "coarseRetentionMs"
  >,
): Bucket[] {
  const ts = Number.isFinite(timestamp) ? Math.min(timestamp, now) : now;
  if (ts < now - settings.coarseRetentionMs) return [];
  const at = (res: number): Bucket => ({ res, t: Math.floor(ts / res) * res });
  const coarser = [settings.coarseMs, ...rollupsOf(settings.coarseMs)].map(at);
  if (ts < now - settings.fineRetentionMs || settings.coarseMs === settings.sampleMs) {
    return coarser;
  }
  return [at(settings.sampleMs), ...coarser];
}
