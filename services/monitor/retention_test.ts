import assert from "node:assert/strict";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "./config.ts";
import { applyRetention } from "./retention.ts";
import { withMonitorDb } from "./test_db.ts";

/** 5-s samples kept 1 h, then 1-min buckets kept 1 day. */
const settings: MonitorSettings = {
  sampleMs: 5_000,
  fineRetentionMs: 3_600_000,
  coarseMs: 60_000,
  coarseRetentionMs: 86_400_000,
  windowMs: 60_000,
  topicRefreshMs: 10_000,
};
const NOW = 1_700_000_000_000 - (1_700_000_000_000 % 60_000) + 30_000;

/** 5-s rows for the last `hours` hours: one message each, lag = seconds into the minute. */
function fill(db: DatabaseSync, hours: number) {
  const traffic = db.prepare(
    "INSERT INTO traffic (t, res, topic, partition, messages, bytes) VALUES (?, 5000, 'x', 0, 1, 10)",
  );
  const samples = db.prepare(
    "INSERT INTO group_samples (grp, res, t, lag, lag_ms, status) VALUES ('g', 5000, ?, ?, ?, 0)",
  );
  const start = NOW - hours * 3_600_000;
  for (let t = Math.ceil(start / 5_000) * 5_000; t <= NOW; t += 5_000) {
    traffic.run(t);
    samples.run(t, (t % 60_000) / 1_000, t % 60_000);
  }
}

const count = (db: DatabaseSync, sql: string) => Number(db.prepare(sql).get()?.n);

Deno.test("applyRetention - old samples are folded into coarse buckets, then dropped", async (t) => {
  await withMonitorDb(async (db) => {
    fill(db, 30);
    const before = count(
      db,
      "SELECT SUM(messages) AS n FROM traffic WHERE t >= " + (NOW - 86_400_000),
    );
    const result = applyRetention(db, settings, NOW);
    await t.step("nothing fine is older than the fine retention (whole minutes)", () => {
      const oldestFine = count(db, "SELECT MIN(t) AS n FROM traffic WHERE res = 5000");
      assert.ok(oldestFine >= NOW - settings.fineRetentionMs - 60_000);
      assert.ok(result.folded > 0);
    });
    await t.step("folded traffic is summed: nothing lost within the retention", () => {
      const coarse = count(
        db,
        "SELECT COUNT(*) AS n FROM traffic WHERE res = 60000 AND messages != 12",
      );
      assert.ok(coarse <= 1, "each full minute holds its 12 samples");
      const after = count(db, "SELECT SUM(messages) AS n FROM traffic");
      assert.ok(Math.abs(after - before) <= 12, `${after} vs ${before}`);
    });
    await t.step("folded lag keeps the worst of the minute", () => {
      assert.equal(count(db, "SELECT MIN(lag) AS n FROM group_samples WHERE res = 60000"), 55);
      assert.equal(
        count(db, "SELECT MAX(lag_ms) AS n FROM group_samples WHERE res = 60000"),
        55_000,
      );
    });
    await t.step("older than the coarse retention: gone", () => {
      assert.ok(count(db, "SELECT MIN(t) AS n FROM traffic") >= NOW - settings.coarseRetentionMs);
      assert.ok(
        count(db, "SELECT MIN(t) AS n FROM group_samples") >= NOW - settings.coarseRetentionMs,
      );
      assert.ok(result.dropped > 0);
    });
    await t.step("bounded: about 1 h of 5-s rows and 23 h of minutes", () => {
      const rows = count(db, "SELECT COUNT(*) AS n FROM traffic");
      assert.ok(rows <= 720 + 1 + 24 * 60, String(rows));
    });
    await t.step("a second pass changes nothing", () => {
      const sum = count(db, "SELECT SUM(messages) AS n FROM traffic");
      assert.deepEqual(applyRetention(db, settings, NOW), { folded: 0, dropped: 0 });
      assert.equal(count(db, "SELECT SUM(messages) AS n FROM traffic"), sum);
    });
  });
});
