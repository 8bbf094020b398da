import assert from "node:assert/strict";
import { openDatabase } from "../../shared/sqlite/sqlite.ts";
import { MONITOR_DATABASE_MIGRATIONS, openMonitorDatabase } from "./monitor_database.ts";
import { MONITOR_SERVICE } from "./monitor_db.ts";
import { withMonitorDb } from "./test_db.ts";

Deno.test("monitor database - the groups' top-N over a range reads the index alone", async () => {
  await withMonitorDb((db) => {
    const columns = db.prepare("PRAGMA index_info(group_samples_by_t)").all().map((r) => r.name);
    assert.deepEqual(columns, ["res", "t", "grp", "lag"]);
    const plan = db.prepare(
      `EXPLAIN QUERY PLAN SELECT grp, MAX(lag) AS peak FROM group_samples WHERE res = ? AND t >= ?
       GROUP BY grp ORDER BY peak DESC, grp LIMIT ?`,
    ).all(60_000, 0, 8).map((r) => String(r.detail));
    assert.ok(plan.some((d) => d.includes("COVERING INDEX group_samples_by_t")), plan.join("; "));
  });
});

Deno.test("monitor database - migration 3 sums the per-partition traffic per topic, with rollups", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-monitor-migration-" });
  try {
    // A database as version 2 left it: per-partition traffic at 5 s and 1 min, group lag.
    const path = `${dir}/${MONITOR_SERVICE}/${MONITOR_SERVICE}.db`;
    await Deno.mkdir(`${dir}/${MONITOR_SERVICE}`);
    const old = openDatabase(path, {
      migrations: MONITOR_DATABASE_MIGRATIONS.filter((m) => m.version < 3 || m.version >= 900),
    });
    // From 7 minutes into a 20-minute bucket: the first 5- and 20-minute buckets are partial.
    const T = 1_700_000_000_000 - (1_700_000_000_000 % 1_200_000) + 420_000;
    const traffic = old.prepare(
      "INSERT INTO traffic (t, res, topic, partition, messages, bytes) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const lag = old.prepare(
      "INSERT INTO group_samples (grp, res, t, lag, lag_ms, status) VALUES (?, ?, ?, ?, ?, ?)",
    );
    // Two days of minutes (so the migration goes a day at a time), the last minutes at 5 s too.
    for (let i = 0; i < 2 * 1_440 + 30; i++) {
      const t = T + i * 60_000;
      for (let p = 0; p < 3; p++) traffic.run(t, 60_000, "a", p, 1 + p, 10 * (1 + p));
      traffic.run(t, 60_000, "b", 0, 7, 70);
      lag.run("g", 60_000, t, i % 17, (i % 17) * 100, i % 11 === 0 ? 2 : 0);
    }
    for (let i = 0; i < 12; i++) traffic.run(T + i * 5_000, 5_000, "a", 1, 1, 10);
    old.close();

    const db = openMonitorDatabase(dir);
    try {
      const rows = (sql: string) => db.prepare(sql).all().map((r) => ({ ...r }));
      await t.step("the per-partition table is gone", () => {
        assert.deepEqual(rows("SELECT name FROM sqlite_master WHERE name = 'traffic'"), []);
      });
      await t.step("each resolution's rows summed per topic", () => {
        assert.deepEqual(
          rows(`SELECT res, topic, COUNT(*) AS n, SUM(messages) AS m, SUM(bytes) AS y
            FROM topic_traffic GROUP BY res, topic ORDER BY res, topic`),
          [
            { res: 5_000, topic: "a", n: 12, m: 12, y: 120 },
            { res: 60_000, topic: "a", n: 2_910, m: 6 * 2_910, y: 60 * 2_910 },
            { res: 60_000, topic: "b", n: 2_910, m: 7 * 2_910, y: 70 * 2_910 },
            { res: 300_000, topic: "a", n: 583, m: 6 * 2_910, y: 60 * 2_910 },
            { res: 300_000, topic: "b", n: 583, m: 7 * 2_910, y: 70 * 2_910 },
            { res: 1_200_000, topic: "a", n: 146, m: 6 * 2_910, y: 60 * 2_910 },
            { res: 1_200_000, topic: "b", n: 146, m: 7 * 2_910, y: 70 * 2_910 },
          ],
        );
      });
      await t.step("group lag's rollups: the worst of each five and twenty minutes", () => {
        for (const [res, n] of [[300_000, 583], [1_200_000, 146]]) {
          const worst = rows(
            `SELECT CAST(t / ${res} AS INTEGER) * ${res} AS t, MAX(lag) AS lag,
             MAX(lag_ms) AS lag_ms, MAX(status) AS status FROM group_samples WHERE res = 60000
             GROUP BY 1 ORDER BY 1`,
          );
          assert.equal(worst.length, n);
          assert.deepEqual(
            rows(`SELECT t, lag, lag_ms, status FROM group_samples WHERE res = ${res} ORDER BY t`),
            worst,
          );
        }
      });
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
