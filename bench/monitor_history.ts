/**
 * A simulated history for the monitor's database, written straight into
 * SQLite (not by waiting): `topics` topics holding `partitions` partitions,
 * `groups` groups (group i reads topic i mod topics, every partition of it),
 * every partition busy in every sample, over `days` days ending at `now` —
 * what the monitor would have left after that long with retention applied:
 * the last fine retention at the sampling period, the rest folded into the
 * coarse resolution (traffic per topic and group lag at every resolution,
 * the rollups included, as they are written), the latest state of
 * each group and partition, a feed.
 *
 * The values are shaped like a monitor's (counts that vary by partition and
 * minute, lag that comes and goes), not a consistent replay: the pages and
 * queries read the same rows, as many as a real week leaves.
 */
import { type DatabaseSync, transaction } from "../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "../services/monitor/config.ts";
import { FEED_PER_TOPIC } from "../services/monitor/feed.ts";
import { writeSettings } from "../services/monitor/monitor_database.ts";
import { rollupsOf } from "../services/monitor/rollup.ts";
import { spread } from "./scale_section.ts";

/** The size of the simulated cluster and history. */
export interface HistoryShape {
  days: number;
  topics: number;
  partitions: number;
  groups: number;
}

/** One simulated partition: its topic, number, global index and the groups reading it. */
export interface SimPartition {
  topic: string;
  partition: number;
  index: number;
}

/** What a history holds: its layout, its sample times and the rows of each table. */
export interface HistoryPlan {
  topicNames: string[];
  groupNames: string[];
  /** Topic index each group reads. */
  groupTopic: number[];
  layout: SimPartition[];
  /** Coarse bucket starts, oldest first: from, to (inclusive), count. */
  coarse: { from: number; to: number; count: number };
  /** Fine sample times (the last fine retention, whole coarse buckets): from, to, count. */
  fine: { from: number; to: number; count: number };
  /** Each rollup's bucket starts (none when the coarse resolution is as coarse). */
  rollups: { res: number; from: number; to: number; count: number }[];
  /** Rows each table gets. */
  rows: Record<string, number>;
}

/** The plan of a history of `shape` ending at `now` under `settings` (no database needed). */
export function historyPlan(
  shape: HistoryShape,
  settings: MonitorSettings,
  now: number,
  prefix = "sim.",
): HistoryPlan {
  const { sampleMs, coarseMs } = settings;
  const span = Math.min(shape.days * 86_400_000, settings.coarseRetentionMs);
  const counts = spread(shape.topics, shape.partitions);
  const topicNames = counts.map((_, i) => `${prefix}t${String(i).padStart(4, "0")}`);
  const groupNames = Array.from(
    { length: shape.groups },
    (_, i) => `${prefix}g${String(i).padStart(4, "0")}`,
  );
  const groupTopic = groupNames.map((_, i) => i % shape.topics);
  const layout: SimPartition[] = [];
  counts.forEach((n, t) => {
    for (let p = 0; p < n; p++) {
      layout.push({ topic: topicNames[t], partition: p, index: layout.length });
    }
  });
  const coarseTo = Math.floor(now / coarseMs) * coarseMs;
  const coarseFrom = Math.ceil((now - span) / coarseMs) * coarseMs;
  // Retention keeps fine rows from this coarse bucket on (retention.ts).
  const fineFrom = Math.max(
    coarseFrom,
    Math.floor((now - settings.fineRetentionMs) / coarseMs) * coarseMs,
  );
  const fineTo = Math.floor(now / sampleMs) * sampleMs;
  const coarse = { from: coarseFrom, to: coarseTo, count: (coarseTo - coarseFrom) / coarseMs + 1 };
  const fine = { from: fineFrom, to: fineTo, count: (fineTo - fineFrom) / sampleMs + 1 };
  // Retention drops a rollup bucket that starts before the coarse retention.
  const rollups = rollupsOf(coarseMs).map((res) => {
    const from = Math.ceil((now - span) / res) * res;
    const to = Math.floor(now / res) * res;
    return { res, from, to, count: (to - from) / res + 1 };
  });
  // Folded series hold coarse rows only before the fine ones begin.
  const folded = (fineFrom - coarseFrom) / coarseMs;
  const groupPartitions = groupTopic.reduce((sum, t) => sum + counts[t], 0);
  const distinct = coarseMs === sampleMs;
  const series = (distinct ? coarse.count : coarse.count + fine.count) +
    rollups.reduce((n, r) => n + r.count, 0);
  const foldedRows = distinct ? coarse.count : folded + fine.count;
  return {
    topicNames,
    groupNames,
    groupTopic,
    layout,
    coarse,
    fine,
    rollups,
    rows: {
      topic_traffic: counts.length * series,
      group_samples: shape.groups * series,
      partition_samples: groupPartitions * foldedRows,
      end_offsets: layout.length * foldedRows,
      topic_totals: layout.length,
      group_state: shape.groups,
      partition_latest: groupPartitions,
      feed: shape.topics * FEED_PER_TOPIC,
    },
  };
}

