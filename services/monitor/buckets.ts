/**
 * Where a message is counted: in the bucket of its Kafka timestamp, at the
 * fine resolution while that is within the fine retention, at the coarse
 * one after, and in no bucket once older than the coarse retention (the
 * per-partition totals still count it). A timestamp from the future (a
 * producer's clock ahead) counts as now.
 */
import type { MonitorSettings } from "./config.ts";

/** A time bucket: its resolution and start, milliseconds. */
export interface Bucket {
  res: number;
  t: number;
}

/** The bucket of a message stamped `timestamp`, or undefined when too old to keep. */
export function bucketOf(
  timestamp: number,
  now: number,
  settings: Pick<
    MonitorSettings,
    "sampleMs" | "coarseMs" | "fineRetentionMs" | "coarseRetentionMs"
  >,
): Bucket | undefined {
  const ts = Number.isFinite(timestamp) ? Math.min(timestamp, now) : now;
  if (ts < now - settings.coarseRetentionMs) return undefined;
  const res = ts < now - settings.fineRetentionMs ? settings.coarseMs : settings.sampleMs;
  return { res, t: Math.floor(ts / res) * res };
}
