import assert from "node:assert/strict";
import { type DatabaseSync, transaction } from "../../../shared/sqlite/sqlite.ts";
import { bucketsOf } from "../buckets.ts";
import { DEFAULT_SETTINGS, type MonitorSettings } from "../config.ts";
import { RANGES, rangeWindow } from "../range.ts";
import { seriesResolutions } from "../rollup.ts";
import { type Observation, recordSample } from "../sample_store.ts";
import { withMonitorDb } from "../test_db.ts";
import { addTraffic } from "../traffic_store.ts";
import { lagSeries, topLagGroups } from "./group_queries.ts";
import { topicBuckets, topicsReport } from "./traffic_queries.ts";

const NOW = 1_700_000_000_000 - (1_700_000_000_000 % 3_600_000) + 1_234_567;
const DAY = 86_400_000;

/** A small pseudo-random sequence, the same every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
}

/** One sample a minute, kept a day at that resolution. */
const BY_MINUTE: MonitorSettings = {
  ...DEFAULT_SETTINGS,
  sampleMs: 60_000,
  fineRetentionMs: DAY,
  windowMs: 120_000,
};

/**
 * Counts `count` messages at random times over 8 days before NOW, of random
 * sizes, on `topics` topics of 2 partitions, each as it arrived (so at every
 * resolution, as the traffic consumer writes them).
 */
function countAtRandom(
  db: DatabaseSync,
  settings: MonitorSettings,
  options: { seed: number; count: number; topics: number },
): void {
  const next = random(options.seed);
  transaction(db, () => {
    for (let i = 0; i < options.count; i++) {
      const ts = NOW - Math.floor(next() * 8 * DAY);
      const topic = `t${Math.floor(next() * options.topics)}`;
      const bytes = 1 + Math.floor(next() * 1_000);
      for (const bucket of bucketsOf(ts, ts, settings)) {
        addTraffic(db, { ...bucket, topic, partition: i % 2, messages: 1, bytes });
      }
    }
  });
}

/** Every window a page or the API asks for over the longer ranges. */
const windows = (settings: MonitorSettings) =>
  (["6h", "24h", "7d"] as const).flatMap((range) =>
    [300, 1_000].map((points) => ({
      name: `${range} at ${points}`,
      ...rangeWindow(RANGES[range], NOW, settings, points),
    }))
  );

Deno.test("rollups - a range read from coarser rows answers what the finer rows answer", async (t) => {
  await t.step("traffic: every bucket of every topic, at every resolution", async () => {
    const settings = DEFAULT_SETTINGS;
    await withMonitorDb((db) => {
      countAtRandom(db, settings, { seed: 7, count: 30_000, topics: 3 });
      const read = windows(settings);
      assert.ok(read.some((w) => w.res === 1_200_000), "the week reads the 20-minute rows");
      assert.ok(read.some((w) => w.res === 60_000), "a day reads the minute rows");
      for (const w of read) {
        const answer = topicBuckets(db, w);
        assert.equal(answer.size, 3, w.name);
        for (const finer of seriesResolutions(settings).filter((r) => r < w.res)) {
          const reference = topicBuckets(db, { ...w, res: finer });
          assert.deepEqual(answer, reference, `${w.name} vs ${finer} ms`);
        }
      }
      // The page's report over the same rows: 252 points of 40 min, from the rollup.
      const week = topicsReport(db, settings, "7d", NOW, 300);
      assert.equal(week.step, 2_400_000);
      assert.ok(week.topics.every((topic) => topic.series.length === 252));
    });
  });

  await t.step("traffic sampled a minute apart: the rollup over the minute rows", async () => {
    const settings = BY_MINUTE;
    await withMonitorDb((db) => {
      countAtRandom(db, settings, { seed: 11, count: 10_000, topics: 1 });
      const w = rangeWindow(RANGES["7d"], NOW, settings, 300);
      assert.equal(w.res, 1_200_000);
      assert.deepEqual(topicBuckets(db, w), topicBuckets(db, { ...w, res: 60_000 }));
    });
  });

  await t.step("group lag: the same groups on top, the same worst lag in each bucket", async () => {
    // One sample a minute for 2 days (the rollups above the minute rows), 4 groups whose lag
    // comes and goes at random.
    const settings = BY_MINUTE;
    await withMonitorDb((db) => {
      const next = random(3);
      const groups = ["a", "b", "c", "d"];
      const first = Math.floor((NOW - 2 * DAY) / 60_000) * 60_000;
      for (let t = first, i = 0; t <= NOW; t += 60_000, i++) {
        const end = 1_000 * i;
        const obs: Observation = {
          t,
          ends: [{ topic: "x", partition: 0, end }],
          groups: groups.map((groupId, g) => ({
            groupId,
            state: "Stable",
            protocolType: "consumer",
            members: [],
            offsets: [{
              topic: "x",
              partition: 0,
              committed: Math.max(0, end - Math.floor(next() * next() * 5_000 * (g + 1))),
            }],
          })),
        };
        recordSample(db, obs, settings);
      }
      for (const w of windows(settings)) {
        const finer = { ...w, res: 60_000 };
        assert.deepEqual(topLagGroups(db, w, 3), topLagGroups(db, finer, 3), w.name);
        for (const group of groups) {
          const series = lagSeries(db, group, w);
          assert.ok(series.length > 0, `${w.name} ${group}`);
          assert.deepEqual(series, lagSeries(db, group, finer), `${w.name} ${group}`);
        }
      }
      assert.ok(windows(settings).some((w) => w.res === 1_200_000));
    });
  });
});