/**
 * Writes the history of `shape` ending at `now` into the monitor's
 * database `db` (empty series expected), with `settings` stored as the
 * monitor stores them. Returns the plan (its row counts are what was written).
 */
export function fillMonitorHistory(
  db: DatabaseSync,
  shape: HistoryShape,
  settings: MonitorSettings,
  now: number,
  prefix = "sim.",
): HistoryPlan {
  const plan = historyPlan(shape, settings, now, prefix);
  const { sampleMs: fine, coarseMs: coarse } = settings;
  const perCoarse = coarse / fine;
  // Written fast: the rollback journal in memory and no syncs (a failed fill is thrown away;
  // SQLite's defensive mode refuses no journal at all), a large cache, and the series' secondary
  // indexes set aside and built again at the end, as the migration wrote them.
  const indexes = db.prepare(
    `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
     AND tbl_name IN ('topic_traffic', 'end_offsets', 'partition_samples', 'group_samples')`,
  ).all() as { name: string; sql: string }[];
  db.exec(`
    PRAGMA journal_mode = MEMORY;
    PRAGMA synchronous = OFF;
    PRAGMA cache_size = -262144;
    ${indexes.map((i) => `DROP INDEX ${i.name};`).join("\n")}
    CREATE TEMP TABLE sim_partitions (topic TEXT, partition INTEGER, idx INTEGER);
    CREATE INDEX temp.sim_partitions_by_topic ON sim_partitions (topic, idx);
    CREATE TEMP TABLE sim_topics (topic TEXT);
    CREATE TEMP TABLE sim_groups (grp TEXT, gi INTEGER, topic TEXT, partitions INTEGER);
    CREATE TEMP TABLE sim_fine (t INTEGER);
    CREATE TEMP TABLE sim_coarse (t INTEGER);
  `);
  try {
    transaction(db, () => {
      writeSettings(db, settings);
      const part = db.prepare("INSERT INTO sim_partitions VALUES (?, ?, ?)");
      for (const p of plan.layout) part.run(p.topic, p.partition, p.index);
      const topic = db.prepare("INSERT INTO sim_topics VALUES (?)");
      for (const name of plan.topicNames) topic.run(name);
      const counts = new Map<string, number>();
      for (const p of plan.layout) counts.set(p.topic, (counts.get(p.topic) ?? 0) + 1);
      const group = db.prepare("INSERT INTO sim_groups VALUES (?, ?, ?, ?)");
      plan.groupNames.forEach((g, i) => {
        const topic = plan.topicNames[plan.groupTopic[i]];
        group.run(g, i, topic, counts.get(topic)!);
      });
      const times = (table: string, { from, to }: { from: number; to: number }, step: number) =>
        db.prepare(
          `WITH RECURSIVE s(t) AS (SELECT ? UNION ALL SELECT t + ? FROM s WHERE t + ? <= ?)
           INSERT INTO ${table} SELECT t FROM s`,
        ).run(from, step, step, to);
      times("sim_fine", plan.fine, fine);
      times("sim_coarse", plan.coarse, coarse);
    });
    // Per fine sample: 1–20 messages a partition, varying by minute and partition; ~300 B each.
    const m = `(1 + ((t / ${coarse} + idx * 7) % 20))`;
    // Lag (messages) comes and goes by minute and partition; its time is half a second a message.
    const lag = `((t / ${coarse} + idx) % 50)`;
    const end = `(10 * ((t - ${plan.coarse.from}) / ${fine}))`;
    const distinct = coarse !== fine;
    const statements: string[] = [
      // Traffic per topic (its partitions summed) at both resolutions, in its key's order.
      `INSERT INTO topic_traffic (res, t, topic, messages, bytes)
       SELECT ${coarse}, t, topic, n * ${perCoarse}, n * ${perCoarse} * 300 FROM (
         SELECT t, topic, (SELECT SUM(${m}) FROM sim_partitions p WHERE p.topic = s.topic) AS n
         FROM sim_coarse CROSS JOIN sim_topics s ORDER BY sim_coarse.rowid, s.rowid)`,
      ...(distinct
        ? [`INSERT INTO topic_traffic (res, t, topic, messages, bytes)
       SELECT ${fine}, t, topic, n, n * 300 FROM (
         SELECT t, topic, (SELECT SUM(${m}) FROM sim_partitions p WHERE p.topic = s.topic) AS n
         FROM sim_fine CROSS JOIN sim_topics s ORDER BY sim_fine.rowid, s.rowid)`]
        : []),
      // The rollups: the sum (traffic) and the worst (group lag) of their coarse rows.
      ...plan.rollups.map((r) =>
        `INSERT INTO topic_traffic (res, t, topic, messages, bytes)
         SELECT ${r.res}, CAST(t / ${r.res} AS INTEGER) * ${r.res} AS b, topic, SUM(messages),
           SUM(bytes)
         FROM topic_traffic WHERE res = ${coarse} AND t >= ${r.from} GROUP BY b, topic`
      ),
      // End offsets: folded (a coarse bucket's last sample) before the fine rows, then fine.
      `INSERT INTO end_offsets (topic, partition, res, t, end_offset)
       SELECT topic, partition, res, t, ${end} FROM sim_partitions CROSS JOIN (
         SELECT ${coarse} AS res, t + ${
        coarse - fine
      } AS t FROM sim_coarse WHERE t < ${plan.fine.from}
         UNION ALL SELECT ${fine}, t FROM sim_fine${distinct ? "" : " WHERE 0"})
       ORDER BY sim_partitions.rowid`,
      // Every group's partitions, folded then fine; key (grp, topic, partition, t, res).
      `INSERT INTO partition_samples
       (grp, topic, partition, res, t, committed, end_offset, lag, lag_ms, status)
       SELECT grp, p.topic, p.partition, res, t, ${end} - ${lag}, ${end}, ${lag}, ${lag} * 500, 0
       FROM sim_groups g CROSS JOIN sim_partitions p ON p.topic = g.topic CROSS JOIN (
         SELECT ${coarse} AS res, t FROM sim_coarse WHERE t < ${plan.fine.from}
         UNION ALL SELECT ${fine}, t FROM sim_fine${distinct ? "" : " WHERE 0"})
       ORDER BY g.rowid, p.rowid`,
      // Group lag at both resolutions (the worst of the bucket).
      `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status)
       SELECT grp, res, t, ((t / ${coarse} + gi) % 50) * partitions, ((t / ${coarse} + gi) % 50) * 500, 0
       FROM sim_groups CROSS JOIN (
         SELECT ${coarse} AS res, t FROM sim_coarse
         UNION ALL SELECT ${fine}, t FROM sim_fine${distinct ? "" : " WHERE 0"})
       ORDER BY sim_groups.rowid`,
      ...plan.rollups.map((r) =>
        `INSERT INTO group_samples (grp, res, t, lag, lag_ms, status)
         SELECT grp, ${r.res}, CAST(t / ${r.res} AS INTEGER) * ${r.res} AS b, MAX(lag),
           MAX(lag_ms), MAX(status)
         FROM group_samples WHERE res = ${coarse} AND t >= ${r.from} GROUP BY grp, b`
      ),
      // The latest state.
      `INSERT INTO topic_totals (topic, partition, messages, bytes, last_at)
       SELECT topic, partition, ${10 * (plan.fine.count + plan.coarse.count * perCoarse)},
         ${3000 * (plan.fine.count + plan.coarse.count * perCoarse)}, ${now} FROM sim_partitions`,
      `INSERT INTO group_state (grp, state, protocol_type, members, lag, lag_ms, status, error, at)
       SELECT grp, 'Stable', 'consumer',
         '[{"memberId":"m-' || gi || '","clientId":"c-' || gi || '","host":"/10.0.0.1","assignment":[]}]',
         ((${plan.fine.to} / ${coarse} + gi) % 50) * partitions, 4000, 0, NULL, ${plan.fine.to}
       FROM sim_groups`,
      `INSERT INTO partition_latest
       (grp, topic, partition, committed, end_offset, lag, lag_ms, status, owner, at)
       SELECT grp, p.topic, p.partition, ${end} - ${lag}, ${end}, ${lag}, ${lag} * 500, 0,
         'c-' || gi, t
       FROM sim_groups g CROSS JOIN sim_partitions p ON p.topic = g.topic
         CROSS JOIN (SELECT ${plan.fine.to} AS t)`,
    ];
    for (const sql of statements) transaction(db, () => db.exec(sql));
    const feed = db.prepare(
      `INSERT INTO feed (topic, partition, "offset", timestamp, key, value, headers)
       VALUES (?, 0, ?, ?, ?, ?, '{}')`,
    );
    transaction(db, () => {
      for (const topic of plan.topicNames) {
        for (let i = 0; i < FEED_PER_TOPIC; i++) {
          feed.run(topic, i, now - (FEED_PER_TOPIC - i) * 1_000, `key-${i}`, `{"n":${i}}`);
        }
      }
    });
  } finally {
    db.exec(`DROP TABLE temp.sim_partitions; DROP TABLE temp.sim_groups; DROP TABLE temp.sim_topics;
      DROP TABLE temp.sim_fine; DROP TABLE temp.sim_coarse;
      ${indexes.map((i) => `${i.sql};`).join("\n")}
      PRAGMA cache_size = -2000;
      PRAGMA synchronous = NORMAL;
      PRAGMA journal_mode = WAL;`);
  }
  return plan;
}
