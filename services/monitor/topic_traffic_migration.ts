/**
 * Migration 3 of the monitor's database: traffic series per topic instead
 * of per partition, and the five- and twenty-minute rollups of traffic and
 * group lag (rollup.ts). Nothing read the per-partition series but the
 * range queries, which summed the partitions of each bucket (at 2,000
 * partitions, 20 million rows for a week); the per-partition totals stay
 * in `topic_totals`. Existing rows are summed into the new table a day at a
 * time with a progress line, then the old table is dropped (its pages are
 * reused; the file does not shrink without a VACUUM).
 */
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { createLogger } from "../../shared/core/log.ts";
import { DEFAULT_SETTINGS } from "./config.ts";
import { rollupsOf } from "./rollup.ts";

const DAY_MS = 86_400_000;

/** The per-topic series table. */
export const TOPIC_TRAFFIC_TABLE = `
  CREATE TABLE topic_traffic (
    res INTEGER NOT NULL, t INTEGER NOT NULL, topic TEXT NOT NULL,
    messages INTEGER NOT NULL, bytes INTEGER NOT NULL,
    PRIMARY KEY (res, t, topic)
  ) WITHOUT ROWID;
`;

function storedCoarseMs(db: DatabaseSync): number {
  const row = db.prepare("SELECT value FROM settings WHERE key = 'coarse_ms'").get();
  return row ? Number(row.value) : DEFAULT_SETTINGS.coarseMs;
}

/** Builds `topic_traffic` and the rollups from the rows there are, then drops `traffic`. */
export function migrateToTopicTraffic(db: DatabaseSync): void {
  const log = createLogger("monitor");
  db.exec(TOPIC_TRAFFIC_TABLE);
  const spans = db.prepare(
    "SELECT res, MIN(t) AS first, MAX(t) AS last FROM traffic GROUP BY res",
  ).all() as { res: number; first: number; last: number }[];
  const copy = db.prepare(
    `INSERT INTO topic_traffic (res, t, topic, messages, bytes)
     SELECT res, t, topic, SUM(messages), SUM(bytes) FROM traffic
     WHERE res = ? AND t >= ? AND t < ? GROUP BY res, t, topic`,
  );
  const days = spans.reduce((n, s) => n + Math.ceil((s.last + 1 - s.first) / DAY_MS), 0);
  let done = 0;
  for (const { res, first, last } of spans) {
    for (let from = Number(first); from <= Number(last); from += DAY_MS) {
      copy.run(res, from, from + DAY_MS);
      done++;
      if (days > 1) log.info("traffic per topic", { day: `${done}/${days}`, res: Number(res) });
    }
  }
  db.exec("DROP TABLE traffic");
  const coarse = storedCoarseMs(db);
  for (const rollup of rollupsOf(coarse)) {
    db.prepare(
      `INSERT INTO topic_traffic (res, t, topic, messages, bytes)
       SELECT ?1, CAST(t / ?1 AS INTEGER) * ?1 AS b, topic, SUM(messages), SUM(bytes)
       FROM topic_traffic WHERE res = ?2 GROUP BY b, topic`,
    ).run(rollup, coarse);
    db.prepare(
      `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status)
       SELECT grp, ?1, CAST(t / ?1 AS INTEGER) * ?1 AS b, MAX(lag), MAX(lag_ms), MAX(status)
       FROM group_samples WHERE res = ?2 GROUP BY grp, b`,
    ).run(rollup, coarse);
    if (days > 1) log.info("rollup written", { res: rollup });
  }
}
