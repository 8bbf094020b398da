/**
 * The monitor's database as the alerts read it (the way the monitor's own
 * pages do, services/monitor/web/): each group's latest sample and every
 * topic's message count for the conditions, and a group's lag samples
 * over a window for its error budget (error_budget.ts).
 */
import { type DatabaseSync, statement } from "../../shared/sqlite/sqlite.ts";
import { GROUP_STATUSES, type MonitorSettings } from "../monitor/mod.ts";
import type { MonitorView } from "./conditions/snapshot.ts";

type Row = Record<string, unknown>;

/** The monitor's latest samples and counts. */
export function monitorView(db: DatabaseSync, settings: MonitorSettings): MonitorView {
  const groups = (statement(db, "SELECT grp, lag, lag_ms, status, error, at FROM group_state")
    .all() as Row[]).map((r) => ({
      group: String(r.grp),
      lag: Number(r.lag),
      lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
      status: GROUP_STATUSES[Number(r.status)] ?? "ERROR",
      error: r.error === null ? null : String(r.error),
      at: Number(r.at),
    }));
  const topicTotals = new Map(
    (statement(db, "SELECT topic, SUM(messages) AS n FROM topic_totals GROUP BY topic")
      .all() as Row[]).map((r) => [String(r.topic), Number(r.n)]),
  );
  return { sampleMs: settings.sampleMs, groups, topicTotals };
}

/** Time a group spent within and beyond a target, from the monitor's samples. */
export interface LagTime {
  /** Time covered by samples with a known lag in time (ms). */
  knownMs: number;
  /** Of which above the target. */
  aboveMs: number;
  /** Time covered by samples whose lag in time was unknown. */
  unknownMs: number;
  /** The oldest sample counted (ms), or null when there is none. */
  from: number | null;
}

/**
 * How long `group` was within and beyond `targetMs` over `(now - windowMs,
 * now]`: the fine samples where they are kept, the coarse (folded, worst
 * of each bucket) ones before; each sample counts for its resolution.
 */
export function lagTime(
  db: DatabaseSync,
  settings: MonitorSettings,
  options: { group: string; targetMs: number; windowMs: number; now: number },
): LagTime {
  const from = options.now - options.windowMs;
  const fineStart = statement(
    db,
    "SELECT MIN(t) AS t FROM group_samples WHERE grp = ? AND res = ? AND t > ?",
  ).get(options.group, settings.sampleMs, from) as Row | undefined;
  const fineFrom = fineStart?.t === null || fineStart?.t === undefined
    ? options.now + 1
    : Number(fineStart.t);
  const count = statement(
    db,
    `SELECT COUNT(*) AS n, MIN(t) AS first,
       SUM(CASE WHEN lag_ms IS NULL THEN 1 ELSE 0 END) AS unknown,
       SUM(CASE WHEN lag_ms > ? THEN 1 ELSE 0 END) AS above
     FROM group_samples WHERE grp = ? AND res = ? AND t > ? AND t < ?`,
  );
  const fine = count.get(
    options.targetMs,
    options.group,
    settings.sampleMs,
    fineFrom - 1,
    options.now + 1,
  ) as Row;
  const coarse = settings.coarseMs === settings.sampleMs
    ? { n: 0, unknown: 0, above: 0, first: null }
    : count.get(options.targetMs, options.group, settings.coarseMs, from, fineFrom) as Row;
  const n = (r: Row, k: string) => Number(r[k] ?? 0);
  const firsts = [coarse.first, fine.first].filter((t) => t !== null && t !== undefined).map(
    Number,
  );
  return {
    knownMs: (n(fine, "n") - n(fine, "unknown")) * settings.sampleMs +
      (n(coarse, "n") - n(coarse, "unknown")) * settings.coarseMs,
    aboveMs: n(fine, "above") * settings.sampleMs + n(coarse, "above") * settings.coarseMs,
    unknownMs: n(fine, "unknown") * settings.sampleMs + n(coarse, "unknown") * settings.coarseMs,
    from: firsts.length > 0 ? Math.min(...firsts) : null,
  };
}
