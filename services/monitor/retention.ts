/**
 * Retention and downsampling: samples older than the fine retention are
 * folded into coarse buckets (traffic summed; lag, offsets and status kept
 * at their maximum — the worst of the bucket — and the end-offset history
 * at the last point of each bucket), then the fine rows are deleted; rows
 * older than the coarse retention are deleted. Only whole coarse buckets
 * are folded, and folding is additive, so running it again (or after a
 * late row) changes nothing already folded.
 */
import { type DatabaseSync, transaction } from "../../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "./config.ts";

/** Rows folded and dropped by one pass, per table. */
export interface RetentionResult {
  folded: number;
  dropped: number;
}

const FOLDS: { table: string; sql: string }[] = [
  {
    table: "traffic",
    sql: `INSERT INTO traffic (t, res, topic, partition, messages, bytes)
      SELECT CAST(t / :coarse AS INTEGER) * :coarse, :coarse, topic, partition, SUM(messages), SUM(bytes)
      FROM traffic WHERE res = :fine AND t < :cutoff GROUP BY 1, topic, partition
      ON CONFLICT DO UPDATE SET messages = messages + excluded.messages,
      bytes = bytes + excluded.bytes`,
  },
  {
    table: "end_offsets",
    sql: `INSERT INTO end_offsets (topic, partition, res, t, end_offset)
      SELECT topic, partition, :coarse, MAX(t), MAX(end_offset)
      FROM end_offsets WHERE res = :fine AND t < :cutoff GROUP BY topic, partition, CAST(t / :coarse AS INTEGER)
      ON CONFLICT DO UPDATE SET end_offset = MAX(end_offset, excluded.end_offset)`,
  },
  {
    table: "partition_samples",
    sql: `INSERT INTO partition_samples
      (grp, topic, partition, res, t, committed, end_offset, lag, lag_ms, status)
      SELECT grp, topic, partition, :coarse, CAST(t / :coarse AS INTEGER) * :coarse, MAX(committed),
        MAX(end_offset), MAX(lag), MAX(lag_ms), MAX(status)
      FROM partition_samples WHERE res = :fine AND t < :cutoff
      GROUP BY grp, topic, partition, CAST(t / :coarse AS INTEGER)
      ON CONFLICT DO UPDATE SET committed = MAX(committed, excluded.committed),
      end_offset = MAX(end_offset, excluded.end_offset), lag = MAX(lag, excluded.lag),
      lag_ms = MAX(COALESCE(lag_ms, excluded.lag_ms), COALESCE(excluded.lag_ms, lag_ms)),
      status = MAX(status, excluded.status)`,
  },
  {
    table: "group_samples",
    sql: `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status)
      SELECT grp, :coarse, CAST(t / :coarse AS INTEGER) * :coarse, MAX(lag), MAX(lag_ms), MAX(status)
      FROM group_samples WHERE res = :fine AND t < :cutoff GROUP BY grp, CAST(t / :coarse AS INTEGER)
      ON CONFLICT DO UPDATE SET lag = MAX(lag, excluded.lag),
      lag_ms = MAX(COALESCE(lag_ms, excluded.lag_ms), COALESCE(excluded.lag_ms, lag_ms)),
      status = MAX(status, excluded.status)`,
  },
];

/** Folds and drops what has aged, in one transaction. */
export function applyRetention(
  db: DatabaseSync,
  settings: MonitorSettings,
  now = Date.now(),
): RetentionResult {
  const fine = settings.sampleMs;
  const coarse = settings.coarseMs;
  const cutoff = Math.floor((now - settings.fineRetentionMs) / coarse) * coarse;
  const dropBefore = now - settings.coarseRetentionMs;
  return transaction(db, () => {
    let folded = 0;
    let dropped = 0;
    for (const { table, sql } of FOLDS) {
      if (coarse !== fine) {
        db.prepare(sql).run({ coarse, fine, cutoff });
        folded += Number(
          db.prepare(`DELETE FROM ${table} WHERE res = ? AND t < ?`).run(fine, cutoff).changes,
        );
      }
      dropped += Number(db.prepare(`DELETE FROM ${table} WHERE t < ?`).run(dropBefore).changes);
    }
    return { folded, dropped };
  });
}
