/**
 * Where a message is counted: in the buckets of its Kafka timestamp, at
 * the fine resolution (while that is within the fine retention) and at the
 * coarse one, both written as it is counted, so a long range reads only
 * the coarse rows. Older than the coarse retention: in no bucket (the
 * per-partition totals still count it). A timestamp from the future (a
 * producer's clock ahead) counts as now.
 */
import type { MonitorSettings } from "./config.ts";

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
  const coarse = {
    res: settings.coarseMs,
    t: Math.floor(ts / settings.coarseMs) * settings.coarseMs,
  };
  if (ts < now - settings.fineRetentionMs || settings.coarseMs === settings.sampleMs) {
    return [coarse];
  }
  return [
    { res: settings.sampleMs, t: Math.floor(ts / settings.sampleMs) * settings.sampleMs },
    coarse,
  ];
}
