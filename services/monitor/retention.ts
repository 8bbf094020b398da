/**
 * Retention and downsampling. Traffic (per topic) and group lag are written
 * at every resolution as they are recorded — the sampling period, the
 * coarse one, the five- and twenty-minute rollups (counts summed, lag and
 * status at the worst of the bucket) — so long ranges read only coarse
 * rows; their fine rows are deleted once older than the fine retention,
 * the others with the coarse retention. The per-partition samples and the
 * end-offset history are folded when they age (lag, offsets and status at
 * their maximum; the end-offset history at each bucket's last point), then
 * their fine rows deleted. Rows older than the coarse retention are
 * deleted. Only whole coarse buckets are folded, and folding keeps maxima,
 * so running it again changes nothing.
 */
import { type DatabaseSync, transaction } from "../../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "./config.ts";

/** Rows folded and dropped by one pass, per table. */
export interface RetentionResult {
  folded: number;
  dropped: number;
}

/** Series written at every resolution as they are recorded: their fine rows just age out. */
const ROLLED_UP = ["topic_traffic", "group_samples"];

/** Series folded into the coarse resolution when their fine rows age out. */
const FOLDS: { table: string; sql: string }[] = [
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
    for (const { sql } of FOLDS) {
      if (coarse !== fine) db.prepare(sql).run({ coarse, fine, cutoff });
    }
    for (const table of [...FOLDS.map((f) => f.table), ...ROLLED_UP]) {
      if (coarse !== fine) {
        folded += Number(
          db.prepare(`DELETE FROM ${table} WHERE res = ? AND t < ?`).run(fine, cutoff).changes,
        );
      }
      dropped += Number(db.prepare(`DELETE FROM ${table} WHERE t < ?`).run(dropBefore).changes);
    }
    return { folded, dropped };
  });
}
