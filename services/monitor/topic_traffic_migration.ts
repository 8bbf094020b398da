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
  // Each rollup from the coarsest finer series it is a multiple of (20 min from the 5-min rows),
  // a day (whole rollup buckets) at a time.
  const coarse = storedCoarseMs(db);
  const built = [coarse];
  for (const rollup of rollupsOf(coarse)) {
    const source = built.filter((r) => rollup % r === 0).at(-1)!;
    const span = db.prepare(
      "SELECT MIN(t) AS first, MAX(t) AS last FROM group_samples WHERE res = ?",
    ).get(source) as { first: number | null; last: number | null };
    const traffic = db.prepare(
      "SELECT MIN(t) AS first, MAX(t) AS last FROM topic_traffic WHERE res = ?",
    ).get(source) as { first: number | null; last: number | null };
    const ends = [span.first, span.last, traffic.first, traffic.last].filter((t) => t !== null)
      .map(Number);
    if (ends.length > 0) {
      const chunk = Math.floor(DAY_MS / rollup) * rollup;
      const first = Math.floor(Math.min(...ends) / rollup) * rollup;
      const last = Math.max(...ends);
      const chunks = Math.ceil((last + 1 - first) / chunk);
      for (let from = first, i = 1; from <= last; from += chunk, i++) {
        const args = { rollup, source, from, to: from + chunk };
        db.prepare(
          `INSERT INTO topic_traffic (res, t, topic, messages, bytes)
           SELECT :rollup, CAST(t / :rollup AS INTEGER) * :rollup AS b, topic, SUM(messages),
             SUM(bytes)
           FROM topic_traffic WHERE res = :source AND t >= :from AND t < :to GROUP BY b, topic`,
        ).run(args);
        db.prepare(
          `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status)
           SELECT grp, :rollup, CAST(t / :rollup AS INTEGER) * :rollup AS b, MAX(lag),
             MAX(lag_ms), MAX(status)
           FROM group_samples WHERE res = :source AND t >= :from AND t < :to GROUP BY grp, b`,
        ).run(args);
        if (chunks > 1) log.info("rollup", { res: rollup, day: `${i}/${chunks}` });
      }
    }
    built.push(rollup);
  }
}
