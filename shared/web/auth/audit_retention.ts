/**
 * The audit log keeps a bounded history: entries older than `maxAgeDays`
 * go, then the oldest beyond `maxEntries`; anonymous failed logins (one
 * aggregated row per source and window, failed_logins.ts) are capped on
 * their own at `maxFailedLogins`, oldest first, so a flood of them can
 * never rotate out what users did. Pruning runs with the inserts, at most
 * once every `PRUNE_EVERY` entries or `PRUNE_INTERVAL_MS`.
 */
import { type DatabaseSync, statement } from "../../sqlite/sqlite.ts";

/** How much history the audit log keeps (`FRESHET_AUDIT_*`). */
export interface AuditRetention {
  /** Entries older than this many days are removed (default 180). */
  maxAgeDays: number;
  /** At most this many entries besides anonymous failed logins (default 100 000). */
  maxEntries: number;
  /** At most this many rows of anonymous failed logins (default 10 000). */
  maxFailedLogins: number;
}

/** The defaults, documented in the README. */
export const DEFAULT_AUDIT_RETENTION: AuditRetention = {
  maxAgeDays: 180,
  maxEntries: 100_000,
  maxFailedLogins: 10_000,
};

const PRUNE_EVERY = 100;
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Removes what `retention` no longer keeps; returns how many rows went. */
export function pruneAudit(db: DatabaseSync, retention: AuditRetention, now = Date.now()): number {
  const cutoff = new Date(now - retention.maxAgeDays * 86_400_000).toISOString();
  let removed = Number(statement(db, "DELETE FROM audit_log WHERE at < ?").run(cutoff).changes);
  for (const [kind, keep] of [[0, retention.maxEntries], [1, retention.maxFailedLogins]]) {
    removed += Number(
      statement(
        db,
        `DELETE FROM audit_log WHERE anonymous_failure = ? AND id <= (
          SELECT id FROM audit_log WHERE anonymous_failure = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      ).run(kind, kind, keep).changes,
    );
  }
  return removed;
}

const schedules = new WeakMap<DatabaseSync, { inserts: number; lastAt: number }>();

/** Prunes `db` when enough entries or time passed since the last time (called after inserts). */
export function pruneAuditSometimes(
  db: DatabaseSync,
  retention: AuditRetention,
  now = Date.now(),
): void {
  const schedule = schedules.get(db) ?? { inserts: 0, lastAt: 0 };
  schedules.set(db, schedule);
  schedule.inserts++;
  if (schedule.inserts < PRUNE_EVERY && now - schedule.lastAt < PRUNE_INTERVAL_MS) return;
  schedule.inserts = 0;
  schedule.lastAt = now;
  pruneAudit(db, retention, now);
}
