import assert from "node:assert/strict";
import { type DatabaseSync, transaction } from "../../shared/sqlite/sqlite.ts";
import { bucketsOf } from "./buckets.ts";
import type { MonitorSettings } from "./config.ts";
import { applyRetention } from "./retention.ts";
import { withMonitorDb } from "./test_db.ts";
import { addTraffic } from "./traffic_store.ts";

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
const START = Math.ceil((NOW - 30 * 3_600_000) / 5_000) * 5_000;

/**
 * 30 hours as the monitor writes them, one message every 5 s (counted when
 * it arrived, so at both resolutions), and per-partition lag samples (lag =
 * seconds into the minute).
 */
function fill(db: DatabaseSync) {
  const sample = db.prepare(
    `INSERT INTO partition_samples (grp, topic, partition, res, t, committed, end_offset, lag,
     lag_ms, status) VALUES ('g', 'x', 0, 5000, ?, 0, ?, ?, ?, 0)`,
  );
  transaction(db, () => {
    for (let t = START; t <= NOW; t += 5_000) {
      for (const bucket of bucketsOf(t, t, settings)) {
        addTraffic(db, { ...bucket, topic: "x", partition: 0, messages: 1, bytes: 10 });
      }
      sample.run(t, t, (t % 60_000) / 1_000, t % 60_000);
    }
  });
}

const one = (db: DatabaseSync, sql: string) => Number(db.prepare(sql).get()?.n);

Deno.test("applyRetention - fine rows age out into the coarse ones, old ones are dropped", async (t) => {
  await withMonitorDb(async (db) => {
    fill(db);
    const result = applyRetention(db, settings, NOW);
    const cutoff = Math.floor((NOW - settings.fineRetentionMs) / 60_000) * 60_000;
    const dropBefore = NOW - settings.coarseRetentionMs;
    await t.step("no fine row older than the fine retention (whole minutes)", () => {
      for (const table of ["topic_traffic", "partition_samples"]) {
        assert.ok(one(db, `SELECT MIN(t) AS n FROM ${table} WHERE res = 5000`) >= cutoff, table);
      }
      assert.ok(result.folded > 0);
    });
    await t.step("traffic: every message of the retention still counted at each resolution", () => {
      const keptCoarse = Math.floor((NOW - Math.ceil(dropBefore / 60_000) * 60_000) / 5_000) + 1;
      assert.equal(
        one(db, "SELECT SUM(messages) AS n FROM topic_traffic WHERE res = 60000"),
        keptCoarse,
      );
      const keptFine = (NOW - cutoff) / 5_000 + 1;
      assert.equal(
        one(db, "SELECT SUM(messages) AS n FROM topic_traffic WHERE res = 5000"),
        keptFine,
      );
    });
    await t.step("folded lag keeps the worst of the minute", () => {
      assert.equal(one(db, "SELECT MIN(lag) AS n FROM partition_samples WHERE res = 60000"), 55);
      assert.equal(
        one(db, "SELECT MAX(lag_ms) AS n FROM partition_samples WHERE res = 60000"),
        55_000,
      );
    });
    await t.step("older than the coarse retention: gone", () => {
      for (const table of ["topic_traffic", "partition_samples"]) {
        assert.ok(one(db, `SELECT MIN(t) AS n FROM ${table}`) >= dropBefore, table);
      }
      assert.ok(result.dropped > 0);
    });
    await t.step("the rollups: kept as long as the minutes, every message in them", () => {
      for (const res of [300_000, 1_200_000]) {
        const sum = one(db, `SELECT SUM(messages) AS n FROM topic_traffic WHERE res = ${res}`);
        const first = one(db, `SELECT MIN(t) AS n FROM topic_traffic WHERE res = ${res}`);
        assert.ok(first >= dropBefore && first < dropBefore + res, String(first));
        assert.equal(sum, Math.floor((NOW - first) / 5_000) + 1);
      }
    });
    await t.step("bounded: about 1 h of 5-s rows, a day of minutes, 5 and 20 minutes", () => {
      const rows = one(db, "SELECT COUNT(*) AS n FROM topic_traffic");
      assert.ok(
        rows <= (3_600_000 + 60_000) / 5_000 + 1 + 24 * 60 + 1 + 24 * 12 + 1 + 24 * 3 + 1,
        String(rows),
      );
    });
    await t.step("a second pass changes nothing", () => {
      const sum = one(db, "SELECT SUM(messages) AS n FROM topic_traffic");
      const lag = one(db, "SELECT SUM(lag) AS n FROM partition_samples");
      assert.deepEqual(applyRetention(db, settings, NOW), { folded: 0, dropped: 0 });
      assert.equal(one(db, "SELECT SUM(messages) AS n FROM topic_traffic"), sum);
      assert.equal(one(db, "SELECT SUM(lag) AS n FROM partition_samples"), lag);
    });
  });
});
