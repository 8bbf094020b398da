import assert from "node:assert/strict";
import type { MonitorSettings } from "../services/monitor/config.ts";
import { applyRetention } from "../services/monitor/retention.ts";
import { withMonitorDb } from "../services/monitor/test_db.ts";
import { groupDetail, listGroups } from "../services/monitor/web/group_queries.ts";
import { topicsReport } from "../services/monitor/web/traffic_queries.ts";
import { fillMonitorHistory, historyPlan } from "./monitor_history.ts";

/** 5-s samples kept 1 h, 1-min buckets kept 1 day. */
const settings: MonitorSettings = {
  sampleMs: 5_000,
  fineRetentionMs: 3_600_000,
  coarseMs: 60_000,
  coarseRetentionMs: 86_400_000,
  windowMs: 60_000,
  topicRefreshMs: 10_000,
};
const NOW = 1_700_000_000_000 - (1_700_000_000_000 % 60_000) + 32_000;
const shape = { days: 1, topics: 3, partitions: 7, groups: 4 };

Deno.test("historyPlan - the layout and the sample times of a day", () => {
  const plan = historyPlan(shape, settings, NOW);
  assert.deepEqual(plan.layout.map((p) => `${p.topic}:${p.partition}`), [
    "sim.t0000:0",
    "sim.t0000:1",
    "sim.t0000:2",
    "sim.t0001:0",
    "sim.t0001:1",
    "sim.t0002:0",
    "sim.t0002:1",
  ]);
  assert.deepEqual(plan.groupTopic, [0, 1, 2, 0]);
  // A day of whole minutes: the first bucket starts after now − 1 day, the last holds now.
  assert.equal(plan.coarse.to, NOW - 32_000);
  assert.equal(plan.coarse.count, 1_440);
  assert.equal(plan.fine.from, NOW - 32_000 - 3_600_000);
  assert.equal(plan.fine.to, NOW - 2_000);
  assert.equal(plan.fine.count, 720 + 7);
  // Rollups: whole ones after now − 1 day, the last holding now (the five-minute one started 3
  // min 32 s before now, the twenty-minute one 13 min 32 s).
  assert.deepEqual(plan.rollups, [
    { res: 300_000, from: NOW - 212_000 - 287 * 300_000, to: NOW - 212_000, count: 288 },
    { res: 1_200_000, from: NOW - 812_000 - 71 * 1_200_000, to: NOW - 812_000, count: 72 },
  ]);
  assert.equal(plan.rows.topic_traffic, 3 * (1_440 + 727 + 288 + 72));
  // Groups read 3 + 2 + 2 + 3 partitions.
  assert.equal(plan.rows.partition_samples, 10 * (1_440 - 61 + 727));
});

Deno.test("historyPlan - a week is capped at the coarse retention", () => {
  const plan = historyPlan({ ...shape, days: 7 }, settings, NOW);
  assert.equal(plan.coarse.count, 1_440);
});

Deno.test("fillMonitorHistory - writes what the plan says, as retention leaves it", async (t) => {
  await withMonitorDb(async (db) => {
    const schema = () =>
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all();
    const indexes = schema();
    const plan = fillMonitorHistory(db, shape, settings, NOW);
    await t.step(
      "the indexes it set aside while writing are back as the migration made them",
      () => {
        assert.ok(indexes.length >= 4);
        assert.deepEqual(schema(), indexes);
      },
    );
    await t.step("the database is back in WAL mode", () => {
      assert.equal(db.prepare("PRAGMA journal_mode").get()?.journal_mode, "wal");
    });
    const count = (table: string) =>
      Number(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()?.n);
    await t.step("each table holds the planned rows", () => {
      for (const [table, rows] of Object.entries(plan.rows)) {
        assert.equal(count(table), rows, table);
      }
    });
    await t.step("the temporary tables are gone", () => {
      assert.equal(
        Number(db.prepare("SELECT COUNT(*) AS n FROM temp.sqlite_master").get()?.n),
        0,
      );
    });
    await t.step("retention at the same moment folds and drops nothing", () => {
      assert.deepEqual(applyRetention(db, settings, NOW), { folded: 0, dropped: 0 });
    });
    await t.step("the coarse traffic holds the fine counts of its minutes", () => {
      const sums = db.prepare(
        `SELECT res, SUM(messages) AS m FROM topic_traffic WHERE t >= ? AND t < ? AND res < ?
         GROUP BY res`,
      ).all(plan.fine.from, plan.coarse.to, 300_000) as { res: number; m: number }[];
      assert.equal(sums.length, 2);
      assert.equal(Number(sums[0].m), Number(sums[1].m));
    });
    await t.step("the rollups hold their minutes' sum and worst lag", () => {
      for (const { res, from } of plan.rollups) {
        const one = (sql: string) => db.prepare(sql).all({ res, from }).map((r) => ({ ...r }));
        assert.deepEqual(
          one(`SELECT topic, SUM(messages) AS m, SUM(bytes) AS y FROM topic_traffic
            WHERE res = :res AND t >= :from GROUP BY topic`),
          one(`SELECT topic, SUM(messages) AS m, SUM(bytes) AS y FROM topic_traffic
            WHERE res = 60000 AND t >= :from AND :res > 0 GROUP BY topic`),
        );
        assert.deepEqual(
          one(`SELECT grp, t, lag FROM group_samples WHERE res = :res AND t >= :from
            ORDER BY grp, t`),
          one(`SELECT grp, CAST(t / :res AS INTEGER) * :res AS t, MAX(lag) AS lag
            FROM group_samples WHERE res = 60000 AND t >= :from GROUP BY 1, 2 ORDER BY 1, 2`),
        );
      }
    });
    await t.step("the pages' queries read it: every topic, every group, a day of lag", () => {
      const report = topicsReport(db, settings, "24h", NOW);
      assert.equal(report.topics.length, 3);
      assert.ok(report.topics.every((topic) => topic.series.some((p) => (p[1] ?? 0) > 0)));
      const groups = listGroups(db, settings, NOW);
      assert.equal(groups.length, 4);
      assert.ok(groups.every((g) => g.sparkline.every((v) => v !== null)));
      const detail = groupDetail(db, settings, "sim.g0000", "24h", NOW)!;
      assert.equal(detail.partitions.length, 3);
      // Every 2-min bucket of the day (24 h in at most 1,000 buckets) has its row.
      assert.equal(detail.series.length, 720);
    });
  });
});
