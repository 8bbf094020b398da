/**
 * The monitor's SQLite (`data/monitor/monitor.db`): counts per topic per
 * time bucket (and per partition in all), the newest messages of each
 * topic, the history of end offsets, lag samples per group and partition,
 * and the latest state of every group. Series carry their resolution
 * (`res`, milliseconds): samples start at the sampling period and are
 * folded into the coarse resolution when they age (retention.ts); traffic
 * and group lag also have five- and twenty-minute rollups (rollup.ts).
 */
import type { Migration } from "../../shared/sqlite/sqlite.ts";
import { migrateToTopicTraffic } from "./topic_traffic_migration.ts";

/** The monitor's name: its data folder, database, and Worker. */
export const MONITOR_SERVICE = "monitor";

/** The monitor's tables. */
export const MONITOR_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "monitor series",
  up: `
    CREATE TABLE settings (key TEXT PRIMARY KEY, value INTEGER NOT NULL);

    CREATE TABLE traffic (
      t INTEGER NOT NULL, res INTEGER NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
      messages INTEGER NOT NULL, bytes INTEGER NOT NULL,
      PRIMARY KEY (res, t, topic, partition)
    ) WITHOUT ROWID;

    CREATE TABLE topic_totals (
      topic TEXT NOT NULL, partition INTEGER NOT NULL,
      messages INTEGER NOT NULL, bytes INTEGER NOT NULL, last_at INTEGER NOT NULL,
      PRIMARY KEY (topic, partition)
    ) WITHOUT ROWID;

    CREATE TABLE feed (
      id INTEGER PRIMARY KEY, topic TEXT NOT NULL, partition INTEGER NOT NULL,
      "offset" INTEGER NOT NULL, timestamp INTEGER NOT NULL,
      key TEXT, value TEXT, headers TEXT NOT NULL
    );
    CREATE INDEX feed_by_topic ON feed (topic, id);

    CREATE TABLE end_offsets (
      topic TEXT NOT NULL, partition INTEGER NOT NULL, res INTEGER NOT NULL, t INTEGER NOT NULL,
      end_offset INTEGER NOT NULL,
      PRIMARY KEY (topic, partition, t, res)
    ) WITHOUT ROWID;
    CREATE INDEX end_offsets_by_offset ON end_offsets (topic, partition, end_offset, t);

    CREATE TABLE partition_samples (
      grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
      res INTEGER NOT NULL, t INTEGER NOT NULL,
      committed INTEGER NOT NULL, end_offset INTEGER NOT NULL, lag INTEGER NOT NULL,
      lag_ms INTEGER, status INTEGER NOT NULL,
      PRIMARY KEY (grp, topic, partition, t, res)
    ) WITHOUT ROWID;
    CREATE INDEX partition_samples_by_t ON partition_samples (t);

    CREATE TABLE group_samples (
      grp TEXT NOT NULL, res INTEGER NOT NULL, t INTEGER NOT NULL,
      lag INTEGER NOT NULL, lag_ms INTEGER, status INTEGER NOT NULL,
      PRIMARY KEY (grp, t, res)
    ) WITHOUT ROWID;
    CREATE INDEX group_samples_by_t ON group_samples (res, t);

    CREATE TABLE group_state (
      grp TEXT PRIMARY KEY, state TEXT NOT NULL, protocol_type TEXT NOT NULL,
      members TEXT NOT NULL, lag INTEGER NOT NULL, lag_ms INTEGER, status INTEGER NOT NULL,
      error TEXT, at INTEGER NOT NULL
    );

    CREATE TABLE partition_latest (
      grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL,
      committed INTEGER NOT NULL, end_offset INTEGER NOT NULL, lag INTEGER NOT NULL,
      lag_ms INTEGER, status INTEGER NOT NULL, owner TEXT, at INTEGER NOT NULL,
      PRIMARY KEY (grp, topic, partition)
    ) WITHOUT ROWID;
  `,
}, {
  version: 2,
  name: "group lag by time, covering",
  // The pages pick the groups with the most lag over a range by reading every group's rows of
  // it; with the lag in the index that is one scan of the index, not a lookup of each row in
  // the table (at 300 groups over 7 days: 5 s instead of 69 s; docs/performance.md, "Memory").
  up: `
    DROP INDEX group_samples_by_t;
    CREATE INDEX group_samples_by_t ON group_samples (res, t, grp, lag);
  `,
}, {
  version: 3,
  name: "traffic per topic, five- and twenty-minute rollups",
  // A range read one row per partition and stored bucket; per topic, and 20-minute rows for the
  // longest range, it reads ~150,000 rows instead of 20 million at 2,000 partitions over 7 days
  // (docs/performance.md, "Memory", fourth pass).
  up: migrateToTopicTraffic,
}];
