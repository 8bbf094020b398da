import assert from "node:assert/strict";
import { DEFAULT_SETTINGS } from "./config.ts";
import { bucketsOf } from "./buckets.ts";

const now = 1_700_000_002_000;

Deno.test("bucketsOf - the message's time, at each resolution its age is kept at", async (t) => {
  await t.step("recent: the fine bucket, the coarse one and the rollups", () => {
    assert.deepEqual(bucketsOf(now - 7_000, now, DEFAULT_SETTINGS), [
      { res: 5_000, t: 1_699_999_995_000 },
      { res: 60_000, t: 1_699_999_980_000 },
      { res: 300_000, t: 1_699_999_800_000 },
      { res: 1_200_000, t: 1_699_999_200_000 },
    ]);
  });
  await t.step("older than the fine retention: the coarse bucket and the rollups", () => {
    const ts = now - 7 * 3_600_000;
    assert.deepEqual(bucketsOf(ts, now, DEFAULT_SETTINGS), [
      { res: 60_000, t: Math.floor(ts / 60_000) * 60_000 },
      { res: 300_000, t: Math.floor(ts / 300_000) * 300_000 },
      { res: 1_200_000, t: Math.floor(ts / 1_200_000) * 1_200_000 },
    ]);
  });
  await t.step("older than the coarse retention: none", () => {
    assert.deepEqual(bucketsOf(now - 8 * 86_400_000, now, DEFAULT_SETTINGS), []);
  });
  await t.step("from the future, or no timestamp: now", () => {
    assert.deepEqual(bucketsOf(now + 60_000, now, DEFAULT_SETTINGS)[0], {
      res: 5_000,
      t: 1_700_000_000_000,
    });
    assert.deepEqual(bucketsOf(Number.NaN, now, DEFAULT_SETTINGS)[0]?.t, 1_700_000_000_000);
  });
  await t.step("fine and coarse the same: one bucket of them, and the rollups", () => {
    const settings = { ...DEFAULT_SETTINGS, coarseMs: 5_000 };
    assert.deepEqual(bucketsOf(now, now, settings).map((b) => b.res), [5_000, 300_000, 1_200_000]);
  });
  await t.step("a coarse resolution of twenty minutes or more: no rollup", () => {
    const settings = { ...DEFAULT_SETTINGS, coarseMs: 1_200_000 };
    assert.deepEqual(bucketsOf(now, now, settings).map((b) => b.res), [5_000, 1_200_000]);
  });
});
